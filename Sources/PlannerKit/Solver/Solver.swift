// The solver's phase orchestrator: which search runs when, with what share of the step budget.

import Foundation
import PlannerSpec

/// Places every replica of a `PlacementProblem` and says how good the placement is: proven optimal,
/// feasible, proven infeasible, or unknown. It runs the phases below in this order, each with a
/// share of one step budget (`SolverLimits.steps`), and returns as soon as one settles the question:
///
/// 1. The lower bound (`Solver.lowerBound`); for `spread`, a bound above full capacity proves that
///    no placement exists.
/// 2. On problems small enough for the complete search (`fitsCompleteSearch`), a short complete
///    search (`Search`, feasibility only, `quickProofSteps`), which often proves a trap infeasible in
///    a handful of steps, and whose placement stands in when the heuristic finds none.
/// 3. The heuristic (`HeuristicSolver`) with a quarter of the steps: the answer on large problems,
///    the incumbent on small ones. Small `spread` problems leave its last improvement until the
///    configuration LP has looked at the constructed placement: when that is proven optimal, only
///    the hosts below the peak are evened out.
/// 4. A placement at the lower bound is optimal; with `feasibilityOnly`, any placement ends the solve.
/// 5. On small problems the configuration LP (`ConfigurationLP`, up to half the steps) proves the
///    placement optimal, or for `spread` finds better ones by dives and branch and price until it
///    proves one, finds none, or its work runs out.
/// 6. Too large for the complete search, or stopped by the clock: the best placement so far, with
///    its lower bound and gap.
/// 7. The complete search with the steps left, from the incumbent: for `binpack` one `Search`, for
///    `spread` a search, bisection probes on the peak and a last search (`solveSpread`); the
///    configuration LP tries to prove what they find, where they run out.
///
/// Deterministic: every phase counts steps, not seconds, so the same problem and limits give the
/// same answer on every run and machine unless the wall-clock safety net (`SolverLimits.seconds`) ends it.
public struct Solver {
    public let problem: PlacementProblem
    public var limits: SolverLimits

    public init(_ problem: PlacementProblem, limits: SolverLimits = .init()) {
        self.problem = problem
        self.limits = limits
    }

    /// Complete search up to this many hosts; beyond, the heuristic alone (with its lower bound and gap).
    public static let completeSearchHosts = 40
    /// ... and up to this many (purpose, eligible host) pairs, the depth of its recursion.
    public static let completeSearchDepth = 4_000

    /// Steps of the short complete search that runs before the heuristic on small problems.
    static let quickProofSteps = 10_000

    /// The complete search recurses once per (purpose, candidate host): it runs only at sizes where that stays shallow.
    var fitsCompleteSearch: Bool {
        problem.hosts.count <= Solver.completeSearchHosts
            && problem.demands.reduce(0) { $0 + $1.eligible.count } <= Solver.completeSearchDepth
    }

    /// Runs the phases of the type's comment, in that order, within `limits`.
    public func solve() -> SolverResult {
        let clock = Date()
        let lowerBound = Solver.lowerBound(problem)
        // A peak above 1 even where replicas may be split: no placement fits the capacity.
        if problem.strategy == .spread, lowerBound.scalar > 1 + 1e-7 {
            return SolverResult(status: .infeasible, assignment: nil, objective: nil, lowerBound: lowerBound, steps: 0,
                                stoppedByClock: false)
        }
        var limits = self.limits.metered(clock: clock, lowerBound: lowerBound)
        // Small problems: a short complete search first, which often proves a trap infeasible in a
        // handful of steps where the heuristic's repair would spend its whole budget looking.
        var proofSteps = 0
        var quickPlacement: [[HostCount]]? = nil
        if fitsCompleteSearch {
            var quick = limits
            quick.steps = min(Solver.quickProofSteps, max(1, limits.steps / 4))
            quick.feasibilityOnly = true
            let probe = Search.solve(problem, quick, clock: clock, lowerBound: lowerBound)
            if probe.status == .infeasible || (probe.assignment != nil && limits.feasibilityOnly) { return probe }
            proofSteps = probe.steps
            quickPlacement = probe.assignment
            limits.steps = max(1, limits.steps - proofSteps)
        }
        // A fast first placement: the answer for large problems, the incumbent for small ones.
        var heuristic = HeuristicSolver(problem, stepLimit: max(1, limits.steps / 4), lowerBound: lowerBound)
        heuristic.meter = limits.meter
        heuristic.improving = !limits.feasibilityOnly
        heuristic.deadline = limits.seconds.map { clock.addingTimeInterval($0) }
        // Where the complete search fits, the configuration LP may show at once that nothing beats a placement, or
        // (spread) lead to better ones until it does. The LPs may use up to half the step budget;
        // what they use is charged to it.
        let lpWork = ConfigurationWork(steps: limits.steps / 2, deadline: limits.seconds.map { clock.addingTimeInterval($0) })
        // spread, where the complete search fits: when the LP proves the constructed placement optimal, the heuristic's
        // last search (its slowest part there) is cut to one descent that only evens out the hosts
        // below the peak.
        heuristic.defersLeximax = problem.strategy == .spread && fitsCompleteSearch && heuristic.improving
        let constructed = heuristic.solve()
        var verdictBeforeSearch: ConfigurationLP.Verdict? = nil
        if heuristic.defersLeximax, let constructed {
            if objective(of: constructed).scalar > lowerBound.scalar + 1e-12 {
                verdictBeforeSearch = proofOfOptimality(constructed, work: lpWork)
            }
            heuristic.finishSpread(kicking: verdictBeforeSearch != .excluded)
        }
        // The heuristic's placement, or failing it (a tight cluster) the short search's.
        var start = constructed.map { heuristic.defersLeximax ? heuristic.assignment : $0 } ?? quickPlacement
        var startObjective = start.map { objective(of: $0) }
        var startSteps = heuristic.steps + proofSteps
        limits.meter?.heuristicFinished(steps: heuristic.steps, found: startObjective)   // the short search's steps are in already
        if let start, let startObjective, startObjective.scalar <= lowerBound.scalar + 1e-12 || limits.feasibilityOnly {
            return SolverResult(status: startObjective.scalar <= lowerBound.scalar + 1e-12 ? .optimal : .feasible,
                                assignment: start, objective: startObjective, lowerBound: lowerBound,
                                steps: startSteps + lpWork.steps, stoppedByClock: heuristic.stoppedByClock)
        }
        // The verdict on the constructed placement holds for the search's when the LP's limits, strictly
        // below the peak and computed exactly, are the same for both (the LP sees only those).
        var known: ConfigurationLP.Verdict? = nil
        if let verdictBeforeSearch, let constructed, let start, sameLimitsBelow(start, constructed) { known = verdictBeforeSearch }
        let improved = improveWithConfigurationLP(start, work: lpWork, meter: limits.meter, verdict: known)
        start = improved.placement
        startObjective = start.map { objective(of: $0) }
        let startVerdict = improved.verdict
        startSteps += lpWork.steps
        let improvingSteps = lpWork.steps
        let stoppedByClock = heuristic.stoppedByClock || lpWork.stoppedByClock
        if let start, let startObjective, startVerdict == .excluded {
            return SolverResult(status: .optimal, assignment: start, objective: startObjective, lowerBound: startObjective,
                                steps: startSteps, stoppedByClock: stoppedByClock)
        }
        if !fitsCompleteSearch || stoppedByClock {
            var result = SolverResult(status: start == nil ? .unknown : .feasible, assignment: start, objective: startObjective,
                                      lowerBound: lowerBound, steps: startSteps, stoppedByClock: stoppedByClock)
            result.heuristicOnly = !stoppedByClock
            return result
        }
        var rest = limits
        rest.steps = max(1, limits.steps - startSteps)
        var result = problem.strategy == .spread
            ? Solver(problem, limits: rest).solveSpread(clock: clock, lowerBound: lowerBound, incumbent: startObjective,
                                                        tryProofs: startVerdict != .unknown, lpWork: lpWork)
            : Search.solve(problem, rest, clock: clock, lowerBound: lowerBound, incumbent: startObjective)
        // binpack: the LP may prove what the search found (or kept) optimal where the search ran out.
        if problem.strategy == .binpack, result.status == .feasible || (result.status == .unknown && start != nil),
           startVerdict != .unknown, let found = result.assignment ?? start, proofOfOptimality(found, work: lpWork) == .excluded {
            result.status = .optimal
            result.assignment = found
            result.objective = objective(of: found)
        }
        result.steps += startSteps + lpWork.steps - improvingSteps   // and the proofs tried during the search
        // The complete search only reports placements better than the incumbent.
        if let start, result.assignment == nil {
            switch result.status {
            case .infeasible, .optimal: result.status = .optimal
            case .unknown, .feasible: result.status = .feasible
            }
            result.assignment = start
            result.objective = startObjective
        }
        // Proven optimal: the optimum is the tightest bound there is.
        if result.status == .optimal, let found = result.objective { result.lowerBound = found }
        return result
    }

    /// The strategy's objective for a placement.
    func objective(of assignment: [[HostCount]]) -> Objective {
        let (cpu, memory) = problem.usage(of: assignment)
        switch problem.strategy {
        case .binpack:
            return .hostsUsed(cpu.filter { $0 > 0 }.count)
        case .spread:
            return .peakUtilisation(problem.hosts.indices.map {
                Utilisation.of(cpu: Double(cpu[$0]), memory: Double(memory[$0]),
                               cpuCapacity: Double(problem.hosts[$0].cpu), memoryCapacity: Double(problem.hosts[$0].memory))
            }.max() ?? 0)
        }
    }
}
