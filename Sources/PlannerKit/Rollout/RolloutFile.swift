// rollout.json: the rollout as plan writes it and simulate --rollout / planner rollout read it.

import Foundation

/// `{"from": {purpose: {host: n}}, "to": {...}, "steps": [{"host", "start", "stop", "recreate", "action"}],
/// "topology", "minimum", "problems", "survive"}`. `from`, `to` and the steps' host/start/stop/recreate are the
/// documented shape (docs/plan.md); `action` (apply, down, reload), `topology` (the Compose project),
/// `minimum` (the floor each purpose is held to) and `problems` (empty when the order is safe) let
/// `planner rollout` and `simulate --rollout` work from the file alone. Keys sorted: deterministic.
public enum RolloutFile {
    public static func json(_ rollout: Rollout, topology: String) -> String {
        func counts(_ map: [String: Int]) -> JSONValue { .object(map.filter { $0.value > 0 }.mapValues { .int($0) }) }
        func placement(_ counts: PlacementCounts) -> JSONValue {
            .object(counts.mapValues { perHost in .object(perHost.filter { $0.value > 0 }.mapValues { .int($0) }) }.filter {
                if case .object(let members) = $0.value { return !members.isEmpty } else { return true }
            })
        }
        let steps: [JSONValue] = rollout.steps.map { step in
            var object: [String: JSONValue] = ["host": .string(step.host), "start": counts(step.start), "stop": counts(step.stop),
                                               "recreate": counts(step.recreate), "action": .string(step.kind.rawValue)]
            if let balancer = step.reload { object["balancer"] = .string(balancer) }
            return .object(object)
        }
        return JSONValue.object([
            "topology": .string(topology),
            "from": placement(rollout.from),
            "to": placement(rollout.to),
            "minimum": counts(rollout.minimum),
            "steps": .array(steps),
            "problems": .array(rollout.problems.map { .string($0) }),
            "survive": .int(rollout.survive),
        ]).rendered() + "\n"
    }

    public struct Contents: Sendable, Equatable {
        public var rollout: Rollout
        public var topology: String?
    }

    public static func load(path: String) throws(SimulationInputError) -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else { throw SimulationInputError("\(path): cannot read it") }
        do { return try parse(Array(data)) } catch { throw SimulationInputError("\(path): \(error.message)") }
    }

    public static func parse(_ bytes: [UInt8]) throws(SimulationInputError) -> Contents {
        struct Step: Decodable {
            var host: String
            var start: [String: Int]?
            var stop: [String: Int]?
            var recreate: [String: Int]?
            var action: String?
            var balancer: String?
        }
        struct File: Decodable {
            var from: [String: [String: Int]]
            var to: [String: [String: Int]]
            var steps: [Step]
            var topology: String?
            var minimum: [String: Int]?
            var problems: [String]?
            var survive: Int?
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: Data(bytes)) } catch {
            throw SimulationInputError("expected a rollout as plan writes it: {\"from\", \"to\", \"steps\"}")
        }
        var steps: [RolloutStep] = []
        for (index, step) in file.steps.enumerated() {
            let all = [step.start, step.stop, step.recreate].compactMap { $0 }.flatMap(\.values)
            if all.contains(where: { $0 < 0 }) { throw SimulationInputError("step \(index + 1): a negative count") }
            let kind = step.action.flatMap(RolloutStep.Kind.init(rawValue:)) ?? .apply
            steps.append(RolloutStep(kind: kind, host: step.host, start: step.start ?? [:], stop: step.stop ?? [:],
                                     recreate: step.recreate ?? [:], reload: step.balancer))
        }
        let rollout = Rollout(from: file.from, to: file.to, steps: steps, minimum: file.minimum ?? [:], problems: file.problems ?? [],
                              survive: max(0, file.survive ?? 0))
        return Contents(rollout: rollout, topology: file.topology)
    }
}
