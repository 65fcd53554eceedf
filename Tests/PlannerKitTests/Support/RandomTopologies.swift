// Test support: seeded random tiny topologies, and the brute-force oracle the solver is checked against.

import PlannerKit
import PlannerSpec

/// Small random topologies that exercise every rule: capacity, labels, host lists, ports,
/// avoid, max_per_host, majority, and survival across hosts, racks and zones.
enum RandomTopologies {
    static func tiny(seed: UInt64, maxHosts: Int = 4, maxPurposes: Int = 3, maxReplicas: Int = 3) -> Topology {
        var rng = SplitMix64(seed: seed)
        let hostCount = Int.random(in: 2...maxHosts, using: &rng)
        let zones = ["a", "b", "c"].prefix(Int.random(in: 1...3, using: &rng))
        var hosts: [Host] = []
        for i in 0..<hostCount {
            let zone = zones.randomElement(using: &rng)!
            hosts.append(Host(name: "h\(i)", address: "127.0.0.\(i + 11)", cpu: Int64(Int.random(in: 1...6, using: &rng)) * 1000,
                              memory: Int64(Int.random(in: 1...6, using: &rng)) << 30, zone: zone,
                              rack: "\(zone)\(Int.random(in: 1...2, using: &rng))",
                              labels: Bool.random(using: &rng) ? ["x"] : []))
        }
        let purposeCount = Int.random(in: 1...maxPurposes, using: &rng)
        var purposes: [Purpose] = []
        for i in 0..<purposeCount {
            let replicas = Int.random(in: 1...maxReplicas, using: &rng)
            let minAvailable: MinAvailable = Int.random(in: 0..<4, using: &rng) == 0 ? .majority
                : .count(Int.random(in: 1...max(1, replicas - 1), using: &rng))
            var survive = FailureBudget(hosts: [0, 1, 1, 1, 1, 1, 2].randomElement(using: &rng)!, racks: 0, zones: 0)
            if Int.random(in: 0..<6, using: &rng) == 0 { survive.racks = 1 }
            if Int.random(in: 0..<6, using: &rng) == 0 { survive.zones = 1 }
            var placement = Placement()
            if Int.random(in: 0..<4, using: &rng) == 0 { placement.labels = ["x"] }
            if Int.random(in: 0..<5, using: &rng) == 0 {
                placement.hosts = hosts.map(\.name).filter { _ in Bool.random(using: &rng) }
            }
            if i > 0, Int.random(in: 0..<4, using: &rng) == 0 { placement.avoid = ["p\(Int.random(in: 0..<i, using: &rng))"] }
            let ports = Int.random(in: 0..<4, using: &rng) == 0 ? [PortMapping(hostPort: 80 + Int.random(in: 0...1, using: &rng), containerPort: 80)] : []
            purposes.append(Purpose(name: "p\(i)", image: "img:1", replicas: replicas,
                                    cpu: Int64(Int.random(in: 1...4, using: &rng)) * 500,
                                    memory: Int64(Int.random(in: 1...4, using: &rng)) << 29, ports: ports,
                                    minAvailable: minAvailable, survive: survive,
                                    maxPerHost: Int.random(in: 0..<5, using: &rng) == 0 ? 1 : nil, placement: placement))
        }
        return Topology(name: "random-\(seed)", strategy: Bool.random(using: &rng) ? .spread : .binpack,
                        hosts: hosts, purposes: purposes)
    }
}

/// Every placement of a tiny topology, checked by the verifier: the ground truth for the solver.
enum BruteForce {
    struct Answer {
        var feasible: Bool
        /// The best objective over every valid placement, as the solver measures it.
        var best: Double?
        /// A placement with that objective (the first found).
        var bestPlacement: PlacementCounts? = nil
    }

    static func solve(_ topology: Topology) -> Answer {
        let hostNames = topology.hosts.map(\.name)
        let options = topology.purposes.map { compositions(of: $0.replicas, into: hostNames.count) }
        var best: Double? = nil, bestPlacement: PlacementCounts? = nil
        var current: PlacementCounts = [:]
        func visit(_ index: Int) {
            if index == topology.purposes.count {
                guard Verifier.violations(of: current, in: topology).isEmpty else { return }
                let value = objective(current, topology)
                if best == nil || value < best! {
                    best = value
                    bestPlacement = current
                }
                return
            }
            for option in options[index] {
                var perHost: [String: Int] = [:]
                for (h, n) in option.enumerated() where n > 0 { perHost[hostNames[h]] = n }
                current[topology.purposes[index].name] = perHost
                visit(index + 1)
            }
        }
        visit(0)
        return Answer(feasible: best != nil, best: best, bestPlacement: bestPlacement)
    }

    /// Written from the definitions on purpose, not with the solver's `Utilisation.of` or
    /// `Solver.objective(of:)`: the oracle shares no code with what it checks.
    static func objective(_ placement: PlacementCounts, _ topology: Topology) -> Double {
        switch topology.strategy {
        case .binpack:
            return Double(Set(placement.values.flatMap { $0.filter { $0.value > 0 }.keys }).count)
        case .spread:
            return topology.hosts.map { host in
                var cpu: Int64 = 0, memory: Int64 = 0
                for purpose in topology.purposes {
                    let n = Int64(placement[purpose.name]?[host.name] ?? 0)
                    cpu += n * purpose.cpu
                    memory += n * purpose.memory
                }
                return max(Double(cpu) / Double(host.cpu), Double(memory) / Double(host.memory))
            }.max() ?? 0
        }
    }

    /// All ways to write n as an ordered sum of `parts` non-negative integers.
    static func compositions(of n: Int, into parts: Int) -> [[Int]] {
        if parts == 1 { return [[n]] }
        return (0...n).flatMap { first in compositions(of: n - first, into: parts - 1).map { [first] + $0 } }
    }
}
