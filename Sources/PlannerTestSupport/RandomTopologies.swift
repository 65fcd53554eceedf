// Seeded random tiny topologies that exercise every placement rule, for property tests.

import PlannerKit
import PlannerSpec

/// Small random topologies that exercise every rule: capacity, labels, host lists, ports,
/// avoid, max_per_host, majority, and survival across hosts, racks and zones.
public enum RandomTopologies {
    public static func tiny(seed: UInt64, maxHosts: Int = 4, maxPurposes: Int = 3, maxReplicas: Int = 3) -> Topology {
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
