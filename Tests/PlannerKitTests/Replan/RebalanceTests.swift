import PlannerSpec
import Testing
@testable import PlannerKit

/// `--rebalance` and `--max-moves` on seeded random edits of tiny topologies, the moves bound's capacity
/// part, and which replicas a scale-down stops.
@Suite struct RebalanceTests {
    static func check(_ topology: Topology, from old: PlacementCounts, _ rebalance: Rebalance? = nil) -> CheckResult {
        CheckPipeline.check(LoadedSpec(topology: topology, diagnostics: []), previous: old, rebalance: rebalance)
    }

    static func objective(_ placement: PlacementCounts, _ topology: Topology) -> Double {
        let problem = PlacementProblem(topology)
        return Solver(problem).objective(of: FewestMovesSearch.assignment(placement, problem)).scalar
    }

    /// The deployed placement for a rebalance: every other seed, the other strategy's (valid, and most
    /// often far from this strategy's best, so a rebalance has something to buy).
    static func deployed(seed: UInt64, _ topology: Topology) -> PlacementCounts? {
        var source = topology
        if seed % 2 == 0 { source.strategy = topology.strategy == .spread ? .binpack : .spread }
        return CheckPipeline.check(LoadedSpec(topology: source, diagnostics: [])).placement
    }

    @Test("a rebalance passes the verifier, keeps to its budget and never does worse than the fewest moves",
          arguments: Array(UInt64(1)...400))
    func rebalanceAfterEdit(seed: UInt64) throws {
        let before = ReplanPropertyTests.roomy(seed: seed)
        guard let old = Self.deployed(seed: seed, before) else { return }
        var rng = SplitMix64(seed: seed &* 7919)
        let (after, edit) = ReplanPropertyTests.edited(before, rng: &rng)
        let stable = Self.check(after, from: old)
        guard let stablePlacement = stable.placement, let stableReport = stable.replan else { return }
        let budget: Int? = Bool.random(using: &rng) ? nil : Int.random(in: 0...6, using: &rng)
        let result = Self.check(after, from: old, Rebalance(maxMoves: budget))
        let placement = try #require(result.placement, "seed \(seed) \(edit)")
        let report = try #require(result.replan)
        let rebalance = try #require(report.rebalance)
        #expect(Verifier.violations(of: placement, in: after).isEmpty, "seed \(seed) \(edit)")
        #expect(report.moves == Moves.count(from: old, to: placement), "seed \(seed) \(edit)")
        #expect(rebalance.moves == report.moves && rebalance.fewestMoves == stableReport.moves, "seed \(seed) \(edit)")
        let stableObjective = Self.objective(stablePlacement, after), objective = Self.objective(placement, after)
        #expect(objective <= stableObjective + 1e-9, "seed \(seed) \(edit): worse than the fewest-moves plan")
        #expect(abs(rebalance.before.scalar - stableObjective) < 1e-9 && abs(rebalance.after.scalar - objective) < 1e-9)
        if let budget, budget < stableReport.moves {
            #expect(rebalance.overBudget && placement == stablePlacement, "seed \(seed) \(edit)")
        } else if let budget {
            #expect(!rebalance.overBudget && report.moves <= budget, "seed \(seed) \(edit): \(report.moves) > \(budget)")
        } else if let fresh = CheckPipeline.check(LoadedSpec(topology: after, diagnostics: [])).solver,
                  fresh.status == .optimal, let best = fresh.objective {
            // Unbounded, the objective wins: as good as planning from scratch (tiny instances are solved to optimality).
            #expect(objective <= best.scalar + 1e-9, "seed \(seed) \(edit): \(objective) > optimum \(best.scalar)")
        }
        if report.moves > stableReport.moves {
            #expect(objective < stableObjective - 1e-12, "seed \(seed) \(edit): moves bought nothing")
            #expect(!report.proven, "seed \(seed) \(edit): more moves than the fewest cannot be proven the fewest")
        }
        #expect(Self.check(after, from: old, Rebalance(maxMoves: budget)).placement == placement, "seed \(seed): not deterministic")
    }

    @Test("the seeds exercise rebalances that buy something and budgets that cut them short")
    func seedsCoverTheCases() {
        var bought = 0, cut = 0
        for seed in UInt64(1)...400 {
            let before = ReplanPropertyTests.roomy(seed: seed)
            guard let old = Self.deployed(seed: seed, before) else { continue }
            var rng = SplitMix64(seed: seed &* 7919)
            let (after, _) = ReplanPropertyTests.edited(before, rng: &rng)
            guard let free = Self.check(after, from: old, Rebalance()).replan?.rebalance, free.after < free.before else { continue }
            bought += 1
            if free.moves > free.fewestMoves,
               let tight = Self.check(after, from: old, Rebalance(maxMoves: free.moves - 1)).replan?.rebalance,
               free.after < tight.after { cut += 1 }
        }
        #expect(bought >= 5)
        #expect(cut >= 1)
    }

    /// Six replicas, two on each of three hosts; three empty hosts added.
    static let hosts = (1...6).map { Host(name: "h\($0)", cpu: 4000, memory: 8 << 30) }
    static let app = Purpose(name: "app", image: "img:1", replicas: 6, cpu: 1000, memory: 1 << 30,
                             survive: FailureBudget(hosts: 0, racks: 0, zones: 0))
    static let twoEach: PlacementCounts = ["app": ["h1": 2, "h2": 2, "h3": 2]]

    @Test("the moves buy the peak down, within the budget")
    func movesBuyThePeak() throws {
        let topology = Topology(name: "t", hosts: Self.hosts, purposes: [Self.app])
        #expect(Self.check(topology, from: Self.twoEach).replan?.moves == 0)
        let free = try #require(Self.check(topology, from: Self.twoEach, Rebalance()).replan)
        #expect(free.moves == 3)
        #expect(free.rebalance?.summary == "peak 50% → 25% for 3 moves")
        #expect(free.summary == "moves 3 (rebalance; the fewest is 0)")
        // Two moves cannot lower the peak (a host keeps two); the rebalance keeps the placement.
        let two = try #require(Self.check(topology, from: Self.twoEach, Rebalance(maxMoves: 2)).replan)
        #expect(two.moves == 0)
        #expect(two.rebalance?.summary == "peak 50% is the best found within 2 moves; no moves bought")
    }

    @Test("binpack: the moves buy hosts emptied")
    func movesBuyHosts() throws {
        let app = Purpose(name: "app", image: "img:1", replicas: 4, cpu: 1000, memory: 1 << 30,
                          survive: FailureBudget(hosts: 0, racks: 0, zones: 0))
        let topology = Topology(name: "t", strategy: .binpack, hosts: Array(Self.hosts.prefix(3)), purposes: [app])
        let old: PlacementCounts = ["app": ["h1": 2, "h2": 1, "h3": 1]]
        let report = try #require(Self.check(topology, from: old, Rebalance()).replan)
        #expect(report.rebalance?.summary == "3 hosts used → 1 for 2 moves")
        let one = try #require(Self.check(topology, from: old, Rebalance(maxMoves: 1)).replan)
        #expect(one.rebalance?.summary == "3 hosts used → 2 for 1 move")
    }

    @Test("a rebalance never moves a stateful purpose's replica")
    func statefulStays() throws {
        var db = Self.app
        db.volumes = ["/srv/db:/data"]
        let topology = Topology(name: "t", hosts: Self.hosts, purposes: [db])
        let report = try #require(Self.check(topology, from: Self.twoEach, Rebalance()).replan)
        #expect(report.moves == 0 && report.dataLeftBehind.isEmpty)
    }

    @Test("the moves bound counts the capacity a shrunk host must free, less what scale-down stops")
    func boundCountsCapacity() throws {
        var hosts = Array(Self.hosts.prefix(3))
        hosts[0].cpu = 1000
        let topology = Topology(name: "t", hosts: hosts, purposes: [Self.app])
        let report = try #require(Self.check(topology, from: ["app": ["h1": 4, "h2": 1, "h3": 1]]).replan)
        // h1 can keep one of its four: three leave.
        #expect(report.movesLowerBound == 3 && report.moves == 3 && report.proven)
        var fewer = Self.app
        fewer.replicas = 4
        let shrunk = Topology(name: "t", hosts: hosts, purposes: [fewer])
        let down = try #require(Self.check(shrunk, from: ["app": ["h1": 4, "h2": 1, "h3": 1]]).replan)
        // Scale-down stops two of them there: one moves.
        #expect(down.movesLowerBound == 1 && down.moves == 1)
        // An avoid rule added between two purposes on one host: the smaller leaves (to the empty h4).
        let other = Purpose(name: "other", image: "img:1", replicas: 1, cpu: 100, memory: 1 << 20,
                            survive: FailureBudget(hosts: 0, racks: 0, zones: 0), placement: Placement(avoid: ["app"]))
        let parted = Topology(name: "t", hosts: Array(Self.hosts.prefix(4)), purposes: [Self.app, other])
        let avoid = try #require(Self.check(parted, from: ["app": ["h1": 2, "h2": 2, "h3": 2], "other": ["h1": 1]]).replan)
        #expect(avoid.movesLowerBound == 1 && avoid.moves == 1)
    }

    @Test("a scale-down stops replicas on the fullest hosts and zones, so the rest stay spread")
    func scaleDownStaysBalanced() throws {
        let hosts = [Host(name: "a1", cpu: 4000, memory: 8 << 30, zone: "a"), Host(name: "a2", cpu: 4000, memory: 8 << 30, zone: "a"),
                     Host(name: "b1", cpu: 4000, memory: 8 << 30, zone: "b")]
        var web = Purpose(name: "web", image: "img:1", replicas: 2, cpu: 500, memory: 1 << 29,
                          survive: FailureBudget(hosts: 0, racks: 0, zones: 0))
        let old: PlacementCounts = ["web": ["a1": 3, "a2": 1, "b1": 1]]
        let two = try #require(Self.check(Topology(name: "t", hosts: hosts, purposes: [web]), from: old).placement)
        // Three stops: two from a1 (the most on one host), then one from zone a (the fuller zone).
        #expect(Moves.count(from: old, to: two) == 0)
        #expect(two["web"]?["b1"] == 1 && (two["web"]?["a1"] ?? 0) + (two["web"]?["a2"] ?? 0) == 1, "\(two)")
        web.replicas = 3
        let three = try #require(Self.check(Topology(name: "t", hosts: hosts, purposes: [web]), from: old).placement)
        #expect(three == ["web": ["a1": 1, "a2": 1, "b1": 1]])
    }
}
