// The heuristic's placement rules: capacity, conflicts, caps and survival, checked on every change.

import PlannerSpec

extension HeuristicSolver {
    func utilisation(_ h: Int, cpu: Int64 = 0, memory: Int64 = 0) -> Double {
        let host = problem.hosts[h]
        return Utilisation.of(cpu: Double(cpuUsed[h]) + Double(cpu), memory: Double(memoryUsed[h]) + Double(memory),
                              cpuCapacity: Double(host.cpu), memoryCapacity: Double(host.memory))
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
}
