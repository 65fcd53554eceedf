// The pipeline `check` runs: validate, precheck, solve, verify, explain.

import PlannerSpec

/// The stages of `planner check` on a loaded spec, in order: the spec's own diagnostics, `Explainer.precheck`,
/// `Solver.solve`, `Verifier.violations` on the placement found, and `Explainer.explainCombination` when
/// the solver proves there is none. `CheckFrontend` adds reading the file, --secrets and --strict.
public enum CheckPipeline {
    /// Validates, places, verifies, and explains a failure to place. With `previous` (the deployed
    /// placement), the placement is a re-plan from it (`Replanner`): fewest moves first, or with `rebalance`
    /// the objective first.
    public static func check(_ spec: LoadedSpec, limits: SolverLimits = .init(), previous: PlacementCounts? = nil,
                             rebalance: Rebalance? = nil) -> CheckResult {
        var result = CheckResult(diagnostics: spec.diagnostics, topology: spec.topology)
        guard spec.isWellFormed, let topology = spec.topology else { return result }
        let problem = PlacementProblem(topology)
        let explainer = Explainer(topology: topology, problem: problem, subSearchSteps: max(1, limits.steps / 20))
        let precheck = explainer.precheck()
        defer { result.diagnostics.sort() }
        guard precheck.isEmpty else {
            result.diagnostics += precheck
            return result
        }
        let solved: SolverResult
        if let previous {
            let replanned = Replanner(topology: topology, previous: previous, limits: limits, rebalance: rebalance).solve()
            solved = replanned.result
            result.replan = replanned.report
        } else {
            solved = Solver(problem, limits: limits).solve()
        }
        result.solver = solved
        switch solved.status {
        case .optimal, .feasible:
            let placement = names(solved.assignment!, problem)
            let violations = Verifier.violations(of: placement, in: topology)
            if violations.isEmpty {
                result.placement = placement
            } else {
                result.diagnostics += violations.map {
                    .error(.verifierRejected, "internal error: the verifier rejected the solver's placement: \($0)", at: nil)
                }
            }
        case .infeasible:
            result.diagnostics += explainer.explainCombination()
        case .unknown:
            let why = solved.stoppedByClock ? "the time limit (--time-limit) ran out after \(solved.steps) search steps"
                : "the search used all \(solved.steps) steps it may take (--steps)"
            let fix = solved.stoppedByClock ? "raise --time-limit" : "raise --steps"
            result.diagnostics.append(.error(.undecided, "could not decide whether a placement exists: \(why) before one was "
                                             + "found or ruled out; \(fix), or loosen the tightest purposes",
                                             at: topology.locations.this))
        }
        return result
    }

    /// Counts by name, zero counts left out.
    public static func names(_ assignment: [[HostCount]], _ problem: PlacementProblem) -> PlacementCounts {
        var placement: PlacementCounts = [:]
        for (d, row) in assignment.enumerated() {
            var perHost: [String: Int] = [:]
            for entry in row where entry.count > 0 { perHost[problem.hosts[entry.host].name] = entry.count }
            placement[problem.demands[d].name] = perHost
        }
        return placement
    }
}
