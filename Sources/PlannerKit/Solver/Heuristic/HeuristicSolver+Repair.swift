// Repair by ejection: replicas without a host take one from others, which then look for a host in
// turn; and the searches built on it, spread's `lowerPeak` and binpack's `closeByRepair`.

import PlannerSpec

extension HeuristicSolver {
    /// Hosts up to which the repair runs everywhere (each of its steps scans the purpose's eligible
    /// hosts); above, only binpack's `closeByRepair` uses it, with a shortlist (`cheapestEviction`).
    static let repairHosts = 200
    /// Hosts up to which binpack's `closeByRepair` runs (above `repairHosts` with a shortlist of
    /// hosts to evict from, `cheapestEviction`, and a smaller budget, `largeCloseByRepairSteps`). Its
    /// steps scan the hosts in use: beyond this it would grow past the default time limit.
    static let closeByRepairHosts = 10_000
    /// Steps after which a replica placed on a host may be evicted from it again (against cycling).
    static let tabuTenure = 12
    /// Most steps for one use of the repair search: each step scans a purpose's eligible hosts, so it
    /// costs more than a step of the other searches.
    static let repairSteps = 40_000

    /// Places one replica of each entry of `pending` (purposes, repeated per replica). A replica goes
    /// to the eligible host it matches best if one has room; otherwise to the host where making room
    /// evicts the least (every conflicting replica, then the smallest set of others that frees enough,
    /// never one placed there in the last `tabuTenure` steps), and the evicted replicas join the queue.
    /// A min-conflicts search with a tabu rule (Glover, 1989), ties broken by seeded randomness.
    /// Ends when the queue is empty (true) or after `budget` steps (false, with replicas still queued).
    mutating func repair(_ pending: inout [Int], budget: Int) -> Bool {
        var placedAt: [Int: Int] = [:]   // purpose × hosts + host → step of its latest placement there
        var used = 0
        var next = 0
        while next < pending.count {
            guard used < budget, tick() else {
                pending.removeFirst(next)
                return false
            }
            used += 1
            let d = pending[next]
            next += 1
            if next > 4_096 {
                pending.removeFirst(next)
                next = 0
            }
            var direct: (score: Double, host: Int)? = nil
            for h in repairHosts(for: d) where fits(d, h) && canAdd(d, h, exact: true) {
                let score = packingScore(d, h)
                if direct == nil || score < direct!.score { direct = (score, h) }
            }
            if let (_, h) = direct {
                add(d, h, 1)
                placedAt[d * problem.hosts.count + h] = used
                continue
            }
            guard let (_, h, evict) = cheapestEviction(for: d, placedAt: placedAt, now: used) else {
                pending.append(d)      // nowhere now: try again after the others have moved
                continue
            }
            for e in evict { add(e, h, -1) }
            guard canAdd(d, h, exact: true) else {
                for e in evict { add(e, h, 1) }
                pending.append(d)
                continue
            }
            add(d, h, 1)
            placedAt[d * problem.hosts.count + h] = used
            pending.append(contentsOf: evict)
        }
        pending.removeAll()
        return true
    }

    /// The hosts `repair` may place d on: its eligible hosts, or those of them among `repairCandidates`.
    func repairHosts(for d: Int) -> LazyFilterSequence<[Int]> {
        let eligible = repairCandidates == nil ? nil : classSets[problem.demands[d].eligibleClass]!
        return (repairCandidates ?? problem.demands[d].eligible).lazy.filter { eligible?.contains($0) ?? true }
    }

    /// Most hosts whose eviction `cheapestEviction` works out above `repairHosts`.
    static let evictionShortlist = 8

    /// The eligible host where making room for one replica of d costs least, with a little seeded
    /// noise against cycling, and the replicas to evict there. Up to `repairHosts` hosts every
    /// eligible host is costed. Above, hosts are taken in order of a lower bound on their cost (the
    /// room missing in each resource, as a share of the host: what is evicted must free at least
    /// that), which stops as soon as no host left can beat the best, and after `evictionShortlist`
    /// hosts at most: the full scan spent most of its time in hosts that could never win. O(H log K) then for a shortlist of K = 2 · `evictionShortlist`, plus at most
    /// `evictionShortlist` evictions, instead of H evictions of O(replicas on a host) each.
    mutating func cheapestEviction(for d: Int, placedAt: [Int: Int], now: Int) -> (cost: Double, host: Int, evict: [Int])? {
        let demand = problem.demands[d]
        var best: (cost: Double, host: Int, evict: [Int])? = nil
        guard problem.hosts.count > HeuristicSolver.repairHosts else {
            for h in demand.eligible where canAdd(d, h, exact: true, ignoringRoom: true) {
                guard let (cost, evict) = eviction(for: d, on: h, placedAt: placedAt, now: now) else { continue }
                let noisy = cost * (1 + 0.05 * random.nextUnit())
                if best == nil || noisy < best!.cost { best = (noisy, h, evict) }
            }
            return best
        }
        // The 2 · `evictionShortlist` hosts of least bound, by a bounded max-heap: most hosts cost one comparison.
        var shortlist = MaxHeap<HostKey>(), listed = 0
        for h in repairHosts(for: d) {
            let missingCPU = max(0, demand.cpu - (cpuLimit[h] - cpuUsed[h]))
            let missingMemory = max(0, demand.memory - (memoryLimit[h] - memoryUsed[h]))
            let key = HostKey(value: Double(missingCPU) / Double(problem.hosts[h].cpu) + Double(missingMemory) / Double(problem.hosts[h].memory),
                              host: h)
            if listed < 2 * HeuristicSolver.evictionShortlist {
                shortlist.insert(key)
                listed += 1
            } else if key < shortlist.peekMax()! {
                _ = shortlist.popMax()
                shortlist.insert(key)
            }
        }
        var candidates: [HostKey] = []
        while let key = shortlist.popMax() { candidates.append(key) }
        var costed = 0
        for key in candidates.reversed() {
            if let best, key.value >= best.cost { break }
            let h = key.host
            guard canAdd(d, h, exact: true, ignoringRoom: true),
                  let (cost, evict) = eviction(for: d, on: h, placedAt: placedAt, now: now) else { continue }
            let noisy = cost * (1 + 0.05 * random.nextUnit())
            if best == nil || noisy < best!.cost { best = (noisy, h, evict) }
            costed += 1
            if costed == HeuristicSolver.evictionShortlist { break }
        }
        return best
    }

    /// The replicas to evict from h so that one replica of d fits there, and what that costs (their
    /// size relative to the host); nil when tabu replicas stand in the way.
    func eviction(for d: Int, on h: Int, placedAt: [Int: Int], now: Int) -> (cost: Double, evict: [Int])? {
        // Locals, so that the helpers below capture a few values rather than the whole search state.
        let demands = problem.demands, demand = demands[d], host = problem.hosts[h]
        let stride = problem.hosts.count, hostCPU = Double(host.cpu), hostMemory = Double(host.memory)
        func tabu(_ e: Int) -> Bool { (placedAt[e * stride + h]).map { now - $0 < HeuristicSolver.tabuTenure } ?? false }
        var evict: [Int] = []
        var cpuFree = cpuLimit[h] - cpuUsed[h], memoryFree = memoryLimit[h] - memoryUsed[h]
        let conflicts = demand.conflicts
        for e in onHost[h] where e != d && conflicts.contains(e) {
            if tabu(e) { return nil }
            for _ in 0..<(placed[e][h] ?? 0) {
                evict.append(e)
                cpuFree += demands[e].cpu
                memoryFree += demands[e].memory
            }
        }
        // The others, the one that alone frees enough first (smallest such), else largest first.
        let others = onHost[h].filter { $0 != d && !conflicts.contains($0) && !tabu($0) }
        func enough(_ cpu: Int64, _ memory: Int64) -> Bool { cpu >= demand.cpu && memory >= demand.memory }
        func size(_ e: Int) -> Double { Double(demands[e].cpu) / hostCPU + Double(demands[e].memory) / hostMemory }
        if !enough(cpuFree, memoryFree) {
            let single = others.filter { enough(cpuFree + demands[$0].cpu, memoryFree + demands[$0].memory) }
                .min { (size($0), $0) < (size($1), $1) }
            if let single {
                evict.append(single)
            } else {
                var counts = others.map { (e: $0, left: placed[$0][h] ?? 0) }.sorted { (size($0.e), $1.e) > (size($1.e), $0.e) }
                var i = 0
                while !enough(cpuFree, memoryFree), i < counts.count {
                    if counts[i].left == 0 { i += 1; continue }
                    counts[i].left -= 1
                    evict.append(counts[i].e)
                    cpuFree += demands[counts[i].e].cpu
                    memoryFree += demands[counts[i].e].memory
                }
                if !enough(cpuFree, memoryFree) { return nil }
            }
        }
        return (evict.reduce(0.0) { $0 + size($1) } + 1e-3 * Double(evict.count), evict)
    }

    /// spread: lowers the peak one level at a time. Every host is limited to just below the current
    /// peak, the replicas over a limit are evicted (largest first), and `repair` re-places them under
    /// the limits; a failed attempt restores the last placement and ends the search.
    mutating func lowerPeak(budget: Int) {
        guard problem.hosts.count <= HeuristicSolver.repairHosts else { return }
        var spent = 0
        while spent < budget {
            let peak = problem.hosts.indices.map { utilisation($0) }.max() ?? 0
            guard peak > 0 else { return }
            let saved = self
            for h in problem.hosts.indices {
                let host = problem.hosts[h]
                cpuLimit[h] = min(host.cpu, Int64((Double(host.cpu) * peak).rounded(.down)) - 1)
                memoryLimit[h] = min(host.memory, Int64((Double(host.memory) * peak).rounded(.down)) - 1)
            }
            var pending: [Int] = []
            for h in problem.hosts.indices where cpuUsed[h] > cpuLimit[h] || memoryUsed[h] > memoryLimit[h] {
                let byDemand = onHost[h].sorted { (problem.demands[$0].cpu, $0) > (problem.demands[$1].cpu, $1) }
                for e in byDemand {
                    while cpuUsed[h] > cpuLimit[h] || memoryUsed[h] > memoryLimit[h], (placed[e][h] ?? 0) > 0 {
                        add(e, h, -1)
                        pending.append(e)
                    }
                }
            }
            let before = steps
            let repaired = repair(&pending, budget: min(budget - spent, 20 * (pending.count + 50)))
            spent += steps - before + 1
            if !repaired {
                restart(from: saved)
                return
            }
            cpuLimit = problem.hosts.map(\.cpu)
            memoryLimit = problem.hosts.map(\.memory)
        }
    }

    /// binpack: empties hosts by repair where moving replicas directly (`closeHosts`) could not. Hosts
    /// not in use may hold nothing; one host in use at a time (least loaded first) joins them, its
    /// replicas are evicted and `repair` re-places them, displacing others as it must; a failed attempt
    /// restores the placement. Each attempt has `attemptSteps`, all of them `budget`. Up to
    /// `closeByRepairHosts` hosts; above `repairHosts` the eviction looks only at the hosts in use.
    mutating func closeByRepair(budget: Int, attemptSteps: Int = 2_000) {
        guard problem.hosts.count <= HeuristicSolver.closeByRepairHosts else { return }
        var spent = 0
        var tried = Set<Int>()
        // binpack: at the lower bound no host can be emptied any more; trying would spend the budget.
        let floor = problem.strategy == .binpack ? Int(lowerBound.scalar) : 0
        while spent < budget {
            let inUse = problem.hosts.indices.filter { !onHost[$0].isEmpty }
            guard inUse.count > floor else { return }
            func load(_ h: Int) -> Double {
                Double(cpuUsed[h]) / Double(problem.hosts[h].cpu) + Double(memoryUsed[h]) / Double(problem.hosts[h].memory)
            }
            guard let h = inUse.filter({ !tried.contains($0) }).min(by: { (load($0), $0) < (load($1), $1) }) else { return }
            tried.insert(h)
            let saved = self
            for other in problem.hosts.indices where other == h || onHost[other].isEmpty {
                cpuLimit[other] = 0
                memoryLimit[other] = 0
            }
            var pending: [Int] = []
            for d in onHost[h] {
                for _ in 0..<(placed[d][h] ?? 0) { pending.append(d) }
            }
            for d in Set(pending) { add(d, h, -(placed[d][h] ?? 0)) }
            let before = steps
            repairCandidates = inUse.filter { $0 != h }
            let emptied = repair(&pending, budget: min(attemptSteps, budget - spent))
            repairCandidates = nil
            spent += steps - before + 1
            if emptied {
                tried.removeAll()     // the placement changed: hosts that failed before may empty now
            } else {
                restart(from: saved)
            }
            cpuLimit = problem.hosts.map(\.cpu)
            memoryLimit = problem.hosts.map(\.memory)
            if stoppedByClock || steps >= stepLimit { return }
        }
    }
}
