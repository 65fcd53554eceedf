// One step of a rollout: one host's new compose file applied, or one balancer replica restarted.

/// One step, run on one host. `start`/`stop`/`recreate` count replicas per purpose on that host. While
/// the step runs, the replicas it stops or recreates are down; the replicas it starts count only after it.
public struct RolloutStep: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// `docker compose up -d --remove-orphans` with the host's new file.
        case apply
        /// The host is left with nothing: `docker compose -p <topology> down`, which needs no file.
        case down
        /// A balancer replica restarted to read its new configuration (`reload` names it). A file bind mount
        /// keeps the old inode when the writer replaces the file, so a signal alone would not see the change.
        case reload
    }

    public var kind: Kind
    public var host: String
    public var start: [String: Int] = [:]
    public var stop: [String: Int] = [:]
    public var recreate: [String: Int] = [:]
    /// For `.reload`: the balancer restarted on `host` (its replicas there are in `recreate`).
    public var reload: String? = nil

    public init(kind: Kind, host: String, start: [String: Int] = [:], stop: [String: Int] = [:],
                recreate: [String: Int] = [:], reload: String? = nil) {
        self.kind = kind
        self.host = host
        self.start = start.filter { $0.value > 0 }
        self.stop = stop.filter { $0.value > 0 }
        self.recreate = recreate.filter { $0.value > 0 }
        self.reload = reload
    }

    /// Replicas of `purpose` down while the step runs.
    public func down(_ purpose: String) -> Int {
        (stop[purpose] ?? 0) + (recreate[purpose] ?? 0)
    }

    /// The shell command that runs the step on its host, from the output folder.
    public func command(project: String) -> String {
        switch kind {
        case .apply: return "docker compose -p \(project) -f hosts/\(host)/compose.yaml up -d --remove-orphans"
        case .down: return "docker compose -p \(project) down --remove-orphans"
        case .reload:
            // Its replicas on the host are services `front`, `front-2`… (ComposeEmitter.serviceName).
            let name = reload ?? "", count = max(1, recreate[name] ?? 1)
            let services = (0..<count).map { $0 == 0 ? name : "\(name)-\($0 + 1)" }.joined(separator: " ")
            return "docker compose -p \(project) -f hosts/\(host)/compose.yaml up -d --no-deps --force-recreate \(services)"
        }
    }
}

/// A rollout: the deployed placement, the new one, the ordered steps between them, and, when no order
/// keeps every purpose at its minimum, why (the steps are then still all listed, the blocked ones last).
public struct Rollout: Sendable, Equatable {
    public var from: PlacementCounts
    public var to: PlacementCounts
    public var steps: [RolloutStep]
    /// The floor each purpose is held to: min_available, or fewer when fewer run before the rollout.
    public var minimum: [String: Int]
    /// Empty when every step keeps every purpose at its minimum.
    public var problems: [String]
    /// `--rollout-survive K`: the host failures every state is also held through.
    public var survive: Int = 0
    /// Purposes one temporary extra replica of which would make an order (proven by the search).
    public var fixPurposes: [String] = []

    public var isSafe: Bool { problems.isEmpty }
}
