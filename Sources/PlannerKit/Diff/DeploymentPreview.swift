// The diff and the rollout of one plan against the deployed folder, worked out together.

import PlannerSpec

/// What a plan changes (`diff`) and the order to apply it (`rollout`): the rollout's recreates and
/// balancer reloads come from the diff, so both always agree.
public struct DeploymentPreview: Sendable, Equatable {
    public var diff: DeploymentDiff
    public var rollout: Rollout

    /// `previous`: the deployed placement ({} for a first plan); `deployed`: its folder's files;
    /// `files`: what the plan writes.
    public static func make(topology: Topology, previous: PlacementCounts, placement: PlacementCounts,
                            deployed: [String: String], files: [String: String], survive: Int = 0,
                            strict: Bool = true) throws(SimulationInputError) -> DeploymentPreview {
        let diff = try DeploymentDiffer.diff(old: deployed, new: files, moved: Moves.count(from: previous, to: placement),
                                               strict: strict)
        var reloads: [String: Set<String>] = [:]
        for change in diff.balancers where change.configChanged {
            if let balancer = topology.balancers.first(where: { $0.name == change.balancer }) {
                reloads[balancer.name] = Set(balancer.routes.map(\.purpose))
            }
        }
        let input = RolloutPlanner.Input(from: previous, to: placement,
                                         required: Dictionary(topology.purposes.map { ($0.name, $0.required) }, uniquingKeysWith: max),
                                         recreate: diff.recreatedCounts, reloads: reloads, survive: survive)
        var rollout = RolloutPlanner.plan(input)
        if !rollout.isSafe, let fix = RolloutFix.propose(rollout, topology: topology) { rollout.problems.append(fix) }
        return DeploymentPreview(diff: diff, rollout: rollout)
    }
}
