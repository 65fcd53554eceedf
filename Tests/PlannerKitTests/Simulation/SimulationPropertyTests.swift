import PlannerTestSupport
import PlannerKit
import PlannerSpec
import Testing

/// On seeded random small topologies, the analytic answers equal a brute-force enumeration of every failure set.
@Suite struct SimulationPropertyTests {
    static let seeds: [UInt64] = Array(1...150)

    @Test(arguments: seeds)
    func analysisMatchesBruteForce(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let (topology, placement) = SimulationFixtures.random(&rng)
        let model = SimulationModel(topology: topology, placement: placement)
        // Half the time, some hosts have failed already (`--fail`), and the analysis is on top of that.
        let base = Bool.random(using: &rng) ? [] : Array(topology.hosts.indices.shuffled(using: &rng).prefix(Int.random(in: 1...2, using: &rng)))
        let brute = SimulationBruteForce(topology: topology, placement: placement,
                                         base: Set(base.map { topology.hosts[$0].name }))
        for domain in FailureBudget.Domain.allCases {
            let units = brute.units(domain)
            guard !units.isEmpty else { continue }
            for k in 1...min(3, units.count) {
                let analysis = try model.analyse(domain, k: k, after: base, limit: .max)
                #expect(analysis.units == units.map(\.name))
                #expect(analysis.scenarioCount == SimulationBruteForce.subsets(of: units, size: k).count)
                let ksets = SimulationBruteForce.subsets(of: units, size: k).map(SimulationBruteForce.hosts(of:))
                var cutSizes: [String: Int] = [:]
                for (purpose, exposure) in zip(topology.purposes, analysis.purposes) {
                    let context = Comment(rawValue: "seed \(seed), \(domain) k=\(k), \(purpose.name)")
                    // Worst case over every k-set.
                    let worstLeft = ksets.map { brute.left(purpose, failing: $0) }.min()!
                    #expect(exposure.worstLeft == worstLeft, context)
                    #expect(exposure.worstStatus == ksets.map { brute.status(purpose, failing: $0) }.max()!, context)
                    // The named worst units really leave that few.
                    let worstHosts = SimulationBruteForce.hosts(of: units.filter { exposure.worstUnits.contains($0.name) })
                    #expect(brute.left(purpose, failing: worstHosts) == worstLeft, context)
                    // Minimal cut: its size is the smallest of any set that takes the purpose down, and it does.
                    let size = brute.cutSize(purpose, domain)
                    #expect(exposure.cut?.count == size, context)
                    if let cut = exposure.cut {
                        let cutHosts = SimulationBruteForce.hosts(of: units.filter { cut.contains($0.name) })
                        #expect(brute.status(purpose, failing: cutHosts) == .down, context)
                        cutSizes[purpose.name] = cut.count
                    }
                    #expect(exposure.survives == size.map { max(0, $0 - 1) }, context)
                    #expect(exposure.survivesHosts == brute.cutSize(purpose, .host).map { max(0, $0 - 1) }, context)
                    if let hostCut = exposure.hostCut {
                        #expect(brute.status(purpose, failing: Set(hostCut)) == .down, context)
                        #expect(hostCut.count == brute.cutSize(purpose, .host), context)
                    }
                }
                // Weakest: the purposes with the smallest cut.
                let smallest = cutSizes.values.min()
                #expect(Set(analysis.weakest) == Set(cutSizes.filter { $0.value == smallest }.keys))
                // Every failure set with every unit needed, and what each takes down.
                let expected = brute.minimalFailureSets(domain, k: k)
                let found = Dictionary(analysis.failureSets.map { (Set($0.units), $0.down) }, uniquingKeysWith: { a, _ in a })
                #expect(analysis.failureSets.count == found.count, "no failure set listed twice (seed \(seed))")
                #expect(found == expected, "seed \(seed), \(domain) k=\(k)")
                #expect(analysis.failureSetCount == expected.count)
                #expect(!analysis.isTruncated)
                for set in analysis.failureSets {
                    let hosts = SimulationBruteForce.hosts(of: units.filter { set.units.contains($0.name) })
                    #expect(set.degraded == brute.newlyDegraded(failing: hosts), "seed \(seed)")
                }
                // Worst first, and the worst is as bad as any k-set gets.
                let mostDown = ksets.map { brute.newlyDown(failing: $0).count }.max()!
                #expect(analysis.mostDownTogether == mostDown, "seed \(seed), \(domain) k=\(k)")
                let order = analysis.failureSets.map { ($0.down.count, -$0.units.count) }
                for (a, b) in zip(order, order.dropFirst()) { #expect(a.0 > b.0 || (a.0 == b.0 && a.1 >= b.1), "seed \(seed)") }
                // Some k-set takes a purpose down exactly when the analysis says so.
                #expect(analysis.isDown == ksets.contains { set in topology.purposes.contains { brute.status($0, failing: set) == .down } })
            }
        }
    }

    @Test(arguments: seeds)
    func scenarioMatchesBruteForce(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed &+ 10_000)
        let (topology, placement) = SimulationFixtures.random(&rng)
        let model = SimulationModel(topology: topology, placement: placement)
        let failed = Set(topology.hosts.map(\.name).shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng)))
        let scenario = model.scenario(failing: failed.map { model.hostIndex(named: $0)! })
        let brute = SimulationBruteForce(topology: topology, placement: placement, base: [])
        #expect(Set(scenario.failedHosts) == failed)
        for (purpose, state) in zip(topology.purposes, scenario.purposes) {
            #expect(state.left == brute.left(purpose, failing: failed), "seed \(seed)")
            #expect(state.status == brute.status(purpose, failing: failed), "seed \(seed)")
            // Further host failures survived, and the named next cut.
            let after = SimulationBruteForce(topology: topology, placement: placement, base: failed)
            let size = after.cutSize(purpose, .host)
            #expect(state.margin == size.map { max(0, $0 - 1) }, "seed \(seed) \(purpose.name)")
            if state.status != .down, size != nil {
                #expect(state.nextCut.count == size, "seed \(seed)")
                #expect(after.status(purpose, failing: Set(state.nextCut)) == .down, "seed \(seed)")
            }
        }
        let lostCPU = topology.hosts.filter { failed.contains($0.name) }.reduce(Int64(0)) { $0 + $1.cpu }
        #expect(scenario.capacityLost.cpu == lostCPU)
        let lostReplicas = topology.purposes.reduce(0) { $0 + $1.replicas - brute.left($1, failing: failed) }
        #expect(scenario.replicasLost == lostReplicas)
        #expect(scenario.displaced.cpu == Int64(lostReplicas) * 250)
    }
}

// Helpers of the Simulation*Tests: a seeded generator of small topologies with placements (drawn from
// SplitMix64, the package's one generator), and a brute-force enumeration of failure sets written
// straight from the definitions: an intentional twin of `SimulationModel`, sharing no code with it.

enum SimulationFixtures {
    /// A random topology of 2 to 8 hosts in 1 to 3 zones, racks unique across zones (some hosts rackless),
    /// 1 to 5 purposes, and a random placement (several replicas to a host allowed; rules are not enforced).
    static func random(_ rng: inout SplitMix64) -> (Topology, PlacementCounts) {
        let hostCount = Int.random(in: 2...8, using: &rng)
        let zoneCount = Int.random(in: 1...3, using: &rng)
        let hosts = (0..<hostCount).map { i -> Host in
            let zone = "z\(Int.random(in: 0..<zoneCount, using: &rng))"
            let rack: String? = Int.random(in: 0..<6, using: &rng) == 0 ? nil : "\(zone)-r\(Int.random(in: 0..<2, using: &rng))"
            return Host(name: "h\(i)", cpu: Int64(Int.random(in: 1...8, using: &rng)) * 1000,
                        memory: Int64(Int.random(in: 1...16, using: &rng)) << 30, zone: zone, rack: rack)
        }
        var purposes: [Purpose] = []
        var placement: PlacementCounts = [:]
        for p in 0..<Int.random(in: 1...5, using: &rng) {
            let r = Int.random(in: 1...7, using: &rng)
            let min: MinAvailable = Bool.random(using: &rng) ? .majority : .count(Int.random(in: 1...r, using: &rng))
            let survive = FailureBudget(hosts: Int.random(in: 0...2, using: &rng), racks: Int.random(in: 0...1, using: &rng),
                                        zones: Int.random(in: 0...1, using: &rng))
            let name = "p\(p)"
            purposes.append(Purpose(name: name, image: "i", replicas: r, cpu: 250, memory: 1 << 28, minAvailable: min,
                                    survive: survive))
            var perHost: [String: Int] = [:]
            // Spread over a random subset of hosts, so some hosts hold nothing of it.
            let pool = hosts.shuffled(using: &rng).prefix(Int.random(in: 1...hostCount, using: &rng))
            for _ in 0..<r { perHost[pool.randomElement(using: &rng)!.name, default: 0] += 1 }
            placement[name] = perHost
        }
        return (Topology(name: "random", hosts: hosts, purposes: purposes), placement)
    }
}

/// Failure sets judged one by one, from the definitions.
struct SimulationBruteForce {
    let topology: Topology
    let placement: PlacementCounts
    /// Hosts failed before anything else.
    let base: Set<String>

    /// Units of a domain (first-appearance order) and their host names, hosts in `base` left out,
    /// units with no host left dropped.
    func units(_ domain: FailureBudget.Domain) -> [(name: String, hosts: Set<String>)] {
        var order: [String] = []
        var members: [String: Set<String>] = [:]
        for host in topology.hosts {
            guard let key = host.domain(domain) else { continue }
            if members[key] == nil { order.append(key); members[key] = [] }
            if !base.contains(host.name) { members[key]!.insert(host.name) }
        }
        return order.compactMap { name in members[name]!.isEmpty ? nil : (name, members[name]!) }
    }

    func left(_ purpose: Purpose, failing hosts: Set<String>) -> Int {
        let all = hosts.union(base)
        return purpose.replicas - (placement[purpose.name] ?? [:]).filter { all.contains($0.key) }.values.reduce(0, +)
    }

    func status(_ purpose: Purpose, failing hosts: Set<String>) -> SimulationStatus {
        let left = left(purpose, failing: hosts)
        let required = purpose.minAvailable == .majority ? purpose.replicas / 2 + 1 : purpose.required
        if left < required { return .down }
        return left == purpose.replicas ? .up : .degraded
    }

    /// Purposes down because of `hosts` that were not down with `base` alone.
    func newlyDown(failing hosts: Set<String>) -> [String] {
        topology.purposes.filter { status($0, failing: hosts) == .down && status($0, failing: []) != .down }.map(\.name)
    }

    /// Purposes that lose replicas to `hosts` (beyond `base`) yet keep their minimum, among those not down already.
    func newlyDegraded(failing hosts: Set<String>) -> [String] {
        topology.purposes.filter { purpose in
            status(purpose, failing: []) != .down && status(purpose, failing: hosts) != .down
                && left(purpose, failing: hosts) < left(purpose, failing: [])
        }.map(\.name)
    }

    /// Every subset of `items` of exactly `size` elements.
    static func subsets<T>(of items: [T], size: Int) -> [[T]] {
        guard size > 0 else { return [[]] }
        guard items.count >= size else { return [] }
        var out: [[T]] = []
        func go(_ start: Int, _ chosen: [T]) {
            if chosen.count == size { out.append(chosen); return }
            guard start < items.count else { return }
            for i in start..<items.count { go(i + 1, chosen + [items[i]]) }
        }
        go(0, [])
        return out
    }

    static func hosts(of chosen: [(name: String, hosts: Set<String>)]) -> Set<String> {
        chosen.reduce(into: Set<String>()) { $0.formUnion($1.hosts) }
    }

    /// Fewest units whose loss takes `purpose` down: 0 when down already, nil when none does.
    func cutSize(_ purpose: Purpose, _ domain: FailureBudget.Domain) -> Int? {
        let units = units(domain)
        for size in 0...units.count {
            for chosen in Self.subsets(of: units, size: size) where status(purpose, failing: Self.hosts(of: chosen)) == .down {
                return size
            }
        }
        return nil
    }

    /// Failure sets of 1 to k units that take purposes down with every unit needed, with what they take down.
    func minimalFailureSets(_ domain: FailureBudget.Domain, k: Int) -> [Set<String>: [String]] {
        let units = units(domain)
        var found: [Set<String>: [String]] = [:]
        for size in 1...k {
            for chosen in Self.subsets(of: units, size: size) {
                let down = newlyDown(failing: Self.hosts(of: chosen))
                guard !down.isEmpty else { continue }
                let needed = chosen.indices.allSatisfy { skip in
                    let rest = chosen.enumerated().filter { $0.offset != skip }.map(\.element)
                    return newlyDown(failing: Self.hosts(of: rest)).count < down.count
                }
                if needed { found[Set(chosen.map(\.name))] = down }
            }
        }
        return found
    }
}
