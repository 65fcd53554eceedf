// The complete search's rules: what a host may take, the survival rule, and the forward check.

import PlannerSpec

extension Search {
    mutating func add(_ d: Int, _ h: Int, _ delta: Int) {
        let demand = problem.demands[d]
        let before = counts[d][h]
        counts[d][h] += delta
        cpuUsed[h] += demand.cpu * Int64(delta)
        memoryUsed[h] += demand.memory * Int64(delta)
        for (slot, domain) in Search.countedDomains.enumerated() {
            let index = problem.domainIndex(domain, of: h)
            if index >= 0 { domainCounts[slot][d][index] += delta }
        }
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
        return Utilisation.of(cpu: Double(cpuUsed[h]) + Double(extraCPU), memory: Double(memoryUsed[h]) + Double(extraMemory),
                              cpuCapacity: Double(host.cpu), memoryCapacity: Double(host.memory))
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

    /// Whether racks and zones still satisfy the k-largest rule with n more replicas of d on h.
    mutating func domainsSurvive(_ d: Int, _ h: Int, adding n: Int) -> Bool {
        let demand = problem.demands[d]
        for (slot, domain) in Search.countedDomains.enumerated() {
            let k = demand.survive[domain], index = problem.domainIndex(domain, of: h)
            guard k > 0, index >= 0 else { continue }
            domainCounts[slot][d][index] += n
            let sum = SurvivalMath.largestSum(domainCounts[slot][d], k: k)
            domainCounts[slot][d][index] -= n
            if sum > demand.tolerableLoss { return false }
        }
        return true
    }
}
