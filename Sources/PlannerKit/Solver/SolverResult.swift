/// What a solve found.
public struct SolverResult: Sendable {
    public enum Status: String, Sendable {
        /// The placement is optimal for the strategy: the search was exhaustive or met the lower bound.
        case optimal
        /// A valid placement, but the limits ran out before it was proven optimal.
        case feasible
        /// Proven: no placement satisfies every rule.
        case infeasible
        /// The limits ran out before any placement was found or ruled out.
        case unknown
    }

    public var status: Status
    /// Per purpose (indexed like the problem), the hosts it runs on with their replica counts,
    /// ascending by host; nil without a placement. Sparse, so memory follows what is placed.
    public var assignment: [[HostCount]]?
    public var objective: Objective?
    public var lowerBound: Objective
    public var steps: Int
    /// True when the wall-clock safety net, not the step limit, ended the search.
    public var stoppedByClock: Bool
    /// True when the problem was too large for the complete search and only the heuristic ran.
    public var heuristicOnly = false

    /// How far the objective may be from optimal: (objective − bound) / objective, in percent.
    public var gapPercent: Double? {
        guard let objective, objective.scalar > 0 else { return nil }
        return max(0, (objective.scalar - lowerBound.scalar) / objective.scalar * 100)
    }

    public init(status: Status, assignment: [[HostCount]]?, objective: Objective?, lowerBound: Objective, steps: Int,
                stoppedByClock: Bool) {
        self.status = status
        self.assignment = assignment
        self.objective = objective
        self.lowerBound = lowerBound
        self.steps = steps
        self.stoppedByClock = stoppedByClock
    }

    init(status: Status, counts: [[Int]]?, objective: Objective?, lowerBound: Objective, steps: Int, stoppedByClock: Bool) {
        self.init(status: status, assignment: counts.map(HostCount.sparse), objective: objective, lowerBound: lowerBound,
                  steps: steps, stoppedByClock: stoppedByClock)
    }

    /// Replicas per (purpose, host) as a dense matrix, for small problems and tests.
    public func counts(hosts: Int) -> [[Int]]? {
        assignment.map { rows in
            rows.map { row in
                var dense = Array(repeating: 0, count: hosts)
                for entry in row { dense[entry.host] = entry.count }
                return dense
            }
        }
    }
}
