// What `planner rollout` prints: the steps for a person, each with its command.

import PlannerKit

struct RolloutReport {
    var format: OutputFormat

    func print(_ result: Result<RolloutFile.Contents, SimulationInputError>) -> Int32 {
        switch result {
        case .failure(let error):
            switch format {
            case .text: StandardError.write("planner rollout: \(error.message)\n")
            case .json: Swift.print(JSONValue.object(["ok": .bool(false), "error": .string("planner rollout: \(error.message)")]).rendered())
            }
            return 2
        case .success(let contents):
            switch format {
            case .text: Swift.print(Self.text(contents), terminator: "")
            case .json:
                Swift.print(RolloutFile.json(contents.rollout, topology: contents.topology ?? "default"), terminator: "")
            }
            return contents.rollout.isSafe ? 0 : 1
        }
    }

    static func text(_ contents: RolloutFile.Contents) -> String {
        let rollout = contents.rollout, project = contents.topology ?? "default"
        guard !rollout.steps.isEmpty else { return "nothing to roll out: the deployed placement is the planned one\n" }
        var text = "rollout of \(project): \(rollout.steps.count) step\(rollout.steps.count == 1 ? "" : "s"), one at a time, "
            + "each once the previous one's containers are healthy\n"
        for (index, step) in rollout.steps.enumerated() {
            var what: [String] = []
            func list(_ verb: String, _ counts: [String: Int]) {
                if !counts.isEmpty { what.append(verb + " " + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")) }
            }
            list("start", step.start)
            list("stop", step.stop)
            list("recreate", step.recreate)
            let kind = step.kind == .reload ? "reload \(step.reload ?? "balancer")" : step.kind == .down ? "stop everything" : "apply"
            text += "\(index + 1). \(step.host): \(kind)" + (what.isEmpty ? "" : " (" + what.joined(separator: "; ") + ")") + "\n"
            text += "   on \(step.host): \(step.command(project: project))\n"
        }
        for problem in rollout.problems { text += "not safe: \(problem)\n" }
        return text
    }
}
