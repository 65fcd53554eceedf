// What `planner simulate --rollout` prints: each step's worst purpose, and whether any falls below.

import PlannerKit

enum RolloutReplayReport {
    static func print(_ outcome: RolloutReplayFrontend.Outcome, file: String, format: OutputFormat) -> Int32 {
        switch outcome {
        case .invalid(let message):
            switch format {
            case .text: StandardError.write("planner simulate: error: \(message)\n")
            case .json: Swift.print(JSONValue.object(["ok": .bool(false), "errors": .array([.string(message)])]).rendered())
            }
            return 2
        case .unloaded(let diagnostics):
            switch format {
            case .text: Swift.print(diagnostics.map { DiagnosticText.render($0, file: file) }.joined(), terminator: "")
            case .json:
                Swift.print(JSONValue.object(["ok": .bool(false),
                                              "diagnostics": .array(diagnostics.map { DiagnosticJSON.value($0, file: file) })]).rendered())
            }
            return 2
        case .replayed(let replayed):
            let ok = replayed.replay.violations.isEmpty && replayed.reachesTarget
            switch format {
            case .text: Swift.print(text(replayed), terminator: "")
            case .json: Swift.print(json(replayed, ok: ok))
            }
            return ok ? 0 : 1
        }
    }

    static func text(_ replayed: RolloutReplayFrontend.Replayed) -> String {
        let failures = replayed.survive > 0 ? ", each through \(replayed.survive) host failure\(replayed.survive == 1 ? "" : "s")" : ""
        var text = "rollout of \(replayed.topology): \(replayed.steps.count) step\(replayed.steps.count == 1 ? "" : "s")\(failures)\n"
        for (step, state) in zip(replayed.steps, replayed.replay.states) {
            let kind = step.kind == .reload ? "reload \(step.reload ?? "")" : step.kind.rawValue
            let worst = state.worst.map { "worst \($0.purpose) \($0.up) up (minimum \($0.minimum))" } ?? "nothing placed"
            text += "step \(state.index + 1)  \(step.host)  \(kind): \(worst)\n"
            for violation in state.violations { text += "  below: \(violation)\n" }
        }
        let violations = replayed.replay.violations.count
        text += violations == 0 ? "every step keeps every purpose at its minimum" : "\(violations) violation\(violations == 1 ? "" : "s")"
        text += replayed.reachesTarget ? "; the steps reach the planned placement\n" : "; the steps do NOT reach the planned placement (`to`)\n"
        return text
    }

    static func json(_ replayed: RolloutReplayFrontend.Replayed, ok: Bool) -> String {
        JSONValue.object([
            "ok": .bool(ok),
            "topology": .string(replayed.topology),
            "survive": .int(replayed.survive),
            "reaches_target": .bool(replayed.reachesTarget),
            "minimum": .object(replayed.minimum.mapValues { .int($0) }),
            "steps": .array(zip(replayed.steps, replayed.replay.states).map { step, state in
                var object: [String: JSONValue] = ["step": .int(state.index + 1), "host": .string(step.host),
                                                   "action": .string(step.kind.rawValue),
                                                   "violations": .array(state.violations.map { .string($0) })]
                if let worst = state.worst {
                    object["worst"] = .object(["purpose": .string(worst.purpose), "up": .int(worst.up), "minimum": .int(worst.minimum)])
                }
                return .object(object)
            }),
        ]).rendered()
    }
}
