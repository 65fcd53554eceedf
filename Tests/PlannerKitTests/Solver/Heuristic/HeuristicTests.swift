import Foundation
import PlannerSpec
import PlannerTestSupport
import Testing
@testable import PlannerKit

/// The heuristic on its own: what it places passes the verifier, it reaches tight clusters through
/// its packing constructions and repair, it answers the same on every run, and it stops at the clock.
@Suite struct HeuristicTests {
    static func topology(_ file: String) throws -> Topology {
        try #require(fixture(file).topology, "\(file) does not load")
    }

    /// A solver fixture as loaded, diagnostics and all.
    static func fixture(_ file: String) -> LoadedSpec {
        SpecLoader.load(path: PackageRoot.url.appendingPathComponent("Tests/Fixtures/solver/\(file)").path)
    }

    /// One of the shipped examples in topologies/.
    static func example(_ file: String) throws -> Topology {
        let path = PackageRoot.url.appendingPathComponent("topologies/\(file)").path
        return try #require(SpecLoader.load(path: path).topology, "topologies/\(file) does not load")
    }

    /// The placement as the verifier reads it: purpose → host → replicas.
    static func counts(_ assignment: [[HostCount]], _ problem: PlacementProblem) -> PlacementCounts {
        var counts: PlacementCounts = [:]
        for (d, row) in assignment.enumerated() {
            counts[problem.demands[d].name] = Dictionary(uniqueKeysWithValues: row.map { (problem.hosts[$0.host].name, $0.count) })
        }
        return counts
    }

    /// The heuristic places every replica of a cluster CP-SAT places, and the verifier finds nothing wrong.
    static func expectPlacedAndVerified(_ topology: Topology, _ problem: PlacementProblem) throws {
        var heuristic = HeuristicSolver(problem, stepLimit: 500_000)
        let solved = heuristic.solve()
        let placed = try #require(solved, "no placement for a cluster CP-SAT places")
        expectVerified(placed, problem, topology)
    }

    /// The verifier finds nothing wrong with the placement.
    static func expectVerified(_ assignment: [[HostCount]], _ problem: PlacementProblem, _ topology: Topology) {
        #expect(Verifier.violations(of: Self.counts(assignment, problem), in: topology).isEmpty)
    }

    @Test("a tight cluster that spreading alone cannot place is placed, and the placement verifies")
    func tightClusterIsPlaced() throws {
        let topology = try Self.topology("tight-spread-10-hosts.spec")
        let problem = PlacementProblem(topology)
        // The premise: the plain spread construction runs out of room here.
        var plain = HeuristicSolver(problem, stepLimit: 500_000)
        let spreadAlone = plain.placeEachPurpose(plain.purposeOrder())
        #expect(!spreadAlone, "the fixture no longer needs more than spreading")
        try Self.expectPlacedAndVerified(topology, problem)
    }

    @Test("repair evicts a smaller replica to make room, then finds the evicted one a host")
    func repairEvicts() throws {
        let spec = """
        topology: t
        strategy: spread
        failures: { hosts: 0 }
        hosts:
          h1: { cpu: 4, memory: 16GiB }
          h2: { cpu: 4, memory: 16GiB }
        purposes:
          small: { image: r/s:1, replicas: 2, cpu: 2, memory: 1GiB }
          large: { image: r/l:1, replicas: 1, cpu: 4, memory: 1GiB }
        """
        let topology = try #require(SpecLoader.load(text: spec, file: "t.spec").topology)
        let problem = PlacementProblem(topology)
        var heuristic = HeuristicSolver(problem, stepLimit: 1_000)
        // Spread the small replicas one per host: now no host has room for the large one.
        heuristic.add(0, 0, 1)
        heuristic.add(0, 1, 1)
        var pending = [1]
        let repaired = heuristic.repair(&pending, budget: 100)
        #expect(repaired)
        #expect(pending.isEmpty)
        Self.expectVerified(heuristic.assignment, problem, topology)
        #expect(heuristic.placed[1].values.reduce(0, +) == 1)
        #expect(heuristic.placed[0].values.reduce(0, +) == 2)
    }

    @Test("the heuristic answers the same on every run", arguments: ["spread-200-hosts.spec", "binpack-200-hosts.spec"])
    func deterministic(file: String) throws {
        let problem = PlacementProblem(try Self.topology(file))
        let first = Solver(problem, limits: .init(steps: 200_000)).solve()
        let second = Solver(problem, limits: .init(steps: 200_000)).solve()
        #expect(first.assignment != nil)
        #expect(first.assignment == second.assignment)
        #expect(first.objective == second.objective)
        #expect(first.steps == second.steps)
    }

    @Test("the heuristic stops at the wall-clock safety net with the placement it has", arguments: ["spread-200-hosts.spec"])
    func stopsAtTheClock(file: String) throws {
        let topology = try Self.topology(file)
        let problem = PlacementProblem(topology)
        let result = Solver(problem, limits: .init(steps: 100_000_000, seconds: 0.01)).solve()
        #expect(result.stoppedByClock)
        let placed = try #require(result.assignment)
        Self.expectVerified(placed, problem, topology)
    }

    @Test("at 200 hosts, binpack meets its lower bound and every placement verifies",
          arguments: ["spread-200-hosts.spec", "binpack-200-hosts.spec"])
    func largeFixturesVerify(file: String) throws {
        let topology = try Self.topology(file)
        let problem = PlacementProblem(topology)
        let result = Solver(problem, limits: .init(steps: 200_000)).solve()
        let placed = try #require(result.assignment)
        Self.expectVerified(placed, problem, topology)
        #expect(result.lowerBound.scalar <= (result.objective?.scalar ?? 0) + 1e-12)
        if problem.strategy == .binpack { #expect(result.status == .optimal) }
    }

    @Test("packing under a ceiling balances cpu and memory: at 1,000 hosts spread ends within 3% of its lower bound")
    func levelPackingBalances() throws {
        let topology = try Self.topology("spread-1000-hosts.spec")
        let problem = PlacementProblem(topology)
        let bound = Solver.lowerBound(problem).scalar
        // The premise: spreading by utilisation, then moving replicas off the peak, stays far above the bound.
        var plain = HeuristicSolver(problem, stepLimit: 500_000)
        let placedAll = plain.placeEachPurpose(plain.purposeOrder())
        #expect(placedAll)
        plain.improveSpread()
        #expect(plain.peakUtilisation > bound / 0.95, "the fixture no longer needs packing under a ceiling")

        let result = Solver(problem, limits: .init(steps: 2_000_000)).solve()
        let placed = try #require(result.assignment)
        Self.expectVerified(placed, problem, topology)
        let peak = try #require(result.objective).scalar
        #expect(peak <= bound / 0.97, "peak \(peak), lower bound \(bound)")
    }

    @Test("labels that force small hosts open raise binpack's bound; swaps that even out cpu and memory let emptying close more")
    func swapsLetEmptyingCloseMore() throws {
        let topology = try Self.topology("binpack-300-hosts-labelled.spec")
        let problem = PlacementProblem(topology)
        // The bound: capacity alone says under 100 hosts; the public hosts that ports force open make it 110
        // (the linear relaxation with host opening, solved offline, gives 109.2).
        #expect(problem.coverBound().hosts < 100)
        #expect(Solver.lowerBound(problem) == .hostsUsed(110))

        var packing = HeuristicSolver(problem, stepLimit: 2_000_000)
        let opened = packing.placeOpening(packing.purposeOrder(), ranked: packing.hostOrder(lambda: 0.5),
                                          initiallyOpen: problem.coverBound().hosts, conflictsFirst: false)
        #expect(opened)
        packing.closeHosts()
        let emptied = packing.hostsUsed
        func totalTilt(_ solver: HeuristicSolver) -> Double {
            problem.hosts.indices.filter { !solver.onHost[$0].isEmpty }.reduce(0) { $0 + abs(solver.tilt($1)) }
        }
        let tiltBefore = totalTilt(packing)
        packing.evenOutTilts()
        #expect(totalTilt(packing) < tiltBefore)
        packing.closeHosts()
        #expect(packing.hostsUsed < emptied, "emptying after the swaps closed nothing more than before them")
        Self.expectVerified(packing.assignment, problem, topology)
    }

    @Test("above 200 hosts, emptying by repair (evicting only among the hosts in use) closes a host that moves and swaps could not")
    func repairEmptiesAboveTwoHundredHosts() throws {
        let topology = try Self.topology("binpack-300-hosts-labelled.spec")
        let problem = PlacementProblem(topology)
        #expect(problem.hosts.count > HeuristicSolver.repairHosts)
        var packing = HeuristicSolver(problem, stepLimit: 2_000_000)
        let opened = packing.placeOpening(packing.purposeOrder(), ranked: packing.hostOrder(lambda: 0.5),
                                          initiallyOpen: problem.coverBound().hosts, conflictsFirst: false)
        #expect(opened)
        packing.closeHosts()
        // The premise: moves and swaps have done all they can.
        while true {
            let before = packing.hostsUsed
            packing.evenOutTilts(rounds: HeuristicSolver.binpackSwapRounds, partners: HeuristicSolver.binpackSwapPartners)
            packing.closeHosts()
            if packing.hostsUsed == before { break }
        }
        let settled = packing.hostsUsed
        packing.closeByRepair(budget: HeuristicSolver.largeCloseByRepairSteps, attemptSteps: HeuristicSolver.largeCloseAttemptSteps)
        #expect(packing.hostsUsed < settled, "repair emptied nothing at \(settled) hosts")
        #expect(packing.repairCandidates == nil)
        Self.expectVerified(packing.assignment, problem, topology)
    }

    @Test("a tight cluster that one repair run leaves short is placed by a restart, and the placement verifies")
    func restartPlacesTightCluster() throws {
        let topology = try Self.topology("tight-spread-20-hosts.spec")
        let problem = PlacementProblem(topology)
        // The premise: constructions and one repair run do not place it.
        var once = HeuristicSolver(problem, stepLimit: 500_000)
        let order = once.purposeOrder()
        let repairedOnce = once.placeAndRepair(order)
        #expect(!repairedOnce, "the fixture no longer needs restarts")
        try Self.expectPlacedAndVerified(topology, problem)
    }

    @Test("a feasibility-only solve (the explainer's sub-searches) stops at the first placement, without improving it")
    func feasibilityOnlySkipsImprovement() throws {
        let topology = try Self.topology("spread-200-hosts.spec")
        let problem = PlacementProblem(topology)
        let first = Solver(problem, limits: .init(steps: 2_000_000, feasibilityOnly: true)).solve()
        let improved = Solver(problem, limits: .init(steps: 2_000_000)).solve()
        #expect(first.status == .feasible)
        Self.expectVerified(try #require(first.assignment), problem, topology)
        // Improving takes steps and lowers the peak; the first placement has neither.
        #expect(first.steps * 10 < improved.steps, "\(first.steps) steps against \(improved.steps)")
        #expect(try #require(improved.objective) < (try #require(first.objective)))
    }

    @Test("a packing trap is proven infeasible by the short complete search, before the heuristic's repair runs")
    func shortSearchProvesTrap() throws {
        let problem = PlacementProblem(try Self.topology("infeasible-packing-14-hosts.spec"))
        // The premise: the linear relaxation does not see the trap.
        #expect(Solver.lowerBound(problem).scalar <= 1)
        let result = Solver(problem, limits: .init(steps: 2_000_000)).solve()
        #expect(result.status == .infeasible)
        #expect(result.steps <= Solver.quickProofSteps, "\(result.steps) steps")
    }

    @Test("binpack: emptying hosts by repair stops at the lower bound, where no host can be emptied any more")
    func emptyingStopsAtTheLowerBound() throws {
        let topology = try Self.example("batch.spec")
        let problem = PlacementProblem(topology)
        var heuristic = HeuristicSolver(problem, stepLimit: 500_000)
        let placed = heuristic.solve()
        #expect(placed != nil)
        // The premise: the heuristic ends at the lower bound, on more than one host.
        #expect(heuristic.hostsUsed == Int(heuristic.lowerBound.scalar) && heuristic.hostsUsed > 1)
        let before = heuristic.steps
        heuristic.closeByRepair(budget: 100_000)
        #expect(heuristic.steps == before, "\(heuristic.steps - before) steps spent at the bound")
    }
}
