import PlannerSpec
import PlannerTestSupport
import Testing
@testable import PlannerKit

/// Re-plans after seeded random edits of seeded random tiny topologies, against the verifier and
/// against the fewest moves over every valid placement (brute force).
@Suite struct ReplanPropertyTests {
    static let seeds: [UInt64] = Array(1...400)

    /// `RandomTopologies.tiny` with three times the host capacity, and every purpose that must survive
    /// a failure able to lose a replica, so most are placeable and edits have room.
    static func roomy(seed: UInt64) -> Topology {
        var topology = RandomTopologies.tiny(seed: seed)
        for h in topology.hosts.indices {
            topology.hosts[h].cpu *= 3
            topology.hosts[h].memory *= 3
        }
        for p in topology.purposes.indices where !topology.purposes[p].survive.isNone && topology.purposes[p].tolerableLoss == 0 {
            topology.purposes[p].replicas = max(2, topology.purposes[p].replicas)
            topology.purposes[p].minAvailable = .count(topology.purposes[p].replicas - 1)
        }
        return topology
    }

    enum Edit: CaseIterable { case addHost, removeHost, capacity, moreReplicas, fewerReplicas, addPurpose, removePurpose, avoid, survive }

    /// One random edit of `topology`; `edit` says which.
    static func edited(_ topology: Topology, rng: inout SplitMix64, only: Edit? = nil) -> (Topology, Edit) {
        var t = topology
        let edit = only ?? Edit.allCases.randomElement(using: &rng)!
        switch edit {
        case .addHost:
            let zone = t.hosts.randomElement(using: &rng)!.zone ?? "a"
            t.hosts.append(Host(name: "n\(t.hosts.count)", address: "127.0.0.99", cpu: Int64(Int.random(in: 1...6, using: &rng)) * 1000,
                                memory: Int64(Int.random(in: 1...6, using: &rng)) << 30, zone: zone, rack: "\(zone)1",
                                labels: Bool.random(using: &rng) ? ["x"] : []))
        case .removeHost:
            if t.hosts.count > 1 { t.hosts.remove(at: Int.random(in: 0..<t.hosts.count, using: &rng)) }
        case .capacity:
            let h = Int.random(in: 0..<t.hosts.count, using: &rng)
            if Bool.random(using: &rng) { t.hosts[h].cpu = max(500, t.hosts[h].cpu / 2) } else { t.hosts[h].memory *= 2 }
        case .moreReplicas:
            t.purposes[Int.random(in: 0..<t.purposes.count, using: &rng)].replicas += 1
        case .fewerReplicas:
            let p = Int.random(in: 0..<t.purposes.count, using: &rng)
            if t.purposes[p].replicas > 1 {
                t.purposes[p].replicas -= 1
                if case .count(let m) = t.purposes[p].minAvailable, m > t.purposes[p].replicas { t.purposes[p].minAvailable = .count(t.purposes[p].replicas) }
            }
        case .addPurpose:
            t.purposes.append(Purpose(name: "q", image: "img:1", replicas: Int.random(in: 1...2, using: &rng),
                                      cpu: Int64(Int.random(in: 1...3, using: &rng)) * 500,
                                      memory: Int64(Int.random(in: 1...3, using: &rng)) << 29,
                                      survive: FailureBudget(hosts: Int.random(in: 0...1, using: &rng), racks: 0, zones: 0)))
        case .removePurpose:
            if t.purposes.count > 1 {
                let gone = t.purposes.remove(at: Int.random(in: 0..<t.purposes.count, using: &rng)).name
                for p in t.purposes.indices { t.purposes[p].placement.avoid.removeAll { $0 == gone } }
            }
        case .avoid:
            if t.purposes.count > 1 {
                let a = Int.random(in: 1..<t.purposes.count, using: &rng)
                t.purposes[a].placement.avoid.append(t.purposes[Int.random(in: 0..<a, using: &rng)].name)
            }
        case .survive:
            // A purpose must now survive a rack or zone failure (or one host more), or one host fewer.
            let p = Int.random(in: 0..<t.purposes.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: t.purposes[p].survive.racks = 1
            case 1: t.purposes[p].survive.zones = 1
            case 2: t.purposes[p].survive.hosts += 1
            default: t.purposes[p].survive.hosts = max(0, t.purposes[p].survive.hosts - 1)
            }
        }
        return (t, edit)
    }

    /// The fewest moves from `old` over every valid placement of `topology`, nil when none is valid.
    static func fewestMoves(from old: PlacementCounts, _ topology: Topology) -> Int? {
        var best: Int? = nil
        BruteForce.forEachValidPlacement(of: topology) { placement in
            let moves = Moves.count(from: old, to: placement)
            if best == nil || moves < best! { best = moves }
        }
        return best
    }

    @Test("a re-plan after a random edit passes the verifier and moves the fewest replicas brute force finds",
          arguments: seeds)
    func replanAfterEdit(seed: UInt64) throws {
        try Self.replan(seed: seed)
    }

    /// Survival changes are what the moves bound does not see: the complete search's proof is needed.
    @Test("a re-plan after a survival change moves the fewest replicas brute force finds", arguments: Array(UInt64(1)...300))
    func replanAfterSurvivalChange(seed: UInt64) throws {
        try Self.replan(seed: seed, only: .survive)
    }

    static func replan(seed: UInt64, only: Edit? = nil) throws {
        let before = ReplanPropertyTests.roomy(seed: seed)
        guard let old = CheckPipeline.check(LoadedSpec(topology: before, diagnostics: [])).placement else { return }
        var rng = SplitMix64(seed: seed &* 7919)
        let (after, edit) = Self.edited(before, rng: &rng, only: only)
        let result = CheckPipeline.check(LoadedSpec(topology: after, diagnostics: []), previous: old)
        let fewest = Self.fewestMoves(from: old, after)
        guard let fewest else {
            #expect(result.placement == nil, "seed \(seed) \(edit): brute force finds no placement, the re-plan placed one")
            return
        }
        let placement = try #require(result.placement, "seed \(seed) \(edit): \(result.diagnostics.map(\.message))")
        #expect(Verifier.violations(of: placement, in: after).isEmpty, "seed \(seed) \(edit)")
        let report = try #require(result.replan)
        #expect(report.moves == Moves.count(from: old, to: placement), "seed \(seed) \(edit)")
        #expect(report.movesLowerBound <= fewest, "seed \(seed) \(edit): bound \(report.movesLowerBound) > fewest \(fewest)")
        #expect(report.moves >= fewest, "seed \(seed) \(edit)")
        if report.proven { #expect(report.moves == fewest, "seed \(seed) \(edit): proven \(report.moves), fewest \(fewest)") }
        // Tiny instances are in reach of the proof.
        #expect(report.proven, "seed \(seed) \(edit)")
        // What still satisfies every rule stays where it is.
        let restricted = old.filter { name, _ in after.purposes.contains { $0.name == name } }
        if Verifier.violations(of: restricted, in: after).isEmpty { #expect(report.moves == 0, "seed \(seed) \(edit)") }
        if edit == .addHost { #expect(report.moves == 0, "seed \(seed): adding a host moved \(report.moves)") }
    }

    @Test("reordering hosts and purposes in the file changes nothing", arguments: Array(UInt64(1)...60))
    func cosmeticEditsMoveNothing(seed: UInt64) throws {
        let before = RandomTopologies.tiny(seed: seed, maxHosts: 5, maxPurposes: 4)
        guard let old = CheckPipeline.check(LoadedSpec(topology: before, diagnostics: [])).placement else { return }
        var rng = SplitMix64(seed: seed &* 31)
        let (after, edit) = Self.edited(before, rng: &rng)
        var reversed = after
        reversed.hosts.reverse()
        reversed.purposes.reverse()
        let a = CheckPipeline.check(LoadedSpec(topology: after, diagnostics: []), previous: old)
        let b = CheckPipeline.check(LoadedSpec(topology: reversed, diagnostics: []), previous: old)
        #expect(a.placement == b.placement, "seed \(seed) \(edit)")
        #expect(a.replan == b.replan, "seed \(seed) \(edit)")
        let unchanged = CheckPipeline.check(LoadedSpec(topology: reversed, diagnostics: []), previous: old)
        #expect(unchanged.placement == b.placement, "seed \(seed): the same input gave another placement")
        if let placement = CheckPipeline.check(LoadedSpec(topology: before, diagnostics: []), previous: old).placement {
            #expect(placement == old, "seed \(seed): an unchanged spec moved replicas")
        }
    }

    @Test("scale-down stops replicas without counting them as moves")
    func scaleDownIsNotAMove() {
        let hosts = (1...3).map { Host(name: "h\($0)", cpu: 4000, memory: 8 << 30, zone: "z\($0)") }
        let web = Purpose(name: "web", image: "img:1", replicas: 2, cpu: 500, memory: 1 << 29,
                          survive: FailureBudget(hosts: 1, racks: 0, zones: 0))
        let topology = Topology(name: "t", hosts: hosts, purposes: [web])
        let old: PlacementCounts = ["web": ["h1": 2, "h2": 1, "h3": 1], "gone": ["h1": 1]]
        let result = CheckPipeline.check(LoadedSpec(topology: topology, diagnostics: []), previous: old)
        #expect(result.replan?.moves == 0)
        #expect(result.placement.map { Verifier.violations(of: $0, in: topology).isEmpty } == true)
        #expect(Moves.count(from: old, to: ["web": ["h3": 2]]) == 1)
    }

    @Test("a stateful purpose's replica that must move says where its data stays")
    func statefulDataLeftBehind() throws {
        let hosts = ["a", "c"].map { Host(name: $0, cpu: 4000, memory: 8 << 30) }
        let db = Purpose(name: "db", image: "img:1", replicas: 1, cpu: 500, memory: 1 << 29, survive: FailureBudget(hosts: 0, racks: 0, zones: 0), volumes: ["/srv/db:/data", "/etc/x:/x:ro"])
        let topology = Topology(name: "t", hosts: hosts, purposes: [db])
        let result = CheckPipeline.check(LoadedSpec(topology: topology, diagnostics: []), previous: ["db": ["b": 1]])
        let report = try #require(result.replan)
        #expect(report.moves == 1 && report.proven && report.movesLowerBound == 1)
        #expect(report.dataLeftBehind == [.init(purpose: "db", host: "b", replicas: 1, volumes: ["/srv/db:/data"])])
    }
}

@Suite struct ReplanCoverageTests {
    @Test("the seeds exercise re-plans that move nothing, that must move, and that need the search's proof")
    func seedsCoverTheCases() {
        var feasibleBefore = 0, placed = 0, zero = 0, moving = 0, boundMissed = 0, fullSolver = 0
        for seed in ReplanPropertyTests.seeds {
            let before = ReplanPropertyTests.roomy(seed: seed)
            guard let old = CheckPipeline.check(LoadedSpec(topology: before, diagnostics: [])).placement else { continue }
            feasibleBefore += 1
            var rng = SplitMix64(seed: seed &* 7919)
            let (after, _) = ReplanPropertyTests.edited(before, rng: &rng)
            let result = CheckPipeline.check(LoadedSpec(topology: after, diagnostics: []), previous: old)
            var survivalRNG = SplitMix64(seed: seed &* 7919)
            let (survival, _) = ReplanPropertyTests.edited(before, rng: &survivalRNG, only: .survive)
            if seed <= 300, let report = CheckPipeline.check(LoadedSpec(topology: survival, diagnostics: []), previous: old).replan,
               report.moves > report.movesLowerBound { boundMissed += 1 }
            guard result.placement != nil, let report = result.replan else { continue }
            placed += 1
            if report.moves == 0 { zero += 1 } else { moving += 1 }
            if report.usedFullSolver { fullSolver += 1 }
        }
        #expect(placed >= 80)
        #expect(zero >= 40)
        #expect(moving >= 5)
        #expect(boundMissed >= 1, "no seed needs the complete search's proof")
    }
}
