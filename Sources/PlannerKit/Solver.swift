import Foundation
import PlannerSpec

/// How much work a solve may do.
public struct SolverLimits: Sendable {
    /// Search steps (one step: one replica tried on one host). The answer depends only on this,
    /// so the same spec gives the same placement on every run and machine.
    public var steps: Int
    /// A safety net in wall-clock seconds. Hitting it (rather than the step limit) is the one case
    /// in which a rerun may answer differently; the result says when it happened.
    public var seconds: Double?
    /// Stop at the first placement found instead of optimising.
    public var feasibilityOnly: Bool

    public init(steps: Int = 2_000_000, seconds: Double? = nil, feasibilityOnly: Bool = false) {
        self.steps = steps
        self.seconds = seconds
        self.feasibilityOnly = feasibilityOnly
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
    /// Replicas per (purpose, host), indexed like the problem; nil without a placement.
    public var counts: [[Int]]?
    public var objective: Objective?
    public var lowerBound: Objective
    public var steps: Int
    /// True when the wall-clock safety net, not the step limit, ended the search.
    public var stoppedByClock: Bool
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

/// A complete placement search: depth-first branch and bound over purposes, then over
/// how many replicas of the purpose each host takes.
///
/// - Replicas of one purpose are interchangeable, so a branch fixes a *count* per host:
///   replicas are added to hosts in non-decreasing candidate order (multisets, not sequences).
/// - Symmetry: of two hosts that are identical (capacity, failure domains that matter,
///   eligibility) and so far identically loaded, the first always takes at least as many replicas
///   (a lexicographic-leader rule; it keeps one placement of each symmetry class).
/// - Propagation: capacity, per-host caps, conflicts and the k-largest survival rule are checked
///   as each replica is added (they only tighten as replicas are added), and after each purpose
///   every unplaced purpose must still fit (exact survival-capped capacity, `SurvivalMath.maxPlaceable`).
/// - Bound: `binpack` never opens a host that cannot beat the best host count; `spread` never
///   lets a host reach the best peak utilisation. Stops early when the lower bound is met.
///
/// Exponential in the worst case, as any complete method for this NP-hard problem is (it contains
/// bin packing); bounded by `SolverLimits.steps`.
public struct Solver {
    public let problem: PlacementProblem
    public var limits: SolverLimits

    public init(_ problem: PlacementProblem, limits: SolverLimits = .init()) {
        self.problem = problem
        self.limits = limits
    }

    public func solve() -> SolverResult {
        Search(problem, limits).run()
    }

    /// A lower bound on the strategy's objective over every placement.
    public static func lowerBound(_ problem: PlacementProblem) -> Objective {
        switch problem.strategy {
        case .spread:
            let cpu = problem.demands.reduce(0.0) { $0 + Double($1.cpu) * Double($1.replicas) }
            let memory = problem.demands.reduce(0.0) { $0 + Double($1.memory) * Double($1.replicas) }
            let capCPU = problem.hosts.reduce(0.0) { $0 + Double($1.cpu) }
            let capMemory = problem.hosts.reduce(0.0) { $0 + Double($1.memory) }
            return .peakUtilisation(max(capCPU > 0 ? cpu / capCPU : 0, capMemory > 0 ? memory / capMemory : 0))
        case .binpack:
            func hostsFor(_ demand: Int64, _ capacities: [Int64]) -> Int {
                var remaining = demand, used = 0
                for capacity in capacities.sorted(by: >) where remaining > 0 {
                    remaining -= capacity
                    used += 1
                }
                return used
            }
            let cpu = problem.demands.reduce(Int64(0)) { $0 + $1.cpu * Int64($1.replicas) }
            let memory = problem.demands.reduce(Int64(0)) { $0 + $1.memory * Int64($1.replicas) }
            var bound = max(hostsFor(cpu, problem.hosts.map(\.cpu)), hostsFor(memory, problem.hosts.map(\.memory)))
            for demand in problem.demands where demand.survive.hosts > 0 {
                let required = demand.replicas - demand.tolerableLoss
                if let fewest = SurvivalMath.fewestDomains(replicas: demand.replicas, required: required,
                                                           k: demand.survive.hosts) {
                    bound = max(bound, fewest)
                }
            }
            return .hostsUsed(bound)
        }
    }
}

/// The mutable state of one search.
private final class Search {
    let problem: PlacementProblem
    let limits: SolverLimits
    let order: [Int]
    let hostClass: [Int]
    let lowerBound: Objective
    let started = Date()

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
    static let exploredLimit = 200_000
    let classCount: Int

    init(_ problem: PlacementProblem, _ limits: SolverLimits) {
        self.problem = problem
        self.limits = limits
        let hostCount = problem.hosts.count, demandCount = problem.demands.count
        cpuUsed = Array(repeating: 0, count: hostCount)
        memoryUsed = Array(repeating: 0, count: hostCount)
        counts = Array(repeating: Array(repeating: 0, count: hostCount), count: demandCount)
        purposesOnHost = Array(repeating: 0, count: hostCount)
        rackCounts = Array(repeating: Array(repeating: 0, count: problem.racks.count), count: demandCount)
        zoneCounts = Array(repeating: Array(repeating: 0, count: problem.zones.count), count: demandCount)
        lowerBound = Solver.lowerBound(problem)
        hostClass = Search.hostClasses(problem)
        classCount = (hostClass.max() ?? -1) + 1
        // Most constrained first: least room to spare, then most conflicts, then the biggest demand.
        order = problem.demands.indices.sorted { a, b in
            let ka = Search.orderKey(problem, a), kb = Search.orderKey(problem, b)
            return ka != kb ? ka.lexicographicallyPrecedes(kb) : a < b
        }
    }

    static func orderKey(_ problem: PlacementProblem, _ d: Int) -> [Int64] {
        let demand = problem.demands[d]
        let room = demand.eligible.reduce(0) { $0 + problem.staticCap(d, $1) } - demand.replicas
        return [Int64(room), -Int64(demand.conflicts.count), -(demand.cpu + demand.memory / (1 << 20)) * Int64(demand.replicas)]
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

    func run() -> SolverResult {
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

    func place(level: Int) {
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
        var candidates = demand.eligible.filter { h in
            !demand.conflicts.contains { counts[$0][h] > 0 } && room(d, h) > 0
        }
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
    func assign(_ branch: Branch, position j: Int, remaining: Int, fullest: [Int]) {
        if remaining == 0 {
            if forwardCheck(from: branch.level + 1) { place(level: branch.level + 1) }
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
    func domainsSurvive(_ d: Int, _ h: Int, adding n: Int) -> Bool {
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

    func tick() -> Bool {
        if steps >= limits.steps {
            aborted = true
        } else if let seconds = limits.seconds, steps & 0xFFF == 0, Date().timeIntervalSince(started) > seconds {
            aborted = true
            stoppedByClock = true
        } else {
            steps += 1
        }
        return !aborted
    }

    func record() {
        let objective = currentObjective()
        if bestObjective == nil || objective < bestObjective! {
            best = counts
            bestObjective = objective
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

    func add(_ d: Int, _ h: Int, _ delta: Int) {
        let demand = problem.demands[d]
        let before = counts[d][h]
        counts[d][h] += delta
        cpuUsed[h] += demand.cpu * Int64(delta)
        memoryUsed[h] += demand.memory * Int64(delta)
        let rack = problem.hosts[h].rack, zone = problem.hosts[h].zone
        if rack >= 0 { rackCounts[d][rack] += delta }
        if zone >= 0 { zoneCounts[d][zone] += delta }
        if delta == 0 { return }
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
        return max(Double(cpuUsed[h] + extraCPU) / Double(host.cpu), Double(memoryUsed[h] + extraMemory) / Double(host.memory))
    }

    /// More replicas of d that host h could take now, by capacity, caps and the objective bound.
    func room(_ d: Int, _ h: Int) -> Int {
        let demand = problem.demands[d], host = problem.hosts[h]
        var freeCPU = host.cpu - cpuUsed[h], freeMemory = host.memory - memoryUsed[h]
        if case .peakUtilisation(let bound)? = bestObjective {
            // Strictly below the best peak: the largest whole amounts with used/capacity < bound.
            freeCPU = min(freeCPU, Int64((bound * Double(host.cpu)).nextDown.rounded(.down)) - cpuUsed[h])
            freeMemory = min(freeMemory, Int64((bound * Double(host.memory)).nextDown.rounded(.down)) - memoryUsed[h])
        }
        if case .hostsUsed(let bound)? = bestObjective, purposesOnHost[h] == 0, hostsUsed + 1 >= bound { return 0 }
        guard freeCPU >= 0, freeMemory >= 0 else { return 0 }
        let byCapacity = min(freeCPU / max(demand.cpu, 1), freeMemory / max(demand.memory, 1))
        return max(0, min(Int(min(byCapacity, Int64(Int.max))), demand.perHostCap - counts[d][h]))
    }

    /// Every purpose not yet placed can still get all its replicas, counting capacity, conflicts
    /// and survival (each domain on its own), and the objective bound.
    func forwardCheck(from level: Int) -> Bool {
        if case .hostsUsed(let bound)? = bestObjective, hostsUsed >= bound { return false }
        for next in order[min(level, order.count)...] {
            let demand = problem.demands[next]
            var hostRoom: [Int] = []
            var rackRoom = Array(repeating: 0, count: problem.racks.count)
            var zoneRoom = Array(repeating: 0, count: problem.zones.count)
            for h in demand.eligible where !demand.conflicts.contains(where: { counts[$0][h] > 0 }) {
                let r = room(next, h)
                guard r > 0 else { continue }
                hostRoom.append(r)
                if problem.hosts[h].rack >= 0 { rackRoom[problem.hosts[h].rack] += r }
                if problem.hosts[h].zone >= 0 { zoneRoom[problem.hosts[h].zone] += r }
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
