// spread: single moves of replicas off the peak host while that lowers it.

extension HeuristicSolver {
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
