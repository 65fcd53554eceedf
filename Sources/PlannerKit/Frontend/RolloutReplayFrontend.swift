// What `planner simulate --rollout` runs: replay a rollout.json, state by state, against the spec's minimums.

import PlannerSpec

/// Loads the spec (for min_available, never the file's own `minimum`: a hand-edited file proves
/// nothing) and the rollout, and replays the steps with `RolloutChecker`, which shares no code with
/// the planner that ordered them.
public struct RolloutReplayFrontend {
    public var check: CheckFrontend
    public var rollout: String
    /// Host failures each state must also survive; nil for the file's `survive`.
    public var survive: Int?

    public init(check: CheckFrontend, rollout: String, survive: Int? = nil) {
        self.check = check
        self.rollout = rollout
        self.survive = survive
    }

    public enum Outcome {
        case invalid(String)
        case unloaded(diagnostics: [Diagnostic])
        case replayed(Replayed)
    }

    public struct Replayed {
        public var topology: String
        public var steps: [RolloutStep]
        public var replay: RolloutChecker.Replay
        public var minimum: [String: Int]
        public var survive: Int
        /// The last step's placement is the file's `to`.
        public var reachesTarget: Bool
    }

    public func run() -> Outcome {
        let spec = check.loadSpec()
        guard spec.isWellFormed, let topology = spec.topology else {
            return .unloaded(diagnostics: spec.diagnostics.filter { $0.severity == .error })
        }
        let contents: RolloutFile.Contents
        do { contents = try RolloutFile.load(path: rollout) } catch { return .invalid("--rollout \(error.message)") }
        let file = contents.rollout
        let required = Dictionary(topology.purposes.map { ($0.name, $0.required) }) { a, _ in a }
        let minimum = RolloutPlanner.minimum(.init(from: file.from, to: file.to, required: required))
        let survive = survive ?? file.survive
        let replay = RolloutChecker.replay(from: file.from, steps: file.steps, minimum: minimum, survive: survive)
        func clean(_ counts: PlacementCounts) -> PlacementCounts { counts.mapValues { $0.filter { $0.value > 0 } }.filter { !$0.value.isEmpty } }
        return .replayed(Replayed(topology: topology.name, steps: file.steps, replay: replay, minimum: minimum, survive: survive,
                                  reachesTarget: clean(replay.final) == clean(file.to)))
    }
}
