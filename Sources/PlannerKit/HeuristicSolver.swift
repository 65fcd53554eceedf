import PlannerSpec

/// A fast constructive placement plus local search, for topologies too large for complete search,
/// and as the first incumbent of the complete search on small ones.
///
/// - Construction, most constrained purpose first (least room to spare, then largest demand):
///   `spread` gives each replica the eligible host with the lowest utilisation after it
///   (a binary heap per purpose, O(E + r log E)); `binpack` fills one host at a time, largest
///   first, with the purposes whose demand best matches the host's remaining capacity (best-fit
///   by the dominant share, which beats item-by-item first-fit at scale), O(H · P_active).
/// - Survival while constructing: the uniform caps ⌊L/k⌋ per host, rack and zone (sufficient for
///   the k-largest rule); a purpose they cannot place is retried with the exact rule.
/// - Improvement within the step budget: `spread` moves replicas off the peak host while that lowers
///   the peak; `binpack` empties the least-loaded hosts into the others while it can.
///
/// Every move is checked against every rule, and the result goes through the `Verifier` like any other.
/// Memory is O(H + P + placed entries): no purposes × hosts matrix.
struct HeuristicSolver {
    let problem: PlacementProblem
    let stepLimit: Int
    /// Told of the steps now and then, for progress reports (`ProgressMeter`).
    var meter: ProgressMeter?

    var steps = 0
    var cpuUsed: [Int64]
    var memoryUsed: [Int64]
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

    init(_ problem: PlacementProblem, stepLimit: Int) {
        self.problem = problem
        self.stepLimit = stepLimit
        cpuUsed = Array(repeating: 0, count: problem.hosts.count)
        memoryUsed = Array(repeating: 0, count: problem.hosts.count)
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
        let order = problem.demands.indices.sorted { a, b in
            let ka = orderKey(a), kb = orderKey(b)
            return ka != kb ? ka.lexicographicallyPrecedes(kb) : a < b
        }
        switch problem.strategy {
        case .spread:
            guard placeEachPurpose(order) else { return nil }
            improveSpread()
        case .binpack:
            // Two constructions, each packed afterwards: host by host (best match first), and purpose
            // by purpose (spread out, then emptied host by host). Neither wins everywhere, so up to a
            // few thousand hosts both run and the one using fewer hosts is kept (ties: host by host).
            var byHost = self
            let hostFirst = byHost.placeBinpack(order)
            if hostFirst { byHost.improveBinpack() }
            var byPurpose = self
            byPurpose.steps = byHost.steps
            var purposeFirst = false
            if !hostFirst || problem.hosts.count <= HeuristicSolver.bothConstructionsUpTo {
                purposeFirst = byPurpose.placeEachPurpose(order)
                if purposeFirst { byPurpose.improveBinpack() }
            }
            switch (hostFirst, purposeFirst) {
            case (false, false): return nil
            case (true, false): self = byHost
            case (false, true): self = byPurpose
            case (true, true): self = byPurpose.hostsUsed < byHost.hostsUsed ? byPurpose : byHost
            }
        }
        return placed.map { hosts in hosts.sorted { $0.key < $1.key }.map { HostCount(host: $0.key, count: $0.value) } }
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
        let demand = problem.demands[d], host = problem.hosts[h]
        return cpuUsed[h].saturatingPlus(demand.cpu.saturatingTimes(n)) <= host.cpu
            && memoryUsed[h].saturatingPlus(demand.memory.saturatingTimes(n)) <= host.memory
    }

    func conflicted(_ d: Int, _ h: Int) -> Bool {
        onHost[h].contains { conflictSets[d].contains($0) }
    }

    /// Whether d may take one more replica on h (eligibility aside): caps, capacity, conflicts,
    /// and survival, uniform (⌊L/k⌋ per domain) or exact (k-largest sum ≤ L).
    func canAdd(_ d: Int, _ h: Int, exact: Bool, removingFrom source: Int? = nil) -> Bool {
        let demand = problem.demands[d]
        let current = placed[d][h] ?? 0
        guard current + 1 <= demand.perHostCap, fits(d, h) else { return false }
        if current == 0, conflicted(d, h) { return false }
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
            if !exact {
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
        func slot(_ h: Int) -> [Int64] { [Int64(problem.hosts[h].zone), problem.hosts[h].cpu, problem.hosts[h].memory] }
        for h in hosts { bySlot[slot(h), default: MinHeap()].insert(HostKey(value: utilisation(h), host: h)) }
        let slots = bySlot.keys.sorted { $0.lexicographicallyPrecedes($1) }
        let position = Dictionary(uniqueKeysWithValues: slots.enumerated().map { ($1, $0) })
        buckets[cls] = slots.map { bySlot[$0]! }
        for h in hosts { bucketOf[h].append((cls, position[slot(h)]!)) }
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
        return steps <= stepLimit
    }

    static let bothConstructionsUpTo = 2_000

    var hostsUsed: Int { onHost.filter { !$0.isEmpty }.count }

    /// Each purpose in turn, spread by `placeSpread` (uniform caps, then the exact rule).
    mutating func placeEachPurpose(_ order: [Int]) -> Bool {
        for d in order where !placeSpread(d, exact: false) {
            clear(d)
            if !placeSpread(d, exact: true) { return false }
        }
        return true
    }

    // MARK: - Spread

    /// Each replica to the least utilised eligible host that takes it. The hosts of the purpose's
    /// eligibility class sit in one heap per zone, keyed by utilisation; keys only grow while
    /// placing, so an entry found stale is pushed back with its current value (lazy update).
    /// O((r + skipped) log H) per purpose.
    mutating func placeSpread(_ d: Int, exact: Bool) -> Bool {
        let demand = problem.demands[d]
        let cls = demand.eligibleClass
        buildBuckets(cls, hosts: demand.eligible)
        var heaps = buckets[cls]!
        buckets[cls] = nil
        var skipped: [[HostKey]] = Array(repeating: [], count: heaps.count)
        var remaining = demand.replicas
        while remaining > 0 {
            // The heap whose top is least utilised after taking this replica.
            var pick: (z: Int, value: Double, host: Int)? = nil
            for z in heaps.indices {
                guard let top = heaps[z].peek() else { continue }
                let current = utilisation(top.host)
                if current > top.value + 1e-12 || current < top.value - 1e-12 {
                    // Stale: a higher key goes back in; a lower one has a fresher entry already.
                    _ = heaps[z].popMin()
                    if current > top.value { heaps[z].insert(HostKey(value: current, host: top.host)) }
                    pick = nil
                    break
                }
                let after = utilisation(top.host, cpu: demand.cpu, memory: demand.memory)
                if pick == nil || (after, top.host) < (pick!.value, pick!.host) { pick = (z, after, top.host) }
            }
            if pick == nil {
                if heaps.contains(where: { !$0.isEmpty }) { continue }   // a stale top was refreshed: look again
                break
            }
            let z = pick!.z
            guard let top = heaps[z].popMin() else { break }
            let h = top.host
            guard canAdd(d, h, exact: exact) else {
                skipped[z].append(top)
                continue
            }
            add(d, h, 1)
            remaining -= 1
            heaps[z].insert(HostKey(value: utilisation(h), host: h))
        }
        for z in heaps.indices { for key in skipped[z] { heaps[z].insert(key) } }
        buckets[cls] = heaps
        return remaining == 0
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
        for d in onHost[h] {
            let demand = problem.demands[d]
            buildBuckets(demand.eligibleClass, hosts: demand.eligible)
            for zone in buckets[demand.eligibleClass]!.indices {
                for target in lowest(demand.eligibleClass, zone, count: 4) where target != h {
                    let after = utilisation(target, cpu: demand.cpu, memory: demand.memory)
                    guard after < peak - 1e-12, after < (best?.value ?? .infinity),
                          canAdd(d, target, exact: true, removingFrom: h) else { continue }
                    best = (d, target, after)
                }
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

    // MARK: - Binpack

    /// Fills one host at a time, largest first (zones taking turns among equals), with the purpose
    /// whose replica takes the largest share of what the host has left.
    mutating func placeBinpack(_ order: [Int]) -> Bool {
        var remaining = problem.demands.map(\.replicas)
        var active = order.filter { remaining[$0] > 0 }
        // Hosts not yet visited that each purpose may use, to see when one must be placed now.
        var hostsLeft = problem.demands.map(\.eligible.count)
        for h in hostOrder() where !active.isEmpty {
            var candidates: [Int] = []
            for d in active where classSets[problem.demands[d].eligibleClass]!.contains(h) {
                hostsLeft[d] -= 1
                candidates.append(d)
            }
            while tick() {
                // The replica that best matches what the host has left: the largest dot product of its
                // demand and the free capacity, both relative to the host's size (Panigrahy et al.,
                // "Heuristics for vector bin packing", 2011), which keeps cpu and memory filling together.
                // Candidates only drop out as the host fills, so the list shrinks as it goes.
                var kept = 0
                for d in candidates where remaining[d] > 0 && fits(d, h) && canAdd(d, h, exact: false) {
                    candidates[kept] = d
                    kept += 1
                }
                candidates.removeLast(candidates.count - kept)
                var best: (d: Int, score: Double)? = nil, runnerUp = -1.0
                for d in candidates {
                    // Urgent first: a purpose whose remaining replicas need every host it has left.
                    let perHost = max(1, uniformHostCap(d))
                    let urgent = (remaining[d] + perHost - 1) / perHost > hostsLeft[d]
                    let score = matchScore(d, h) + (urgent ? 10 : 0)
                    if score > (best?.score ?? -1) {
                        runnerUp = best?.score ?? -1
                        best = (d, score)
                    } else if score > runnerUp {
                        runnerUp = score
                    }
                }
                guard let (d, _) = best else { break }
                // More of the same while it stays the best match (the others' scores only shrink as the host fills).
                repeat {
                    add(d, h, 1)
                    remaining[d] -= 1
                } while remaining[d] > 0 && canAdd(d, h, exact: false) && matchScore(d, h) >= runnerUp
                if remaining[d] == 0 { active.removeAll { $0 == d } }
            }
        }
        // What the uniform caps left over gets the exact rule, on any host.
        for d in order where remaining[d] > 0 {
            for h in problem.demands[d].eligible where remaining[d] > 0 {
                while remaining[d] > 0, canAdd(d, h, exact: true) {
                    add(d, h, 1)
                    remaining[d] -= 1
                }
            }
        }
        return remaining.allSatisfy { $0 == 0 }
    }

    /// Most replicas of d one host may take under the uniform survival caps.
    func uniformHostCap(_ d: Int) -> Int {
        let demand = problem.demands[d]
        return demand.survive.hosts > 0 ? min(demand.perHostCap, demand.tolerableLoss / demand.survive.hosts) : demand.perHostCap
    }

    func matchScore(_ d: Int, _ h: Int) -> Double {
        let demand = problem.demands[d], host = problem.hosts[h]
        let cpu = Double(host.cpu), memory = Double(host.memory)
        return Double(demand.cpu) / cpu * Double(host.cpu - cpuUsed[h]) / cpu
            + Double(demand.memory) / memory * Double(host.memory - memoryUsed[h]) / memory
    }

    func hostOrder() -> [Int] {
        var rankInZone: [Int] = Array(repeating: 0, count: problem.hosts.count)
        var seen: [Int: Int] = [:]
        for h in problem.hosts.indices {
            let zone = problem.hosts[h].zone
            rankInZone[h] = seen[zone, default: 0]
            seen[zone, default: 0] += 1
        }
        return problem.hosts.indices.sorted { a, b in
            let ha = problem.hosts[a], hb = problem.hosts[b]
            let sa = Double(ha.cpu) / 1000 + Double(ha.memory) / Double(1 << 30)
            let sb = Double(hb.cpu) / 1000 + Double(hb.memory) / Double(1 << 30)
            if sa != sb { return sa > sb }
            return (rankInZone[a], a) < (rankInZone[b], b)
        }
    }

    /// Empties the least-loaded hosts into the other used hosts while every replica finds room.
    mutating func improveBinpack() {
        var used = problem.hosts.indices.filter { !onHost[$0].isEmpty }
        used.sort { (utilisation($0), $0) < (utilisation($1), $1) }
        for h in used where tick() {
            let before = placed
            let beforeCPU = cpuUsed, beforeMemory = memoryUsed, beforeOnHost = onHost
            let beforeRacks = rackCount, beforeZones = zoneCount
            var emptied = true
            for d in onHost[h] {
                for _ in 0..<(placed[d][h] ?? 0) {
                    // Best fit: the fullest host that takes it.
                    let target = used.reversed().first { $0 != h && !onHost[$0].isEmpty && classSets[problem.demands[d].eligibleClass]!.contains($0)
                        && canAdd(d, $0, exact: true, removingFrom: h) }
                    guard let target else { emptied = false; break }
                    add(d, h, -1)
                    add(d, target, 1)
                }
                if !emptied { break }
            }
            if !emptied {
                placed = before
                cpuUsed = beforeCPU
                memoryUsed = beforeMemory
                onHost = beforeOnHost
                rackCount = beforeRacks
                zoneCount = beforeZones
            }
        }
    }
}

/// A host and the value it is ordered by; ties go to the lower host index, for determinism.
struct HostKey: Comparable {
    var value: Double
    var host: Int
    static func < (a: HostKey, b: HostKey) -> Bool { a.value != b.value ? a.value < b.value : a.host < b.host }
}

/// A binary min-heap (Williams, 1964): O(log n) insert and pop.
struct MinHeap<Element: Comparable> {
    private var items: [Element] = []

    var isEmpty: Bool { items.isEmpty }
    func peek() -> Element? { items.first }

    mutating func insert(_ element: Element) {
        items.append(element)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func popMin() -> Element? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count, items[left] < items[smallest] { smallest = left }
            if right < items.count, items[right] < items[smallest] { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}

/// A max-heap over the same ordering.
struct MaxHeap<Element: Comparable> {
    private struct Reversed: Comparable {
        var element: Element
        static func < (a: Reversed, b: Reversed) -> Bool { b.element < a.element }
    }
    private var heap = MinHeap<Reversed>()
    mutating func insert(_ element: Element) { heap.insert(Reversed(element: element)) }
    mutating func popMax() -> Element? { heap.popMin()?.element }
}

/// A fixed set of host indices as bits: membership in O(1) without hashing.
struct HostSet {
    private var words: [UInt64]

    init(_ members: [Int], capacity: Int) {
        words = Array(repeating: 0, count: (capacity + 63) / 64)
        for member in members { words[member >> 6] |= 1 << UInt64(member & 63) }
    }

    func contains(_ member: Int) -> Bool { words[member >> 6] & (1 << UInt64(member & 63)) != 0 }
}
