// A topology and one placement of it, indexed for failure simulation.

import PlannerSpec

/// Replicas held in one place: `index` is a purpose (in a unit's list) or a unit (in a purpose's list).
struct SimulationShare: Sendable, Hashable {
    var index: Int
    var count: Int
}

/// A topology and one placement of it, indexed for failure simulation.
///
/// Hosts, purposes and the units of each failure domain are numbered in file order (racks and zones
/// in the order of their first host). Everything the simulation reports is derived from the
/// per-host counts: a failure loses exactly the replicas on the hosts it takes out.
public struct SimulationModel: Sendable {
    public let topology: Topology
    public let placement: PlacementCounts
    /// Per host: the purposes it holds replicas of, with their counts.
    let hostShares: [[SimulationShare]]
    let hostIndex: [String: Int]
    let required: [Int]
    /// Per purpose: it is a load balancer (`balancers:`), placed like a purpose.
    let isBalancer: [Bool]

    /// Counts for names the topology lacks are ignored; validate the placement with `Verifier` first.
    public init(topology: Topology, placement: PlacementCounts) {
        self.topology = topology
        self.placement = placement
        var hostIndex: [String: Int] = [:]
        for (i, host) in topology.hosts.enumerated() where hostIndex[host.name] == nil { hostIndex[host.name] = i }
        self.hostIndex = hostIndex
        var shares = Array(repeating: [SimulationShare](), count: topology.hosts.count)
        for (p, purpose) in topology.purposes.enumerated() {
            for (hostName, count) in placement[purpose.name] ?? [:] where count > 0 {
                if let h = hostIndex[hostName] { shares[h].append(SimulationShare(index: p, count: count)) }
            }
        }
        for h in shares.indices { shares[h].sort { $0.index < $1.index } }
        hostShares = shares
        required = topology.purposes.map(\.required)
        let balancers = Set(topology.balancers.map(\.name))
        isBalancer = topology.purposes.map { balancers.contains($0.name) }
    }

    /// Replicas of each purpose actually placed (normally its `replicas`).
    public var placedReplicas: [Int] {
        var placed = Array(repeating: 0, count: topology.purposes.count)
        for shares in hostShares { for share in shares { placed[share.index] += share.count } }
        return placed
    }

    /// The failure units of `domain`: their names, and the hosts (indices) in each.
    /// Hosts that name no rack (zone) are in no rack (zone): a rack failure leaves them alone.
    public func units(_ domain: FailureBudget.Domain) -> [(name: String, hosts: [Int])] {
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (h, host) in topology.hosts.enumerated() {
            guard let key = host.domain(domain) else { continue }
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(h)
        }
        return order.map { ($0, members[$0]!) }
    }

    public func hostIndex(named name: String) -> Int? { hostIndex[name] }

    /// Replicas of each purpose lost when `hosts` fail (indices; duplicates count once).
    func lost(on hosts: some Sequence<Int>) -> [Int] {
        var lost = Array(repeating: 0, count: topology.purposes.count)
        for h in Set(hosts) { for share in hostShares[h] { lost[share.index] += share.count } }
        return lost
    }

    /// cpu and memory the replicas on a host use.
    func used(on host: Int) -> SimulationResources {
        var used = SimulationResources()
        for share in hostShares[host] {
            let purpose = topology.purposes[share.index]
            used.cpu = used.cpu.saturatingPlus(purpose.cpu.saturatingTimes(share.count))
            used.memory = used.memory.saturatingPlus(purpose.memory.saturatingTimes(share.count))
        }
        return used
    }
}
