// The complete search: branch and bound over replica counts, its state and its search loop.

import Foundation
import PlannerSpec

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
/// - Bound: binpack never opens a host that cannot beat the best host count; spread never lets a
///   host reach the best peak utilisation, nor (a bisection probe of `Solver.solveSpread`) pass
///   `utilisationCap`. Stops early when the best meets the lower bound (`Solver.lowerBound`).
///
/// Exponential in the worst case, as any complete method for this NP-hard problem is (it contains
/// bin packing); bounded by `SolverLimits.steps`, so it always ends and says whether it proved its answer.
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
    /// Per domain of `countedDomains`, per purpose, its replicas in each rack or zone.
    var domainCounts: [[[Int]]]
    /// The failure domains counted beside hosts, for the k-largest rule across racks and zones.
    static let countedDomains: [FailureBudget.Domain] = [.rack, .zone]

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
    /// Most states the nogood store remembers (its memory stays bounded; forgetting only costs time).
    static let exploredLimit = 200_000
    let classCount: Int
    /// Per level, the (purpose, eligible host) pairs of the purposes from there on: the work of the
    /// forward check and the next level's set-up after a purpose is placed, charged as steps (`charge`).
    let pairsFrom: [Int]
    /// Pairs examined but not yet a whole step.
    var unchargedPairs = 0
    /// (purpose, host) pairs examined per step charged: few enough that the budget, not the clock,
    /// bounds a search at 40 hosts.
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
        domainCounts = Search.countedDomains.map { domain in
            Array(repeating: Array(repeating: 0, count: problem.domainCount(domain)), count: demandCount)
        }
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

    /// One search from scratch: below `incumbent` when given, under `utilisationCap` when given (a
    /// bisection probe). Its steps are reported to the meter when it ends.
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
    /// a decision deep in a large problem costs more than one in a small problem, so the budget,
    /// not the clock, bounds a search at 40 hosts as at 10. False when the budget is spent.
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
}
