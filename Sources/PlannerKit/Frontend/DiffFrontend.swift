// What `planner diff` runs: the plan `plan` would make, compared with the deployed folder; nothing written.

import PlannerSpec

/// Prepares the plan exactly as `PlanFrontend` does (same re-plan from the deployed placement, same
/// files in memory) and returns what it changes against the files in the output folder.
public struct DiffFrontend {
    public var plan: PlanFrontend

    public init(check: CheckFrontend, out: String?, from: String? = nil, fresh: Bool = false, rolloutSurvive: Int = 0) {
        plan = PlanFrontend(check: check, strict: false, out: out, dev: false, force: false, dryRun: true, from: from, fresh: fresh)
        plan.rolloutSurvive = rolloutSurvive
        plan.strictDeployed = true
    }

    public enum Outcome {
        case unchecked(CheckFrontend.Outcome)
        case failed(message: String, status: Int32)
        case compared(Compared)
    }

    public struct Compared {
        public var topology: Topology
        public var directory: String
        public var diff: DeploymentDiff
        public var rollout: Rollout
        public var replan: ReplanReport?
        public var diagnostics: [Diagnostic]
    }

    public func run() -> Outcome {
        switch plan.prepare() {
        case .stopped(let outcome):
            switch outcome {
            case .unchecked(let checked): return .unchecked(checked)
            case .failed(let message, let status): return .failed(message: message, status: status)
            case .written: return .failed(message: "internal: nothing to compare", status: 1)
            }
        case .ready(let prepared):
            guard let preview = prepared.preview else { return .failed(message: "internal: no preview", status: 1) }
            return .compared(Compared(topology: prepared.topology, directory: prepared.directory, diff: preview.diff,
                                      rollout: preview.rollout, replan: prepared.checked.result.replan,
                                      diagnostics: prepared.checked.result.diagnostics))
        }
    }
}
