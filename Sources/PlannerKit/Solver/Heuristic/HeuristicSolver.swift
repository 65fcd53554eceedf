// The heuristic: its state, its entry point and the purpose orders it places by.

import Foundation
import PlannerSpec

/// A fast constructive placement plus local search: the answer for topologies too large for the
/// complete search, and the incumbent the complete search starts from on small ones.
///
/// - Construction, most constrained purpose first (conflicts, then least room to spare, then largest
///   demand): `spread` gives each replica the eligible host with the lowest utilisation after it
///   (heaps per eligibility class, zone and host size, O((r + skipped) log H) per purpose,
///   `HeuristicSolver+SpreadConstruction.swift`); `binpack` opens the largest hosts and spreads inside
///   them, opening more on demand (`HeuristicSolver+Binpack.swift`). Tight clusters fall back to
///   packing, then to repair by ejection (`HeuristicSolver+Restarts.swift`, `HeuristicSolver+Repair.swift`).
/// - Survival while constructing: the uniform caps ⌊L/k⌋ per host, rack and zone (sufficient for
///   the k-largest rule); a purpose they cannot place is retried with the exact rule.
/// - Improvement within the step budget: `spread` makes a portfolio of runs (`improveByPortfolio`),
///   each packing again under a ceiling on every host, bisecting on the ceiling (`levelSpread`, which
///   balances cpu against memory), then moving replicas off the peak host while that lowers the peak,
///   and on small problems exchanges and repairs; the best run ends with a local search on the sorted
///   utilisations up to 2,000 hosts (`finishSpread`, which the `Solver` may defer: `defersLeximax`).
///   `binpack` empties the least-loaded hosts into the others (`closeHosts`), evens out cpu against
///   memory by swaps and empties again, then empties more by repair (`closeByRepair`).
///
/// Every move is checked against every rule, and the result goes through the `Verifier` like any other.
/// Memory is O(H + P + placed entries): no purposes × hosts matrix.
struct HeuristicSolver {
    let problem: PlacementProblem
    let stepLimit: Int
    /// The problem's lower bound (`Solver.lowerBound`): where the improvement searches stop, and where
    /// spread's bisection on the ceiling starts.
    let lowerBound: Objective
    /// Told of the steps now and then, for progress reports (`ProgressMeter`).
    var meter: ProgressMeter?

    var steps = 0
    /// The wall-clock safety net (`SolverLimits.seconds`), checked every few hundred steps, and
    /// whether it ended the search (the one case in which a rerun may answer differently).
    var deadline: Date? = nil
    var stoppedByClock = false
    var cpuUsed: [Int64]
    var memoryUsed: [Int64]
    /// What each host may hold: its capacity, or less while the spread search lowers the peak.
    var cpuLimit: [Int64]
    var memoryLimit: [Int64]
    /// Seeded randomness for the repair search's tie-breaking, the restarts' orders and the leximax
    /// search's kicks (the same run every time).
    var random = SplitMix64(seed: 0x9E37_79B9_7F4A_7C15)
    /// Per purpose, its hosts with counts.
    var placed: [[Int: Int]]
    /// Per host, the purposes on it (for conflicts and for moves).
    var onHost: [[Int]]
    let conflictSets: [Set<Int>]
    /// Per eligibility class, its hosts as bits, and its hosts by zone in heaps keyed by utilisation
    /// (shared by every purpose of the class, so no purpose walks all its hosts).
    let classSets: [Int: HostSet]
    var buckets: [Int: [MinHeap<HostKey>]] = [:]
    /// Per host, the (class, zone heap) pairs that hold it.
    var bucketOf: [[(Int, Int)]]
    /// Per purpose, replicas per rack and per zone (small: racks and zones are few).
    var rackCount: [[Int]]
    var zoneCount: [[Int]]
    /// binpack's opening construction: the hosts that may be used so far (nil: all of them). A purpose
    /// that finds no room on them opens the next host in `hostOrder` it may use.
    var openHosts: HostSet? = nil
    /// Per eligibility class, the heap position of each (zone, cpu, memory) slot.
    var slotPositions: [Int: [[Int64]: Int]] = [:]
    /// Per eligibility class, its hosts in opening order, and how far the opened prefix reaches.
    var openingOrder: [Int: [Int]] = [:]
    var openingCursor: [Int: Int] = [:]
    /// Per host, its position in the opening construction's `hostOrder(_:)` ranking.
    var openingRank: [Int] = []
    /// Whether a purpose short of room may open another host (not while hosts are being emptied).
    var openingAllowed = true
    /// While a move is tried: the replicas placed since, to take back if it fails.
    var journal: [(purpose: Int, host: Int)]? = nil
    /// When set, the only hosts `repair` places on (ascending; the hosts in use while `closeByRepair`
    /// empties one, the others having no room), so that its steps scan those rather than every host.
    var repairCandidates: [Int]? = nil
    /// Most hosts one placement may find full before giving up (bounded while emptying hosts, where
    /// most hosts are full and a failed attempt is cheap to take back).
    var probeLimit = Int.max
    /// During a level probe's construction: whether hosts short of room are set aside, and per
    /// eligibility class those set aside until a replica small enough for them comes (`ParkedHosts`).
    var parking = false
    var parked: [Int: ParkedHosts] = [:]
    /// spread: whether to improve the first placement (not when any placement answers the question,
    /// as in the explainer's sub-searches).
    var improving = true
    /// spread: whether `solve` leaves the last improvement (`finishSpread`) to the caller, which may
    /// prove the placement optimal first and so skip it.
    var defersLeximax = false

    /// `lowerBound`: the problem's, when the caller has it already (computed here otherwise).
    init(_ problem: PlacementProblem, stepLimit: Int, lowerBound: Objective? = nil) {
        self.problem = problem
        self.stepLimit = stepLimit
        self.lowerBound = lowerBound ?? Solver.lowerBound(problem)
        cpuUsed = Array(repeating: 0, count: problem.hosts.count)
        memoryUsed = Array(repeating: 0, count: problem.hosts.count)
        cpuLimit = problem.hosts.map(\.cpu)
        memoryLimit = problem.hosts.map(\.memory)
        placed = Array(repeating: [:], count: problem.demands.count)
        onHost = Array(repeating: [], count: problem.hosts.count)
        conflictSets = problem.demands.map { Set($0.conflicts) }
        var sets: [Int: HostSet] = [:]
        for demand in problem.demands where sets[demand.eligibleClass] == nil {
            sets[demand.eligibleClass] = HostSet(demand.eligible, capacity: problem.hosts.count)
        }
        classSets = sets
        bucketOf = Array(repeating: [], count: problem.hosts.count)
        rackCount = problem.demands.map { $0.survive.racks > 0 ? Array(repeating: 0, count: problem.racks.count) : [] }
        zoneCount = problem.demands.map { $0.survive.zones > 0 ? Array(repeating: 0, count: problem.zones.count) : [] }
    }

    /// The placement found, or nil when construction could not place every replica.
    mutating func solve() -> [[HostCount]]? {
        let order = purposeOrder()
        switch problem.strategy {
        case .spread:
            // When spreading alone leaves replicas without room (a tight cluster), the packing
            // constructions, which keep cpu and memory filling together, often still place everything;
            // when they do not either, the repair search places what is left by ejection.
            let initial = self
            if !placeEachPurpose(order) {
                restart(from: initial)
                openEveryHost()
                if !placeEachPurpose(order) {
                    restart(from: initial)
                    if let packed = bestPacking(order, repairing: false) {
                        self = packed
                    } else {
                        restart(from: initial)
                        guard placeAndRepair(order) || restartAndRepair(order, from: initial) else { return nil }
                    }
                }
                openHosts = nil
            }
            if improving { improveByPortfolio(order, from: initial) }
        case .binpack:
            guard let best = bestPacking(order, alsoTrying: [shapeOrder()]) else { return nil }
            self = best
        }
        return assignment
    }

    /// The placement as the solver reports it: per purpose, its hosts in ascending order with counts.
    var assignment: [[HostCount]] {
        placed.map { hosts in hosts.sorted { $0.key < $1.key }.map { HostCount(host: $0.key, count: $0.value) } }
    }

    /// Most constrained purpose first: with conflicts, then least spare room, then largest demand.
    func purposeOrder() -> [Int] {
        problem.demands.indices.sorted { a, b in
            let ka = orderKey(a), kb = orderKey(b)
            return ka != kb ? ka.lexicographicallyPrecedes(kb) : a < b
        }
    }

    /// For binpack's openings, a second order: purposes with conflicts first as in `purposeOrder`, the
    /// others by memory per cpu, lowest first. Hosts short of memory are full in cpu only if cpu-heavy
    /// purposes reach them before memory-heavy ones have taken their memory; the most-constrained
    /// order leaves that to chance.
    func shapeOrder() -> [Int] {
        func memoryPerCPU(_ d: Int) -> Double { Double(problem.demands[d].memory) / Double(max(1, problem.demands[d].cpu)) }
        let conflictsFirst = purposeOrder()
        let split = conflictsFirst.firstIndex { problem.demands[$0].conflicts.isEmpty } ?? conflictsFirst.count
        // Ties keep their place in `purposeOrder`.
        let rest = conflictsFirst[split...].enumerated().sorted { a, b in
            let ra = memoryPerCPU(a.element), rb = memoryPerCPU(b.element)
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
        return Array(conflictsFirst[..<split]) + rest
    }

    private func orderKey(_ d: Int) -> [Int64] {
        let demand = problem.demands[d]
        let room = demand.eligible.count * max(1, min(demand.perHostCap, demand.replicas)) - demand.replicas
        let size = demand.cpu.saturatingPlus(demand.memory >> 20)
        return [demand.conflicts.isEmpty ? 1 : 0, Int64(room), -size.saturatingTimes(demand.replicas)]
    }

    mutating func tick() -> Bool {
        steps += 1
        if steps & ProgressMeter.stepMask == 0 { meter?.heuristicRunning(steps: steps) }
        // Often enough for the slowest steps (a repair step scans a purpose's hosts).
        if steps & 0x3F == 0, let deadline, Date() > deadline { stoppedByClock = true }
        return steps <= stepLimit && !stoppedByClock
    }

    /// Whether the wall-clock safety net has passed (checked between constructions, which do not tick).
    var pastDeadline: Bool { deadline.map { Date() > $0 } ?? false }

    var hostsUsed: Int { onHost.filter { !$0.isEmpty }.count }

    /// Back to an earlier state, keeping the steps spent since.
    mutating func restart(from earlier: HeuristicSolver) {
        let spent = steps
        self = earlier
        steps = spent
    }

    /// Back to an earlier placement found by a search that goes on: keeps the steps spent, whether the
    /// clock has stopped the search, and where the seeded randomness has got to.
    mutating func resume(from earlier: HeuristicSolver) {
        let spent = steps, stopped = stoppedByClock, state = random
        self = earlier
        steps = spent
        stoppedByClock = stopped
        random = state
    }

    /// Per purpose, the hosts it may use (its eligibility class's set), for loops that look it up often.
    var eligibleSets: [HostSet] { problem.demands.map { classSets[$0.eligibleClass]! } }
}
