import PlannerTestSupport
import Foundation
import PlannerSpec
import Testing
@testable import PlannerKit

/// spread's leximax local search (`HeuristicSolver+Leximax.swift`): its order, its descent's end
/// point, and what it buys at 1,000 hosts.
@Suite struct LeximaxTests {
    @Test("an exchange is allowed, checked before anything changes, exactly when making it leaves a placement the verifier accepts")
    func exchangeCheckAgreesWithTheVerifier() throws {
        var allowedSeen = 0, refusedSeen = 0
        for seed in SolverPropertyTests.seeds.prefix(150) {
            let topology = RandomTopologies.tiny(seed: seed, maxHosts: 6, maxPurposes: 5, maxReplicas: 5)
            let problem = PlacementProblem(topology)
            var heuristic = HeuristicSolver(problem, stepLimit: 10_000)
            heuristic.improving = false
            guard heuristic.solve() != nil, problem.hosts.count > 1 else { continue }
            heuristic.dropHeaps()   // as in the leximax search, where the check replaces doing and undoing
            var rng = SplitMix64(seed: seed)
            for _ in 0..<300 {
                let hosts = problem.hosts.indices
                let h = hosts.randomElement(using: &rng)!, t = hosts.randomElement(using: &rng)!
                guard h != t, let d = heuristic.onHost[h].randomElement(using: &rng),
                      problem.demands[d].eligible.contains(t) else { continue }
                let partners = heuristic.onHost[t].filter { $0 != d && problem.demands[$0].eligible.contains(h) }
                let e = Bool.random(using: &rng) ? (partners.randomElement(using: &rng) ?? -1) : -1
                var made = heuristic
                made.add(d, h, -1)
                made.add(d, t, 1)
                if e >= 0 { made.add(e, t, -1); made.add(e, h, 1) }
                let valid = Verifier.violations(of: HeuristicTests.counts(made.assignment, problem), in: topology).isEmpty
                #expect(heuristic.exchangeAllowed(d, from: h, to: t, back: e) == valid, "seed \(seed): \(d) \(h)→\(t) back \(e)")
                // Trying it changes the placement exactly when it is allowed.
                var tried = heuristic
                #expect(tried.tryExchangeWithoutHeaps(d, from: h, to: t, back: e) == valid, "seed \(seed)")
                #expect(tried.assignment == (valid ? made.assignment : heuristic.assignment), "seed \(seed)")
                if valid { heuristic = tried; allowedSeen += 1 } else { refusedSeen += 1 }
            }
        }
        // Both answers are exercised, many times.
        #expect(allowedSeen > 100 && refusedSeen > 100, "allowed \(allowedSeen), refused \(refusedSeen)")
    }

    @Test("a change to two hosts lowers the sorted utilisations exactly when its pair, highest first, falls",
          arguments: [
              // (a, b after; a, b before; lower?)
              (0.6, 0.5, 0.7, 0.4, true),     // the higher of the two falls
              (0.5, 0.6, 0.6, 0.5, false),    // the same pair, mirrored
              (0.7, 0.3, 0.7, 0.4, true),     // the higher stays, the lower falls
              (0.3, 0.7, 0.4, 0.7, true),     // the same, the other way round
              (0.71, 0.1, 0.7, 0.5, false),   // the higher rises, however far the lower falls
              (0.69, 0.69, 0.7, 0.1, true),   // the lower rises to just under the old peak
          ])
    func lowersPair(case: (Double, Double, Double, Double, Bool)) {
        let (a, b, oldA, oldB, lower) = `case`
        #expect(HeuristicSolver.lowersPair(a, b, from: oldA, oldB) == lower)
    }

    /// Utilisations of every host, highest first: the vector the search lowers lexicographically.
    static func sortedUtilisations(_ solver: HeuristicSolver) -> [Double] {
        solver.problem.hosts.indices.map { solver.utilisation($0) }.sorted(by: >)
    }

    @Test("the descent stops where no move or swap between two hosts lowers them, and never raises the sorted utilisations")
    func descentEndsAtLocalOptimum() throws {
        let topology = try HeuristicTests.topology("spread-10-hosts.spec")
        let problem = PlacementProblem(topology)
        var solver = HeuristicSolver(problem, stepLimit: 10_000_000)
        let order = solver.purposeOrder()
        solver.openEveryHost()
        let placedAll = solver.placeEachPurpose(order)
        try #require(placedAll)
        solver.openHosts = nil
        let before = Self.sortedUtilisations(solver)
        let eligible = solver.eligibleSets
        solver.leximaxDescent(until: 10_000_000, eligible: eligible)
        #expect(solver.steps < 10_000_000, "the descent used every step")
        let after = Self.sortedUtilisations(solver)
        #expect(after.lexicographicallyPrecedes(before), "the descent lowered nothing")
        for a in problem.hosts.indices {
            for b in problem.hosts.indices where b > a {
                var probe = solver
                let improved = probe.improvePair(a, b, eligible: eligible)
                #expect(!improved, "hosts \(a) and \(b) still improve")
            }
        }
        HeuristicTests.expectVerified(solver.assignment, problem, topology)
    }

    @Test("at 1,000 hosts the leximax search takes spread from 5% above its lower bound to within 3%")
    func leximaxSearchClosesTheGap() throws {
        let topology = try HeuristicTests.topology("spread-1000-hosts-seed5.spec")
        let problem = PlacementProblem(topology)
        let bound = Solver.lowerBound(problem).scalar
        // The premise: construction, packing under a ceiling and the peak host's moves and swaps stop above 5%.
        var solver = HeuristicSolver(problem, stepLimit: 2_000_000)
        let empty = solver, order = solver.purposeOrder()
        let constructed = solver.placeEachPurpose(order)
        try #require(constructed)
        solver.levelSpread(order, from: empty, orders: [.restrictedThenLargest, .constrainedThenLargest, .mostConstrained])
        solver.improveSpread()
        solver.swapSpread()
        #expect(solver.peakUtilisation > bound / 0.95, "the fixture no longer needs the leximax search")

        solver.leximaxSearch(budget: HeuristicSolver.leximaxSteps)
        #expect(solver.peakUtilisation <= bound / 0.97, "peak \(solver.peakUtilisation), lower bound \(bound)")
        HeuristicTests.expectVerified(solver.assignment, problem, topology)
    }
}
