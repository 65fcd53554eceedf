// The complete search's phases for `spread`: a search, bisection probes on the peak, a last search.

import Foundation
import PlannerSpec

extension Solver {
    /// `spread`'s complete search from the incumbent, every part counted in steps so that the answer
    /// stays deterministic: branch and bound with a quarter of the steps. When that finds nothing better
    /// than the incumbent, or nothing at all, the search goes on with every step left (which proves its
    /// answer when it runs to the end). Otherwise, unless the configuration LP proves the placement
    /// optimal, bisection on the peak utilisation between the lower bound and the best so far (each
    /// probe a feasibility search from scratch, so early decisions can change, which chronological
    /// backtracking rarely revisits); then branch and bound below the best with what is left, which
    /// proves it optimal when it runs to the end. Each new best is offered to the configuration LP
    /// for a proof while `tryProofs` holds (it turns false once the LP's work runs out).
    func solveSpread(clock: Date, lowerBound: Objective, incumbent: Objective?, tryProofs: Bool,
                     lpWork: ConfigurationWork) -> SolverResult {
        var first = limits
        first.steps = max(1, limits.steps / 4)
        var result = Search.solve(problem, first, clock: clock, lowerBound: lowerBound, incumbent: incumbent)
        var tryProofs = tryProofs
        /// Whether the configuration LP proves a new best placement optimal (it stops trying once its work runs out).
        func proven(_ placement: [[HostCount]]) -> Bool {
            guard tryProofs else { return false }
            let verdict = proofOfOptimality(placement, work: lpWork)
            tryProofs = verdict != .unknown
            return verdict == .excluded
        }
        if incumbent != nil, result.assignment == nil {
            // Nothing better than the incumbent yet: proven if the search ran to the end.
            guard result.status == .unknown else { return result }
            var rest = limits
            rest.steps = max(1, limits.steps - result.steps)
            let more = Search.solve(problem, rest, clock: clock, lowerBound: lowerBound, incumbent: incumbent)
            return SolverResult(status: more.status, assignment: more.assignment, objective: more.objective,
                                lowerBound: more.lowerBound, steps: result.steps + more.steps,
                                stoppedByClock: more.stoppedByClock)
        }
        if result.status == .unknown, !result.stoppedByClock {
            // Nothing found yet: give the plain search everything.
            var rest = limits
            rest.steps = max(1, limits.steps - result.steps)
            let more = Search.solve(problem, rest, clock: clock, lowerBound: lowerBound)
            return SolverResult(status: more.status, assignment: more.assignment, objective: more.objective, lowerBound: more.lowerBound,
                                steps: result.steps + more.steps, stoppedByClock: more.stoppedByClock)
        }
        guard result.status == .feasible, var best = result.objective, var counts = result.assignment else { return result }
        if proven(counts) {
            result.status = .optimal
            return result
        }
        var used = result.steps
        var low = result.lowerBound.scalar
        let probes = 8, probeSteps = max(1, limits.steps / 4 / probes)
        for _ in 0..<probes where best.scalar - low > 1e-4 && !result.stoppedByClock {
            let target = (low + best.scalar) / 2
            let probeLimits = SolverLimits(steps: probeSteps, seconds: limits.seconds, feasibilityOnly: true).observed(by: limits.meter)
            let probe = Search.solve(problem, probeLimits, clock: clock, lowerBound: lowerBound, utilisationCap: target)
            used += probe.steps
            result.stoppedByClock = probe.stoppedByClock
            if let found = probe.objective, let placement = probe.assignment, found < best {
                best = found
                counts = placement
            } else {
                low = target
            }
        }
        if best < result.objective!, proven(counts) {
            return SolverResult(status: .optimal, assignment: counts, objective: best, lowerBound: result.lowerBound, steps: used,
                                stoppedByClock: result.stoppedByClock)
        }
        var last = limits
        last.steps = max(1, limits.steps - used)
        let final = Search.solve(problem, last, clock: clock, lowerBound: lowerBound, incumbent: best)
        used += final.steps
        var improved = false
        if let found = final.objective, let placement = final.assignment, found < best {
            best = found
            counts = placement
            improved = true
        }
        let optimal = final.status == .optimal || final.status == .infeasible || (improved && proven(counts))
        return SolverResult(status: optimal ? .optimal : .feasible, assignment: counts, objective: best,
                            lowerBound: result.lowerBound, steps: used,
                            stoppedByClock: result.stoppedByClock || final.stoppedByClock)
    }
}
