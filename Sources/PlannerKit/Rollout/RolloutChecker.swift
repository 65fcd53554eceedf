// The one independent check of a rollout: replays the steps and measures every intermediate state.
// Shared by the tests and `simulate --rollout`; it knows nothing of how RolloutPlanner orders steps.

/// Replays steps from `from`, counting what is up while each step runs and after it.
public enum RolloutChecker {
    public struct StepState: Sendable, Equatable {
        public var index: Int
        /// The purpose with the least room above its minimum while the step runs (ties by name), its
        /// replicas up then, and its minimum. Nil when nothing is placed.
        public var worst: (purpose: String, up: Int, minimum: Int)?
        /// Purposes below their minimum while the step runs, and impossible stops (more than run there).
        public var violations: [String]

        public static func == (a: StepState, b: StepState) -> Bool {
            a.index == b.index && a.violations == b.violations && a.worst?.purpose == b.worst?.purpose
                && a.worst?.up == b.worst?.up && a.worst?.minimum == b.worst?.minimum
        }
    }

    public struct Replay: Sendable {
        public var states: [StepState]
        /// The placement after the last step.
        public var final: PlacementCounts
        public var violations: [String] { states.flatMap(\.violations) }
    }

    /// `survive` K: a purpose's replicas up count less those on the K hosts holding most of them.
    /// Zero counts and empty purposes left out, so placements compare by what runs.
    public static func normalised(_ counts: PlacementCounts) -> PlacementCounts {
        counts.mapValues { $0.filter { $0.value > 0 } }.filter { !$0.value.isEmpty }
    }

    public static func replay(from: PlacementCounts, steps: [RolloutStep], minimum: [String: Int], survive: Int = 0) -> Replay {
        var running = from.mapValues { $0.filter { $0.value > 0 } }
        var states: [StepState] = []
        for (index, step) in steps.enumerated() {
            var violations: [String] = []
            let purposes = Set(running.keys).union(minimum.keys).union(step.start.keys).union(step.stop.keys)
                .union(step.recreate.keys).sorted()
            var worst: (purpose: String, up: Int, minimum: Int)?
            for purpose in purposes {
                let here = running[purpose]?[step.host] ?? 0
                let down = step.down(purpose)
                if down > here {
                    violations.append("step \(index + 1) on \(step.host) takes down \(down) of \(purpose) but \(here) run there")
                }
                var perHost = running[purpose] ?? [:]
                perHost[step.host, default: 0] -= down
                let lost = perHost.values.sorted(by: >).prefix(survive).reduce(0, +)
                let up = perHost.values.reduce(0, +) - lost
                let floor = minimum[purpose] ?? 0
                if up < floor {
                    let failures = survive > 0 ? " after \(survive) host failure\(survive == 1 ? "" : "s")" : ""
                    violations.append("step \(index + 1) on \(step.host): \(purpose) has \(up) up\(failures), below its minimum \(floor)")
                }
                if floor > 0 || up > 0, worst == nil || up - floor < worst!.up - worst!.minimum {
                    worst = (purpose, up, floor)
                }
            }
            for (purpose, count) in step.stop { running[purpose, default: [:]][step.host, default: 0] -= count }
            for (purpose, count) in step.start { running[purpose, default: [:]][step.host, default: 0] += count }
            running = running.mapValues { $0.filter { $0.value > 0 } }.filter { !$0.value.isEmpty }
            states.append(StepState(index: index, worst: worst, violations: violations))
        }
        return Replay(states: states, final: running)
    }
}
