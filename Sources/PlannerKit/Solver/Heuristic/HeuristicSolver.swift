import Foundation
import PlannerSpec

/// A fast constructive placement plus local search, for topologies too large for complete search,
/// and as the first incumbent of the complete search on small ones.
///
/// - Construction, most constrained purpose first (conflicts, then least room to spare, then largest
///   demand): `spread` gives each replica the eligible host with the lowest utilisation after it
///   (heaps per eligibility class, zone and host size, O((r + skipped) log H) per purpose);
///   `binpack` opens the largest hosts and spreads inside them, opening more on demand
///   (`HeuristicBinpack.swift`); tight clusters fall back to packing and repair (`HeuristicRepair.swift`).
/// - Survival while constructing: the uniform caps ⌊L/k⌋ per host, rack and zone (sufficient for
///   the k-largest rule); a purpose they cannot place is retried with the exact rule.
/// - Improvement within the step budget: `spread` packs again under a ceiling on every host, bisecting
///   on the ceiling (`levelSpread`, which balances cpu against memory), then moves replicas off the
///   peak host while that lowers the peak, on small problems exchanges and repairs, and up to 2,000
///   hosts a local search on the sorted utilisations (`HeuristicSpreadLeximax.swift`); `binpack`
///   empties the least-loaded hosts into the others while it can.
///
/// Every move is checked against every rule, and the result goes through the `Verifier` like any other.
/// Memory is O(H + P + placed entries): no purposes × hosts matrix.
struct HeuristicSolver {
    let problem: PlacementProblem
    let stepLimit: Int
    /// The problem's lower bound (`Solver.lowerBound`): how many hosts the binpack openings start from.
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
    /// Seeded randomness for the repair search's tie-breaking (SplitMix64; the same run every time).
    var randomState: UInt64 = 0x9E37_79B9_7F4A_7C15
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
    /// eligibility class those set aside until a replica small enough for them comes (`HeuristicParking.swift`).
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
    /// order leaves that to chance (on the 1,000-host bench instance, 325 hosts against 318).
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

    // MARK: - Rules

    func utilisation(_ h: Int, cpu: Int64 = 0, memory: Int64 = 0) -> Double {
        let host = problem.hosts[h]
        return max((Double(cpuUsed[h]) + Double(cpu)) / Double(host.cpu), (Double(memoryUsed[h]) + Double(memory)) / Double(host.memory))
    }

    func fits(_ d: Int, _ h: Int, _ n: Int = 1) -> Bool {
        let demand = problem.demands[d]
        return cpuUsed[h].saturatingPlus(demand.cpu.saturatingTimes(n)) <= cpuLimit[h]
            && memoryUsed[h].saturatingPlus(demand.memory.saturatingTimes(n)) <= memoryLimit[h]
    }

    func conflicted(_ d: Int, _ h: Int) -> Bool {
        onHost[h].contains { conflictSets[d].contains($0) }
    }

    /// Whether d may take one more replica on h (eligibility aside): caps, capacity, conflicts,
    /// and survival, uniform (⌊L/k⌋ per domain) or exact (k-largest sum ≤ L).
    /// With `ignoringRoom`, capacity and conflicts are not checked (what evicting others could change).
    func canAdd(_ d: Int, _ h: Int, exact: Bool, removingFrom source: Int? = nil, ignoringRoom: Bool = false) -> Bool {
        let demand = problem.demands[d]
        let current = placed[d][h] ?? 0
        guard current + 1 <= demand.perHostCap, ignoringRoom || fits(d, h) else { return false }
        if current == 0, !ignoringRoom, conflicted(d, h) { return false }
        for domain in FailureBudget.Domain.allCases {
            let k = demand.survive[domain]
            guard k > 0 else { continue }
            let target = problem.domainIndex(domain, of: h)
            guard target >= 0 else { continue }
            let from = source.map { problem.domainIndex(domain, of: $0) } ?? -1
            if from == target { continue }
            let counts: [Int]
            switch domain {
            case .host: counts = []
            case .rack: counts = rackCount[d]
            case .zone: counts = zoneCount[d]
            }
            let targetCount = (domain == .host ? current : counts[target]) + 1
            // With k = 1 (or uniform caps) only the target's own count matters: the largest domain
            // holds at most L, and the move only grows the target.
            if !exact || k == 1 {
                if targetCount > demand.tolerableLoss / k { return false }
                continue
            }
            // Exact: the k fullest domains, after the move, hold at most L.
            var values: [Int]
            if domain == .host {
                values = placed[d].filter { $0.key != h && $0.key != from }.map(\.value)
                if from >= 0, let left = placed[d][from], left > 1 { values.append(left - 1) }
            } else {
                values = counts.enumerated().filter { $0.offset != target && $0.offset != from }.map(\.element)
                if from >= 0, counts[from] > 1 { values.append(counts[from] - 1) }
            }
            values.append(targetCount)
            if SurvivalMath.largestSum(values, k: k) > demand.tolerableLoss { return false }
        }
        return true
    }

    mutating func add(_ d: Int, _ h: Int, _ delta: Int) {
        let demand = problem.demands[d]
        let before = placed[d][h] ?? 0
        let after = before + delta
        placed[d][h] = after == 0 ? nil : after
        cpuUsed[h] += demand.cpu * Int64(delta)
        memoryUsed[h] += demand.memory * Int64(delta)
        if !rackCount[d].isEmpty, problem.hosts[h].rack >= 0 { rackCount[d][problem.hosts[h].rack] += delta }
        if !zoneCount[d].isEmpty, problem.hosts[h].zone >= 0 { zoneCount[d][problem.hosts[h].zone] += delta }
        if before == 0, after > 0 { onHost[h].append(d) }
        if after == 0, before > 0 { onHost[h].removeAll { $0 == d } }
        if delta < 0, !bucketOf[h].isEmpty { refresh(h) }
    }

    mutating func clear(_ d: Int) {
        for (h, count) in placed[d] { add(d, h, -count) }
    }

    /// The zone heaps of an eligibility class, built on first use.
    mutating func buildBuckets(_ cls: Int, hosts: [Int]) {
        guard buckets[cls] == nil else { return }
        // One heap per zone and host size: within it, least utilised now is least utilised after
        // taking any given replica, so each heap's top is the only candidate it needs to offer.
        var bySlot: [[Int64]: MinHeap<HostKey>] = [:]
        let usable = openHosts.map { open in hosts.filter { open.contains($0) } } ?? hosts
        for h in usable { bySlot[slot(h), default: MinHeap()].insert(HostKey(value: utilisation(h), host: h)) }
        let slots = bySlot.keys.sorted { $0.lexicographicallyPrecedes($1) }
        let position = Dictionary(uniqueKeysWithValues: slots.enumerated().map { ($1, $0) })
        buckets[cls] = slots.map { bySlot[$0]! }
        slotPositions[cls] = position
        for h in usable { bucketOf[h].append((cls, position[slot(h)]!)) }
    }

    /// binpack inside the open hosts, lower is better: keep a host's cpu and memory filling at the
    /// same pace (a host full in one and empty in the other is wasted), then prefer the emptier host.
    func packingScore(_ d: Int, _ h: Int) -> Double {
        let demand = problem.demands[d], host = problem.hosts[h]
        // In floating point: hostile sizes near the 64-bit limit would overflow the integer sums.
        let cpuAfter = (Double(cpuUsed[h]) + Double(demand.cpu)) / Double(host.cpu)
        let memoryAfter = (Double(memoryUsed[h]) + Double(demand.memory)) / Double(host.memory)
        return abs(cpuAfter - memoryAfter) + 0.1 * max(cpuAfter, memoryAfter)
    }

    func slot(_ h: Int) -> [Int64] { [Int64(problem.hosts[h].zone), problem.hosts[h].cpu, problem.hosts[h].memory] }

    /// Opens host h: it joins the heaps of every class already built that may use it. The class
    /// being placed has its heaps out (`placing`, `heaps`), so they are passed in.
    mutating func open(_ h: Int, placing cls: Int, heaps: inout [MinHeap<HostKey>], skipped: inout [[HostKey]]) {
        openHosts?.insert(h)
        let key = HostKey(value: utilisation(h), host: h)
        for other in slotPositions.keys.sorted() where classSets[other]!.contains(h) {
            let position: Int
            if let known = slotPositions[other]![slot(h)] {
                position = known
            } else {
                position = slotPositions[other]!.count
                slotPositions[other]![slot(h)] = position
                if other == cls {
                    heaps.append(MinHeap())
                    skipped.append([])
                } else {
                    buckets[other]!.append(MinHeap())
                }
            }
            if other == cls { heaps[position].insert(key) } else { buckets[other]![position].insert(key) }
            bucketOf[h].append((other, position))
        }
    }

    /// The next host that d may use, not yet open, in opening order, that takes a replica of d now.
    mutating func hostToOpen(_ d: Int, exact: Bool) -> Int? {
        guard let open = openHosts else { return nil }
        let cls = problem.demands[d].eligibleClass
        if openingOrder[cls] == nil {
            let rank = openingRank
            openingOrder[cls] = problem.demands[d].eligible.sorted { rank[$0] < rank[$1] }
        }
        let order = openingOrder[cls]!
        var cursor = openingCursor[cls, default: 0]
        while cursor < order.count, open.contains(order[cursor]) { cursor += 1 }
        openingCursor[cls] = cursor
        for h in order[cursor...] where !open.contains(h) && canAdd(d, h, exact: exact) { return h }
        return nil
    }

    /// A host whose utilisation fell gets a fresh entry in every heap that holds it (keys only
    /// grow lazily; the old, higher entry is dropped when it surfaces).
    mutating func refresh(_ h: Int) {
        let key = HostKey(value: utilisation(h), host: h)
        for (cls, zone) in bucketOf[h] { buckets[cls]?[zone].insert(key) }
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
        let spent = steps, stopped = stoppedByClock, state = randomState
        self = earlier
        steps = spent
        stoppedByClock = stopped
        randomState = state
    }

    /// Per purpose, the hosts it may use (its eligibility class's set), for loops that look it up often.
    var eligibleSets: [HostSet] { problem.demands.map { classSets[$0.eligibleClass]! } }

    /// Every purpose placed as far as it goes, then the rest by `repair` (small problems only).
    mutating func placeAndRepair(_ order: [Int]) -> Bool {
        guard problem.hosts.count <= HeuristicSolver.repairHosts else { return false }
        for d in order { _ = placePurpose(d) }
        var pending = unplacedReplicas(order)
        return repair(&pending, budget: min(HeuristicSolver.repairSteps / 2, max(1, (stepLimit - steps) / 2)))
    }

    /// One entry per replica not placed yet, purposes in `order`: the queue `repair` takes.
    func unplacedReplicas(_ order: [Int]) -> [Int] {
        order.flatMap { d in repeatElement(d, count: max(0, problem.demands[d].replicas - placed[d].values.reduce(0, +))) }
    }

    /// Most restarts of `restartAndRepair`, and the repair steps of each.
    static let restarts = 4
    static let restartRepairSteps = 5_000

    /// Tight clusters that one repair run leaves short: restarts from scratch, each packing the purposes
    /// in a seeded random order over every host and repairing what is left with a small budget (a
    /// failed repair run tends to circle in one region; a new order starts it elsewhere). Iterated
    /// construction with restarts; deterministic, as the orders come from the try's number.
    mutating func restartAndRepair(_ order: [Int], from empty: HeuristicSolver) -> Bool {
        guard problem.hosts.count <= HeuristicSolver.repairHosts else { return false }
        for attempt in 0..<HeuristicSolver.restarts where steps < stepLimit && !stoppedByClock {
            restart(from: empty)
            randomState = 0x5EED &+ UInt64(attempt) &* 0x9E37_79B9_7F4A_7C15
            var shuffled = order
            for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, Int(random() * Double(i + 1))) }
            openEveryHost()
            let placedAll = placeEachPurpose(shuffled)
            openHosts = nil
            if placedAll { return true }
            var pending = unplacedReplicas(shuffled)
            if repair(&pending, budget: HeuristicSolver.restartRepairSteps) { return true }
        }
        return false
    }

    /// One purpose by `placeSpread`, under the uniform survival caps and, where they are too strict,
    /// the exact rule; what the exact attempt placed stays when it falls short.
    mutating func placePurpose(_ d: Int) -> Bool {
        if placeSpread(d, exact: false) { return true }
        clear(d)
        return placeSpread(d, exact: true)
    }

    /// Each purpose in turn, until one cannot be placed.
    mutating func placeEachPurpose(_ order: [Int]) -> Bool {
        for d in order where !placePurpose(d) { return false }
        return true
    }

    // MARK: - Spread

    /// Each replica to the least utilised eligible host that takes it. The hosts of the purpose's
    /// eligibility class sit in one heap per zone and host size, keyed by utilisation; keys only grow
    /// while placing, so an entry found stale is pushed back with its current value (lazy update).
    /// Each heap's top is scored once and again only when that heap changes (placing a replica
    /// changes one host, in one heap), so a replica costs one comparison per heap, not one score.
    /// O((r + skipped) log H + r · heaps) per purpose.
    mutating func placeSpread(_ d: Int, exact: Bool, count: Int? = nil) -> Bool {
        let demand = problem.demands[d]
        let cls = demand.eligibleClass
        buildBuckets(cls, hosts: demand.eligible)
        var heaps = buckets[cls]!
        buckets[cls] = nil
        if parking { unpark(d, into: &heaps) }
        var skipped: [[HostKey]] = Array(repeating: [], count: heaps.count)
        var tops: [(value: Double, host: Int)?] = heaps.indices.map { scoredTop(d, &heaps[$0]) }
        var remaining = count ?? demand.replicas
        var probes = 0
        while remaining > 0 {
            // The heap whose top is least utilised after taking this replica.
            var pick: Int? = nil
            for z in tops.indices {
                guard let top = tops[z] else { continue }
                if pick == nil || (top.value, top.host) < (tops[pick!]!.value, tops[pick!]!.host) { pick = z }
            }
            guard let z = pick else {
                guard openingAllowed, let h = hostToOpen(d, exact: exact) else { break }
                open(h, placing: cls, heaps: &heaps, skipped: &skipped)
                tops = heaps.indices.map { scoredTop(d, &heaps[$0]) }
                continue
            }
            guard let top = heaps[z].popMin() else { break }
            let h = top.host
            guard canAdd(d, h, exact: exact) else {
                if parking, !fits(d, h) { park(d, h, heap: z) } else { skipped[z].append(top) }
                tops[z] = scoredTop(d, &heaps[z])
                probes += 1
                if probes > probeLimit { break }
                continue
            }
            add(d, h, 1)
            journal?.append((d, h))
            remaining -= 1
            heaps[z].insert(HostKey(value: utilisation(h), host: h))
            tops[z] = scoredTop(d, &heaps[z])
        }
        for z in heaps.indices { for key in skipped[z] { heaps[z].insert(key) } }
        buckets[cls] = heaps
        return remaining == 0
    }

    /// The heap's top once its stale entries are cleaned (a closed host is dropped: it returns when it
    /// reopens; a key below the host's utilisation goes back with the current value; one above it has
    /// a fresher entry already), scored for one more replica of d: the utilisation after it, or, while
    /// only open hosts may be used, the packing score. Nil when the heap is empty.
    mutating func scoredTop(_ d: Int, _ heap: inout MinHeap<HostKey>) -> (value: Double, host: Int)? {
        let demand = problem.demands[d]
        while let top = heap.peek() {
            if openHosts?.contains(top.host) == false {
                _ = heap.popMin()
                continue
            }
            let current = utilisation(top.host)
            if current > top.value + 1e-12 || current < top.value - 1e-12 {
                _ = heap.popMin()
                if current > top.value { heap.insert(HostKey(value: current, host: top.host)) }
                continue
            }
            let after = openHosts == nil ? utilisation(top.host, cpu: demand.cpu, memory: demand.memory) : packingScore(d, top.host)
            return (after, top.host)
        }
        return nil
    }

    /// Moves replicas off the host with the highest utilisation while that lowers it.
    mutating func improveSpread() {
        var peaks = MaxHeap<HostKey>()
        for h in problem.hosts.indices { peaks.insert(HostKey(value: utilisation(h), host: h)) }
        while tick(), let top = peaks.popMax() {
            let h = top.host
            let current = utilisation(h)
            if abs(current - top.value) > 1e-12 { peaks.insert(HostKey(value: current, host: h)); continue }
            guard let (d, target) = bestMove(from: h, below: current) else { break }
            add(d, h, -1)
            add(d, target, 1)
            peaks.insert(HostKey(value: utilisation(h), host: h))
            peaks.insert(HostKey(value: utilisation(target), host: target))
        }
    }

    /// The move of one replica off h that leaves both hosts below `peak`, to the least utilised target.
    /// Targets come from the tops of the purpose's zone heaps (a few per zone), not from every host.
    mutating func bestMove(from h: Int, below peak: Double) -> (Int, Int)? {
        var best: (d: Int, target: Int, value: Double)? = nil
        // The purposes on a host mostly share a few eligibility classes: each class's low hosts are found once.
        var lowHosts: [Int: [Int]] = [:]
        for d in onHost[h] {
            let demand = problem.demands[d]
            let cls = demand.eligibleClass
            if lowHosts[cls] == nil {
                buildBuckets(cls, hosts: demand.eligible)
                lowHosts[cls] = buckets[cls]!.indices.flatMap { lowest(cls, $0, count: 4) }
            }
            for target in lowHosts[cls]! where target != h {
                let after = utilisation(target, cpu: demand.cpu, memory: demand.memory)
                guard after < peak - 1e-12, after < (best?.value ?? .infinity),
                      canAdd(d, target, exact: true, removingFrom: h) else { continue }
                best = (d, target, after)
            }
        }
        return best.map { ($0.d, $0.target) }
    }

    /// Up to `count` distinct hosts with the lowest current utilisation in one zone heap (left in place).
    mutating func lowest(_ cls: Int, _ zone: Int, count: Int) -> [Int] {
        var taken: [HostKey] = [], found: [Int] = []
        while found.count < count, let top = buckets[cls]![zone].popMin() {
            let current = utilisation(top.host)
            if current > top.value + 1e-12 { buckets[cls]![zone].insert(HostKey(value: current, host: top.host)); continue }
            if current < top.value - 1e-12 || found.contains(top.host) { continue }
            taken.append(top)
            found.append(top.host)
        }
        for key in taken { buckets[cls]![zone].insert(key) }
        return found
    }
}
