import Foundation
import PlannerSpec

/// How much work a solve may do.
public struct SolverLimits: Sendable {
    /// Search steps (one step: one host-count decision of the complete search, or one move or repair
    /// step of the heuristic; a whole construction pass, O(R log H), counts as at most one; the
    /// complete search's forward checks count one per `Search.pairsPerStep` pairs they examine). The
    /// answer depends only on this, so the same spec gives the same placement on every run and machine.
    public var steps: Int
    /// A safety net in wall-clock seconds. Hitting it (rather than the step limit) is the one case
    /// in which a rerun may answer differently; the result says when it happened.
    public var seconds: Double?
    /// Stop at the first placement found instead of optimising.
    public var feasibilityOnly: Bool
    /// Told now and then how the solve is going (`SolverProgress`); it only watches, the answer is the same without it.
    public var progress: (@Sendable (SolverProgress) -> Void)?
    /// The running solve's `ProgressMeter` for `progress`, set by `Solver.solve()`.
    var meter: ProgressMeter?

    public init(steps: Int = 2_000_000, seconds: Double? = nil, feasibilityOnly: Bool = false,
                progress: (@Sendable (SolverProgress) -> Void)? = nil) {
        self.steps = steps
        self.seconds = seconds
        self.feasibilityOnly = feasibilityOnly
        self.progress = progress
    }
}

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

/// Replicas of one purpose on one host.
public struct HostCount: Sendable, Hashable {
    public var host: Int
    public var count: Int

    public init(host: Int, count: Int) {
        self.host = host
        self.count = count
    }

    static func sparse(_ dense: [[Int]]) -> [[HostCount]] {
        dense.map { row in row.enumerated().compactMap { $1 > 0 ? HostCount(host: $0, count: $1) : nil } }
    }
}

/// The quantity a strategy minimises.
public enum Objective: Sendable, Comparable, CustomStringConvertible {
    /// binpack: hosts running at least one container.
    case hostsUsed(Int)
    /// spread: the highest utilisation of any host, max(cpu used / cpu, memory used / memory).
    case peakUtilisation(Double)

    public var description: String {
        switch self {
        case .hostsUsed(let n): return "\(n) host\(n == 1 ? "" : "s") used"
        case .peakUtilisation(let u): return String(format: "peak utilisation %.1f%%", u * 100)
        }
    }

    var scalar: Double {
        switch self {
        case .hostsUsed(let n): return Double(n)
        case .peakUtilisation(let u): return u
        }
    }

    public static func < (lhs: Objective, rhs: Objective) -> Bool { lhs.scalar < rhs.scalar }
}

/// A complete placement search: depth-first branch and bound over purposes (most constrained
/// first), and within a purpose over how many replicas each candidate host takes.
///
/// - Replicas of one purpose are interchangeable, so a branch fixes a *count* per (purpose, host),
///   host by host; spread tries an even share first, binpack the most first.
/// - Symmetry: of two hosts that are identical (capacity, failure domains that matter, eligibility)
///   and so far identically loaded, the first always takes at least as many replicas (a
///   lexicographic-leader rule that keeps one placement per symmetry class). States reached again
///   up to swapping identical hosts are skipped (a nogood store keyed by the canonical loads).
/// - Propagation: capacity, per-host caps, conflicts and the k-largest survival rule are checked as
///   counts are fixed, and after each purpose every unplaced purpose must still fit (exact
///   survival-capped capacity, `SurvivalMath.maxPlaceable`).
/// - Bound: binpack never opens a host that cannot beat the best host count (lower bound: capacity,
///   each purpose's fewest hosts, and cliques of purposes that may not share a host); spread never
///   lets a host reach the best peak utilisation (lower bound: total demand over total capacity),
///   and bisects on the peak between searches. Stops early when the lower bound is met.
///
/// Exponential in the worst case, as any complete method for this NP-hard problem is (it contains
/// bin packing); bounded by `SolverLimits.steps`, so it always ends and says whether it proved its answer.
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
        // Up to 40 hosts the configuration LP may show at once that nothing beats a placement, or
        // (spread) lead to better ones until it does. The LPs may use up to half the step budget;
        // what they use is charged to it.
        let lpWork = ConfigurationWork(steps: limits.steps / 2, deadline: limits.seconds.map { clock.addingTimeInterval($0) })
        // spread up to 40 hosts: when the LP proves the constructed placement optimal, the heuristic's
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

    /// Up to `completeSearchHosts`: `.excluded` when the configuration LP shows that no placement
    /// does better than this one (`spread`: a lower peak; `binpack`: fewer hosts), which is then
    /// optimal whatever the search has left to do; `.unknown` when its work ran out (then trying
    /// again is not worth it) or it does not apply.
    func proofOfOptimality(_ placement: [[HostCount]], work: ConfigurationWork) -> ConfigurationLP.Verdict {
        guard fitsCompleteSearch else { return .unknown }
        var relaxation: ConfigurationLP
        switch problem.strategy {
        case .spread:
            guard let below = ConfigurationLP(problem: problem, below: placement) else { return .unknown }
            relaxation = below
        case .binpack:
            // Can one host fewer hold everything?
            guard case .hostsUsed(let used) = objective(of: placement), used > 0 else { return .unknown }
            relaxation = ConfigurationLP(problem: problem, cpuLimit: problem.hosts.map(\.cpu), memoryLimit: problem.hosts.map(\.memory))
            relaxation.hostBudget = used - 1
        }
        relaxation.meter = work
        return relaxation.verdict()
    }

    /// spread: whether the configuration LP strictly below each placement's peak has the same limits.
    func sameLimitsBelow(_ a: [[HostCount]], _ b: [[HostCount]]) -> Bool {
        guard let below = ConfigurationLP(problem: problem, below: a), let other = ConfigurationLP(problem: problem, below: b)
        else { return false }
        return below.cpuLimit == other.cpuLimit && below.memoryLimit == other.memoryLimit
    }

    /// Up to 40 hosts, after the heuristic: the configuration LP proves the placement optimal, or
    /// finds better ones (`spread`: a dive, failing it branch and price) until it proves one, finds
    /// none, or its work runs out. The placement kept and the LP's last verdict on it (nil without one).
    func improveWithConfigurationLP(_ start: [[HostCount]]?, work: ConfigurationWork, meter: ProgressMeter?,
                                    verdict known: ConfigurationLP.Verdict? = nil) -> (placement: [[HostCount]]?, verdict: ConfigurationLP.Verdict?) {
        guard var placement = start else { return (nil, nil) }
        var verdict: ConfigurationLP.Verdict? = known ?? proofOfOptimality(placement, work: work)
        while verdict == .admitted {
            guard let better = betterByDiving(placement, work: work) ?? betterByBranching(placement, work: work, proven: &verdict)
            else { break }
            placement = better
            meter?.searchFound(objective(of: better), steps: work.steps)
            verdict = proofOfOptimality(better, work: work)
        }
        meter?.searchFinished(steps: work.steps)
        return (placement, verdict)
    }

    /// `spread`: a placement with a lower peak than this one, by a dive on the configuration LP.
    func betterByDiving(_ placement: [[HostCount]], work: ConfigurationWork) -> [[HostCount]]? {
        guard problem.strategy == .spread, fitsCompleteSearch,
              var relaxation = ConfigurationLP(problem: problem, below: placement) else { return nil }
        relaxation.meter = work
        return relaxation.dive()
    }

    /// `spread`: a placement with a lower peak than this one by branch and price; when there is
    /// none, sets `verdict` to `.excluded` (this one is optimal), when it ran out, to `.unknown`.
    func betterByBranching(_ placement: [[HostCount]], work: ConfigurationWork,
                           proven verdict: inout ConfigurationLP.Verdict?) -> [[HostCount]]? {
        guard problem.strategy == .spread, fitsCompleteSearch,
              var relaxation = ConfigurationLP(problem: problem, below: placement) else { return nil }
        relaxation.meter = work
        switch relaxation.branchAndPrice() {
        case .found(let better): return better
        case .none: verdict = .excluded
        case .unknown: verdict = .unknown
        }
        return nil
    }

    /// The strategy's objective for a placement.
    func objective(of assignment: [[HostCount]]) -> Objective {
        let (cpu, memory) = problem.usage(of: assignment)
        switch problem.strategy {
        case .binpack:
            return .hostsUsed(cpu.filter { $0 > 0 }.count)
        case .spread:
            return .peakUtilisation(problem.hosts.indices.map {
                max(Double(cpu[$0]) / Double(problem.hosts[$0].cpu), Double(memory[$0]) / Double(problem.hosts[$0].memory))
            }.max() ?? 0)
        }
    }

    /// `spread` in three phases, all counted in steps so that the answer stays deterministic:
    /// branch and bound with a quarter of the steps; if that did not prove its answer, bisection on
    /// the peak utilisation between the lower bound and the best so far (each probe a feasibility
    /// search from scratch, so early decisions can change, which chronological backtracking rarely
    /// revisits); then branch and bound below the best with what is left, which proves it optimal
    /// when it runs to the end.
    private func solveSpread(clock: Date, lowerBound: Objective, incumbent: Objective?, tryProofs: Bool,
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

/// The mutable state of one search.
struct Search {
    let problem: PlacementProblem
    let limits: SolverLimits
    let order: [Int]
    let hostClass: [Int]
    let lowerBound: Objective
    let started: Date
    /// A ceiling on every host's utilisation (a bisection probe), on top of the incumbent's bound.
    let utilisationCap: Double?

    var cpuUsed: [Int64]
    var memoryUsed: [Int64]
    var counts: [[Int]]
    var purposesOnHost: [Int]
    var hostsUsed = 0
    var rackCounts: [[Int]]
    var zoneCounts: [[Int]]

    var best: [[Int]]? = nil
    var bestObjective: Objective? = nil
    var steps = 0
    var aborted = false
    var stoppedByClock = false
    var done = false
    var meetsLowerBound = false
    var explored: Set<[Int64]> = []
    /// Per host, what it may hold under the bounds in force.
    var cpuLimit: [Int64]
    var memoryLimit: [Int64]
    /// Per host, a bit per purpose present (words of 64), and per purpose the bits it conflicts with.
    var presence: [UInt64]
    let presenceWords: Int
    let conflictMasks: [[(word: Int, mask: UInt64)]]
    static let exploredLimit = 200_000
    let classCount: Int
    /// Per level, the (purpose, eligible host) pairs of the purposes from there on: the work of the
    /// forward check and the next level's set-up after a purpose is placed, charged as steps (`charge`).
    let pairsFrom: [Int]
    /// Pairs examined but not yet a whole step.
    var unchargedPairs = 0
    /// (purpose, host) pairs examined per step charged (64 left 40 hosts at 3 s).
    static let pairsPerStep = 16

    init(_ problem: PlacementProblem, _ limits: SolverLimits, clock: Date, lowerBound: Objective,
         incumbent: Objective? = nil, utilisationCap: Double? = nil) {
        self.problem = problem
        self.limits = limits
        self.started = clock
        self.utilisationCap = utilisationCap
        self.bestObjective = incumbent
        let hostCount = problem.hosts.count, demandCount = problem.demands.count
        cpuUsed = Array(repeating: 0, count: hostCount)
        memoryUsed = Array(repeating: 0, count: hostCount)
        counts = Array(repeating: Array(repeating: 0, count: hostCount), count: demandCount)
        purposesOnHost = Array(repeating: 0, count: hostCount)
        rackCounts = Array(repeating: Array(repeating: 0, count: problem.racks.count), count: demandCount)
        zoneCounts = Array(repeating: Array(repeating: 0, count: problem.zones.count), count: demandCount)
        self.lowerBound = lowerBound
        hostClass = Search.hostClasses(problem)
        cpuLimit = problem.hosts.map(\.cpu)
        memoryLimit = problem.hosts.map(\.memory)
        presenceWords = (demandCount + 63) / 64
        presence = Array(repeating: 0, count: hostCount * presenceWords)
        conflictMasks = problem.demands.map { demand in
            var words: [Int: UInt64] = [:]
            for q in demand.conflicts { words[q / 64, default: 0] |= 1 << UInt64(q % 64) }
            return words.sorted { $0.key < $1.key }.map { (word: $0.key, mask: $0.value) }
        }
        classCount = (hostClass.max() ?? -1) + 1
        // Most constrained first: least room to spare, then most conflicts, then the biggest demand.
        order = problem.demands.indices.sorted { a, b in
            let ka = Search.orderKey(problem, a), kb = Search.orderKey(problem, b)
            return ka != kb ? ka.lexicographicallyPrecedes(kb) : a < b
        }
        var pairs = Array(repeating: 0, count: order.count + 1)
        for level in stride(from: order.count - 1, through: 0, by: -1) {
            pairs[level] = pairs[level + 1] + problem.demands[order[level]].eligible.count
        }
        pairsFrom = pairs
    }

    static func orderKey(_ problem: PlacementProblem, _ d: Int) -> [Int64] {
        let demand = problem.demands[d]
        let room = demand.eligible.reduce(0) { $0 + problem.staticCap(d, $1) } - demand.replicas
        return [Int64(room), -Int64(demand.conflicts.count), -(demand.cpu.saturatingPlus(demand.memory / (1 << 20))).saturatingTimes(demand.replicas)]
    }

    /// Hosts that no rule can tell apart share a class.
    static func hostClasses(_ problem: PlacementProblem) -> [Int] {
        let racksMatter = problem.demands.contains { $0.survive.racks > 0 }
        let zonesMatter = problem.demands.contains { $0.survive.zones > 0 }
        var eligibleFor = Array(repeating: [Int](), count: problem.hosts.count)
        for (d, demand) in problem.demands.enumerated() { for h in demand.eligible { eligibleFor[h].append(d) } }
        var classes: [[Int64]: Int] = [:]
        return problem.hosts.indices.map { h in
            let host = problem.hosts[h]
            let key: [Int64] = [host.cpu, host.memory, Int64(racksMatter ? host.rack : -2), Int64(zonesMatter ? host.zone : -2)]
                + eligibleFor[h].map(Int64.init)
            if let existing = classes[key] { return existing }
            classes[key] = classes.count
            return classes.count - 1
        }
    }

    static func solve(_ problem: PlacementProblem, _ limits: SolverLimits, clock: Date, lowerBound: Objective,
                      incumbent: Objective? = nil, utilisationCap: Double? = nil) -> SolverResult {
        var search = Search(problem, limits, clock: clock, lowerBound: lowerBound, incumbent: incumbent, utilisationCap: utilisationCap)
        let result = search.run()
        limits.meter?.searchFinished(steps: result.steps)
        return result
    }

    mutating func run() -> SolverResult {
        updateLimits()
        if !problem.demands.isEmpty, forwardCheck(from: 0) { place(level: 0) }
        if problem.demands.isEmpty { record() }
        let status: SolverResult.Status
        switch (best != nil, aborted) {
        case (true, false): status = .optimal
        case (true, true): status = meetsLowerBound ? .optimal : .feasible
        case (false, false): status = .infeasible
        case (false, true): status = .unknown
        }
        return SolverResult(status: status,
                            counts: best, objective: bestObjective, lowerBound: lowerBound, steps: steps,
                            stoppedByClock: stoppedByClock)
    }

    // MARK: - Search

    mutating func place(level: Int) {
        if level == order.count {
            record()
            return
        }
        // A state already searched to the end cannot lead anywhere new: skip it.
        let key = level > 0 ? stateKey(level: level) : nil
        if let key, explored.contains(key) { return }
        defer { if let key, !aborted, explored.count < Search.exploredLimit { explored.insert(key) } }
        let d = order[level]
        let demand = problem.demands[d]
        var candidates = demand.eligible.filter { h in !conflicted(d, on: h) && room(d, h) > 0 }
        candidates.sort { a, b in
            let ka = preference(d, a), kb = preference(d, b)
            if ka != kb { return ka.lexicographicallyPrecedes(kb) }
            return hostClass[a] != hostClass[b] ? hostClass[a] < hostClass[b] : a < b
        }
        let interchangeable = candidates.indices.map { j in j > 0 && sameState(candidates[j - 1], candidates[j], placedBefore: level) }
        // Room of each candidate now, and from each position on: what the rest can still take.
        let rooms = candidates.map { room(d, $0) }
        var suffix = Array(repeating: 0, count: candidates.count + 1)
        for j in stride(from: candidates.count - 1, through: 0, by: -1) { suffix[j] = suffix[j + 1] + rooms[j] }
        let branch = Branch(demand: d, level: level, candidates: candidates, interchangeable: interchangeable,
                            rooms: rooms, suffix: suffix)
        assign(branch, position: 0, remaining: demand.replicas, fullest: [])
    }

    /// One purpose being placed: its candidate hosts in the order they are decided.
    struct Branch {
        var demand: Int
        var level: Int
        var candidates: [Int]
        var interchangeable: [Bool]
        var rooms: [Int]
        var suffix: [Int]
    }

    /// Decides how many replicas the candidate at `position` takes, then moves to the next.
    /// `fullest` holds the largest per-host counts so far (at most k of them, descending).
    mutating func assign(_ branch: Branch, position j: Int, remaining: Int, fullest: [Int]) {
        if remaining == 0 {
            if charge(pairs: pairsFrom[branch.level + 1]), forwardCheck(from: branch.level + 1) { place(level: branch.level + 1) }
            return
        }
        guard j < branch.candidates.count, branch.suffix[j] >= remaining, tick() else { return }
        let d = branch.demand, h = branch.candidates[j]
        var most = min(branch.rooms[j], room(d, h), remaining)
        if branch.interchangeable[j] { most = min(most, counts[d][branch.candidates[j - 1]]) }
        let least = max(0, remaining - branch.suffix[j + 1])
        guard least <= most else { return }
        let k = problem.demands[d].survive.hosts
        for n in valueOrder(least: least, most: most, remaining: remaining, hostsLeft: branch.candidates.count - j) {
            var top = fullest
            if n > 0 {
                if k > 0 {
                    top.append(n)
                    top.sort(by: >)
                    if top.count > k { top.removeLast() }
                    if top.reduce(0, +) > problem.demands[d].tolerableLoss { continue }
                }
                if !domainsSurvive(d, h, adding: n) { continue }
            }
            add(d, h, n)
            assign(branch, position: j + 1, remaining: remaining - n, fullest: top)
            add(d, h, -n)
            if aborted || done { return }
        }
    }

    /// Counts to try for one host: spread tries an even share first, binpack the most first.
    func valueOrder(least: Int, most: Int, remaining: Int, hostsLeft: Int) -> [Int] {
        switch problem.strategy {
        case .binpack:
            return Array((least...most).reversed())
        case .spread:
            let share = min(max((remaining + hostsLeft - 1) / hostsLeft, least), most)
            return Array((least...share).reversed()) + Array(stride(from: share + 1, through: most, by: 1))
        }
    }

    /// Whether racks and zones still satisfy the k-largest rule with n more replicas of d on h.
    mutating func domainsSurvive(_ d: Int, _ h: Int, adding n: Int) -> Bool {
        let demand = problem.demands[d]
        let loss = demand.tolerableLoss
        if demand.survive.racks > 0, problem.hosts[h].rack >= 0 {
            let rack = problem.hosts[h].rack
            rackCounts[d][rack] += n
            let sum = SurvivalMath.largestSum(rackCounts[d], k: demand.survive.racks)
            rackCounts[d][rack] -= n
            if sum > loss { return false }
        }
        if demand.survive.zones > 0, problem.hosts[h].zone >= 0 {
            let zone = problem.hosts[h].zone
            zoneCounts[d][zone] += n
            let sum = SurvivalMath.largestSum(zoneCounts[d], k: demand.survive.zones)
            zoneCounts[d][zone] -= n
            if sum > loss { return false }
        }
        return true
    }

    mutating func tick() -> Bool {
        if steps >= limits.steps {
            aborted = true
        } else if let seconds = limits.seconds, steps & 0xFFF == 0, Date().timeIntervalSince(started) > seconds {
            aborted = true
            stoppedByClock = true
        } else {
            steps += 1
            if steps & ProgressMeter.stepMask == 0 { limits.meter?.searchRunning(steps: steps) }
        }
        return !aborted
    }

    /// Counts the work of examining `pairs` (purpose, host) pairs as steps, one per `pairsPerStep`:
    /// a decision deep in a large problem costs more than one in a small problem. Without this the
    /// default budget took about 2.5 s at 10 hosts and 20 s at 40 (past the default time limit, so
    /// the clock, not the budget, ended it); with it, 1.9 s and 1.0 s, for the same placements on the
    /// bench's 14 spread instances of 10 to 40 hosts. False when the budget is spent.
    mutating func charge(pairs: Int) -> Bool {
        unchargedPairs += pairs
        while unchargedPairs >= Search.pairsPerStep {
            unchargedPairs -= Search.pairsPerStep
            guard tick() else { return false }
        }
        return true
    }

    mutating func record() {
        let objective = currentObjective()
        if bestObjective == nil || objective < bestObjective! {
            best = counts
            bestObjective = objective
            limits.meter?.searchFound(objective, steps: steps)
            updateLimits()
        }
        if bestObjective!.scalar <= lowerBound.scalar + 1e-12 { meetsLowerBound = true }
        if limits.feasibilityOnly || meetsLowerBound {
            done = true
            aborted = true
        }
    }

    func currentObjective() -> Objective {
        switch problem.strategy {
        case .binpack: return .hostsUsed(hostsUsed)
        case .spread: return .peakUtilisation(problem.hosts.indices.map { utilisation($0, extraCPU: 0, extraMemory: 0) }.max() ?? 0)
        }
    }

    // MARK: - Rules

    mutating func add(_ d: Int, _ h: Int, _ delta: Int) {
        let demand = problem.demands[d]
        let before = counts[d][h]
        counts[d][h] += delta
        cpuUsed[h] += demand.cpu * Int64(delta)
        memoryUsed[h] += demand.memory * Int64(delta)
        let rack = problem.hosts[h].rack, zone = problem.hosts[h].zone
        if rack >= 0 { rackCounts[d][rack] += delta }
        if zone >= 0 { zoneCounts[d][zone] += delta }
        if delta == 0 { return }
        if (before == 0) != (counts[d][h] == 0) { presence[h * presenceWords + d / 64] ^= 1 << UInt64(d % 64) }
        if before == 0, delta > 0 {
            purposesOnHost[h] += 1
            if purposesOnHost[h] == 1 { hostsUsed += 1 }
        } else if counts[d][h] == 0, delta < 0 {
            purposesOnHost[h] -= 1
            if purposesOnHost[h] == 0 { hostsUsed -= 1 }
        }
    }

    func utilisation(_ h: Int, extraCPU: Int64, extraMemory: Int64) -> Double {
        let host = problem.hosts[h]
        return max((Double(cpuUsed[h]) + Double(extraCPU)) / Double(host.cpu),
                   (Double(memoryUsed[h]) + Double(extraMemory)) / Double(host.memory))
    }

    /// More replicas of d that host h could take now, by capacity, caps and the objective bound.
    func room(_ d: Int, _ h: Int) -> Int {
        if openingClosed, purposesOnHost[h] == 0 { return 0 }
        let freeCPU = cpuLimit[h] - cpuUsed[h], freeMemory = memoryLimit[h] - memoryUsed[h]
        guard freeCPU >= 0, freeMemory >= 0 else { return 0 }
        let demand = problem.demands[d]
        let byCapacity = min(freeCPU / max(demand.cpu, 1), freeMemory / max(demand.memory, 1))
        return max(0, min(Int(min(byCapacity, Int64(Int.max))), demand.perHostCap - counts[d][h]))
    }

    /// Recomputes what each host may hold under the current bounds (after each new incumbent).
    mutating func updateLimits() {
        for (h, host) in problem.hosts.enumerated() {
            var cpu = host.cpu, memory = host.memory
            if case .peakUtilisation(let bound)? = bestObjective {
                // Strictly below the best peak: the largest whole amounts with used/capacity < bound.
                cpu = min(cpu, Int64((bound * Double(host.cpu)).nextDown.rounded(.down)))
                memory = min(memory, Int64((bound * Double(host.memory)).nextDown.rounded(.down)))
            }
            if let cap = utilisationCap {
                cpu = min(cpu, Int64((cap * Double(host.cpu)).rounded(.down)))
                memory = min(memory, Int64((cap * Double(host.memory)).rounded(.down)))
            }
            cpuLimit[h] = cpu
            memoryLimit[h] = memory
        }
    }

    /// binpack: no new host may be opened once that could not beat the best host count.
    var openingClosed: Bool {
        if case .hostsUsed(let bound)? = bestObjective { return hostsUsed + 1 >= bound }
        return false
    }

    func conflicted(_ d: Int, on h: Int) -> Bool {
        let words = presenceWords
        for (w, mask) in conflictMasks[d] where presence[h * words + w] & mask != 0 { return true }
        return false
    }

    /// Every purpose not yet placed can still get all its replicas, counting capacity, conflicts
    /// and survival (each domain on its own), and the objective bound.
    func forwardCheck(from level: Int) -> Bool {
        if case .hostsUsed(let bound)? = bestObjective, hostsUsed >= bound { return false }
        for next in order[min(level, order.count)...] {
            let demand = problem.demands[next]
            var hostRoom: [Int] = []
            hostRoom.reserveCapacity(demand.eligible.count)
            var rackRoom = demand.survive.racks > 0 ? Array(repeating: 0, count: problem.racks.count) : []
            var zoneRoom = demand.survive.zones > 0 ? Array(repeating: 0, count: problem.zones.count) : []
            for h in demand.eligible where !conflicted(next, on: h) {
                let r = room(next, h)
                guard r > 0 else { continue }
                hostRoom.append(r)
                if !rackRoom.isEmpty, problem.hosts[h].rack >= 0 { rackRoom[problem.hosts[h].rack] += r }
                if !zoneRoom.isEmpty, problem.hosts[h].zone >= 0 { zoneRoom[problem.hosts[h].zone] += r }
            }
            let loss = demand.tolerableLoss
            if SurvivalMath.maxPlaceable(caps: hostRoom, k: demand.survive.hosts, tolerableLoss: loss) < demand.replicas
                || (demand.survive.racks > 0
                    && SurvivalMath.maxPlaceable(caps: rackRoom, k: demand.survive.racks, tolerableLoss: loss) < demand.replicas)
                || (demand.survive.zones > 0
                    && SurvivalMath.maxPlaceable(caps: zoneRoom, k: demand.survive.zones, tolerableLoss: loss) < demand.replicas) {
                return false
            }
        }
        return true
    }

    // MARK: - Ordering and symmetry

    /// Which host to try first: least loaded for spread, fullest already-used (then largest) for binpack.
    func preference(_ d: Int, _ h: Int) -> [Double] {
        let demand = problem.demands[d]
        switch problem.strategy {
        case .spread:
            return [utilisation(h, extraCPU: demand.cpu, extraMemory: demand.memory)]
        case .binpack:
            if purposesOnHost[h] > 0 { return [0, -utilisation(h, extraCPU: 0, extraMemory: 0)] }
            let host = problem.hosts[h]
            return [1, -(Double(host.cpu) / 1000 + Double(host.memory) / Double(1 << 30))]
        }
    }

    /// What the rest of the search depends on once `level` purposes are placed, the same for states
    /// that differ only by swapping identical hosts: per host class, the sorted (load, relevant purposes) of its hosts.
    /// Remembered states are a nogood store: the bound only tightens, so a state once searched stays searched.
    func stateKey(level: Int) -> [Int64] {
        var relevant: [Int] = []
        let unplaced = Set(order[level...])
        for placed in order[..<level] where problem.demands[placed].conflicts.contains(where: unplaced.contains) {
            relevant.append(placed)
        }
        var perClass: [[[Int64]]] = Array(repeating: [], count: classCount)
        for h in problem.hosts.indices {
            var mask: Int64 = 0
            for (bit, placed) in relevant.prefix(62).enumerated() where counts[placed][h] > 0 { mask |= 1 << Int64(bit) }
            perClass[hostClass[h]].append([cpuUsed[h], memoryUsed[h], mask])
        }
        var key: [Int64] = [Int64(level)]
        key.reserveCapacity(1 + problem.hosts.count * 3)
        for var hosts in perClass {
            hosts.sort { $0.lexicographicallyPrecedes($1) }
            for host in hosts { key += host }
        }
        return key
    }

    func sameState(_ a: Int, _ b: Int, placedBefore level: Int) -> Bool {
        guard hostClass[a] == hostClass[b], cpuUsed[a] == cpuUsed[b], memoryUsed[a] == memoryUsed[b] else { return false }
        for placed in order[..<level] where counts[placed][a] != counts[placed][b] { return false }
        return true
    }
}
