// Parking hosts short of room during a level probe, and bringing them back (`ParkedHosts`).

extension HeuristicSolver {
    /// Level probes park hosts above this many hosts.
    static let parkingHosts = 1_000

    /// Sets host h aside for d's class: it has not the room for one replica of d.
    mutating func park(_ d: Int, _ h: Int, heap: Int) {
        let demand = problem.demands[d], cls = demand.eligibleClass
        let freeCPU = cpuLimit[h] - cpuUsed[h]
        if freeCPU < demand.cpu {
            parked[cls, default: ParkedHosts()].shortOfCPU.insert(.init(free: freeCPU, host: h, heap: heap))
        } else {
            parked[cls, default: ParkedHosts()].shortOfMemory.insert(.init(free: memoryLimit[h] - memoryUsed[h], host: h, heap: heap))
        }
    }

    /// Returns to d's heaps the parked hosts of its class that had room for one replica of d when parked.
    mutating func unpark(_ d: Int, into heaps: inout [MinHeap<HostKey>]) {
        let demand = problem.demands[d], cls = demand.eligibleClass
        guard var hosts = parked.removeValue(forKey: cls) else { return }   // out of the dictionary: no copy on write
        while let top = hosts.shortOfCPU.peekMax(), top.free >= demand.cpu {
            _ = hosts.shortOfCPU.popMax()
            heaps[top.heap].insert(HostKey(value: utilisation(top.host), host: top.host))
        }
        while let top = hosts.shortOfMemory.peekMax(), top.free >= demand.memory {
            _ = hosts.shortOfMemory.popMax()
            heaps[top.heap].insert(HostKey(value: utilisation(top.host), host: top.host))
        }
        parked[cls] = hosts
    }
}
