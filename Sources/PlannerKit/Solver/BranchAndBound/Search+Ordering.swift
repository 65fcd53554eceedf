// The complete search's order and symmetry: which purpose and host come first, and which states are the same.

import PlannerSpec

extension Search {
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
