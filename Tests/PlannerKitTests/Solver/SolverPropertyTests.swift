import PlannerTestSupport
import PlannerSpec
import Testing
@testable import PlannerKit

/// The solver against the verifier and against brute force, on seeded random tiny topologies.
@Suite struct SolverPropertyTests {
    static let seeds: [UInt64] = Array(1...300)

    @Test("every verdict matches brute force, and every placement passes the verifier", arguments: seeds)
    func matchesBruteForce(seed: UInt64) {
        let topology = RandomTopologies.tiny(seed: seed)
        let truth = BruteForce.solve(topology)
        let result = CheckPipeline.check(LoadedSpec(topology: topology, diagnostics: []))
        if truth.feasible {
            #expect(result.placement != nil, "seed \(seed): brute force places it, check says \(result.diagnostics.map(\.message))")
        } else {
            #expect(result.placement == nil, "seed \(seed): brute force finds no placement, check placed one")
            #expect(result.diagnostics.contains { $0.severity == .error && $0.code.kind == .placement },
                    "seed \(seed): an unplaceable spec must get a placement error")
        }
        if let placement = result.placement {
            #expect(Verifier.violations(of: placement, in: topology).isEmpty)
        }
    }

    @Test("the solver's optimum equals brute force's, and its lower bound never exceeds it", arguments: seeds)
    func optimumMatchesBruteForce(seed: UInt64) throws {
        let topology = RandomTopologies.tiny(seed: seed)
        let truth = BruteForce.solve(topology)
        guard let best = truth.best else { return }
        let problem = PlacementProblem(topology)
        let result = Solver(problem).solve()
        #expect(result.status == .optimal, "seed \(seed)")
        let counts = try #require(result.assignment)
        let placement = CheckPipeline.names(counts, problem)
        #expect(abs(BruteForce.objective(placement, topology) - best) < 1e-9, "seed \(seed)")
        #expect(Solver.lowerBound(problem).scalar <= best + 1e-9, "seed \(seed)")
    }

    @Test("the same spec gives the same placement", arguments: [UInt64(7), 42, 99])
    func deterministic(seed: UInt64) {
        let topology = RandomTopologies.tiny(seed: seed, maxHosts: 6, maxPurposes: 4, maxReplicas: 4)
        let first = Solver(PlacementProblem(topology)).solve()
        let second = Solver(PlacementProblem(topology)).solve()
        #expect(first.assignment == second.assignment)
        #expect(first.status == second.status)
    }

    @Test("a step budget that runs out never reports proven answers it does not have")
    func budgetIsHonest() {
        for seed in UInt64(1)...40 {
            let topology = RandomTopologies.tiny(seed: seed, maxHosts: 6, maxPurposes: 4, maxReplicas: 4)
            let full = Solver(PlacementProblem(topology)).solve()
            let tiny = Solver(PlacementProblem(topology), limits: .init(steps: 3)).solve()
            switch tiny.status {
            case .infeasible: #expect(full.status == .infeasible, "seed \(seed)")
            case .optimal: #expect(full.objective == tiny.objective, "seed \(seed)")
            case .feasible, .unknown: #expect(tiny.steps >= 3, "seed \(seed)")
            }
        }
    }
}

@Suite struct RandomTopologyCoverageTests {
    @Test("the seeds exercise both verdicts, both strategies, and the combination stage of explanations")
    func seedsCoverTheCases() {
        var feasible = 0, infeasible = 0, binpack = 0, spread = 0, explainedByCombination = 0
        for seed in SolverPropertyTests.seeds {
            let topology = RandomTopologies.tiny(seed: seed)
            if BruteForce.solve(topology).feasible { feasible += 1 } else { infeasible += 1 }
            if topology.strategy == .binpack { binpack += 1 } else { spread += 1 }
            let result = CheckPipeline.check(LoadedSpec(topology: topology, diagnostics: []))
            if result.diagnostics.contains(where: { $0.code == .noPlacement || $0.code == .conflictingPurposes }) {
                explainedByCombination += 1
            }
        }
        #expect(feasible >= 30)
        #expect(infeasible >= 30)
        #expect(binpack >= 30 && spread >= 30)
        #expect(explainedByCombination >= 1)
    }
}

@Suite struct LargerRandomTopologyTests {
    @Test("on larger random topologies every placement passes the verifier", arguments: Array(UInt64(1000)...1060))
    func verifierAcceptsEveryPlacement(seed: UInt64) {
        let topology = RandomTopologies.tiny(seed: seed, maxHosts: 8, maxPurposes: 5, maxReplicas: 5)
        let result = Solver(PlacementProblem(topology), limits: .init(steps: 200_000)).solve()
        if let counts = result.assignment {
            let placement = CheckPipeline.names(counts, PlacementProblem(topology))
            #expect(Verifier.violations(of: placement, in: topology).isEmpty, "seed \(seed)")
        }
        #expect(result.status != .unknown, "seed \(seed): 200,000 steps should decide an 8-host instance")
    }
}
