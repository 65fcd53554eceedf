// What the next plan changes against what is deployed, host by host: the model `diff` and `plan` print.

/// The changes between the deployed folder and the files the next `plan` writes.
public struct DeploymentDiff: Sendable, Equatable {
    public struct Service: Sendable, Equatable {
        public var name: String
        public var purpose: String
        /// For a recreated service, why: `image`, `env REDIS_SENTINELS`, `command`, `ports`, `limits`…
        public var reasons: [String] = []
    }

    public struct HostChanges: Sendable, Equatable {
        public var host: String
        public var start: [Service] = []
        public var stop: [Service] = []
        public var recreate: [Service] = []
        public var unchanged: [Service] = []
        /// The host runs nothing after the plan (its step is `docker compose down`).
        public var emptied: Bool = false
        public var hasChanges: Bool { !start.isEmpty || !stop.isEmpty || !recreate.isEmpty }
    }

    public struct BalancerChanges: Sendable, Equatable {
        public var balancer: String
        /// `server` lines of its configuration, without leading spaces.
        public var added: [String] = []
        public var removed: [String] = []
        /// Its configuration changed in other ways too (or only so): its replicas restart.
        public var configChanged: Bool = false
    }

    /// Every host in the deployed folder or the new plan, sorted by name.
    public var hosts: [HostChanges]
    /// Balancers whose configuration changes, sorted by name.
    public var balancers: [BalancerChanges]
    /// Replicas that leave a host beyond a scale-down (the re-plan's moves).
    public var moved: Int

    public var startCount: Int { hosts.reduce(0) { $0 + $1.start.count } }
    public var stopCount: Int { hosts.reduce(0) { $0 + $1.stop.count } }
    public var recreateCount: Int { hosts.reduce(0) { $0 + $1.recreate.count } }
    public var changedHosts: Int { hosts.filter(\.hasChanges).count }
    public var hasChanges: Bool { changedHosts > 0 || balancers.contains { !$0.added.isEmpty || !$0.removed.isEmpty || $0.configChanged } }

    /// `2 to start, 1 to stop, 1 moved, 3 recreated on 4 hosts`, or `no changes`.
    public var summary: String {
        guard hasChanges else { return "no changes" }
        let hostsText = changedHosts == 1 ? "1 host" : "\(changedHosts) hosts"
        var text = "\(startCount) to start, \(stopCount) to stop, \(moved) moved, \(recreateCount) recreated on \(hostsText)"
        let reloads = balancers.filter(\.configChanged).count
        if reloads > 0 { text += ", \(reloads) balancer\(reloads == 1 ? "" : "s") reconfigured" }
        return text
    }

    /// Per host, per purpose: how many replicas are recreated (the rollout's `recreate`).
    public var recreatedCounts: [String: [String: Int]] {
        var counts: [String: [String: Int]] = [:]
        for host in hosts { for service in host.recreate { counts[host.host, default: [:]][service.purpose, default: 0] += 1 } }
        return counts
    }

    /// As JSON: `{"summary", "moved", "changes": bool, "hosts": [...], "balancers": [...]}`.
    public var json: JSONValue {
        func services(_ list: [Service], reasons: Bool = false) -> JSONValue {
            .array(list.map { service in
                var object: [String: JSONValue] = ["service": .string(service.name), "purpose": .string(service.purpose)]
                if reasons { object["reasons"] = .array(service.reasons.map { .string($0) }) }
                return .object(object)
            })
        }
        return .object([
            "summary": .string(summary),
            "changes": .bool(hasChanges),
            "moved": .int(moved),
            "start": .int(startCount), "stop": .int(stopCount), "recreate": .int(recreateCount),
            "hosts": .array(hosts.map { host in
                .object(["host": .string(host.host), "start": services(host.start), "stop": services(host.stop),
                         "recreate": services(host.recreate, reasons: true), "unchanged": services(host.unchanged),
                         "emptied": .bool(host.emptied)])
            }),
            "balancers": .array(balancers.map { balancer in
                .object(["balancer": .string(balancer.balancer), "added": .array(balancer.added.map { .string($0) }),
                         "removed": .array(balancer.removed.map { .string($0) }), "config_changed": .bool(balancer.configChanged)])
            }),
        ])
    }
}
