import PlannerSpec
import Testing
@testable import PlannerKit

/// The configuration LP: it never excludes limits that a placement fits under, and it proves optimal
/// a tight cluster whose optimum the splitting relaxation and the search alone cannot prove.
@Suite struct ConfigurationLPTests {
    /// Each host's cpu and memory in use by a placement: the tightest limits it fits under.
    static func usage(_ placement: PlacementCounts, _ problem: PlacementProblem) -> (cpu: [Int64], memory: [Int64]) {
        var cpu = [Int64](repeating: 0, count: problem.hosts.count), memory = cpu
        let hostIndex = Dictionary(uniqueKeysWithValues: problem.hosts.enumerated().map { ($1.name, $0) })
        for demand in problem.demands {
            for (host, n) in placement[demand.name] ?? [:] {
                let h = hostIndex[host]!
                cpu[h] += demand.cpu * Int64(n)
                memory[h] += demand.memory * Int64(n)
            }
        }
        return (cpu, memory)
    }

    @Test("limits that the best placement fits under exactly are never excluded", arguments: SolverPropertyTests.seeds)
    func neverExcludesAPlacement(seed: UInt64) throws {
        let topology = RandomTopologies.tiny(seed: seed)
        guard let best = BruteForce.solve(topology).bestPlacement else { return }
        let problem = PlacementProblem(topology)
        let used = Self.usage(best, problem)
        let relaxation = ConfigurationLP(problem: problem, cpuLimit: used.cpu, memoryLimit: used.memory)
        #expect(relaxation.verdict() != .excluded, "seed \(seed)")
    }

    @Test("on tiny spread topologies the LP proves every optimum brute force finds")
    func provesEveryTinyOptimum() throws {
        var proven = 0, total = 0
        for seed in SolverPropertyTests.seeds {
            var topology = RandomTopologies.tiny(seed: seed)
            topology.strategy = .spread
            guard let best = BruteForce.solve(topology).bestPlacement else { continue }
            let problem = PlacementProblem(topology)
            let assignment = problem.demands.map { demand in
                (best[demand.name] ?? [:]).compactMap { host, n in
                    problem.hosts.firstIndex { $0.name == host }.map { HostCount(host: $0, count: n) }
                }.sorted { $0.host < $1.host }
            }
            guard let relaxation = ConfigurationLP(problem: problem, below: assignment) else { continue }
            total += 1
            if relaxation.verdict() == .excluded { proven += 1 }
        }
        #expect(total > 30)
        #expect(proven == total, "proved \(proven) of \(total)")
    }

    @Test("a tight 10-host cluster: the LP proves the optimum 589/640 that the splitting relaxation leaves open")
    func provesTightCluster() throws {
        let topology = try HeuristicTests.topology("tight-spread-10-hosts.spec")
        let problem = PlacementProblem(topology)
        let result = Solver(problem).solve()
        #expect(result.status == .optimal)
        let peak = try #require(result.objective).scalar
        #expect(abs(peak - 589.0 / 640) < 1e-12, "CP-SAT's optimum is 589/640; found \(peak)")
        // The premise: the bound without configurations stays below the optimum.
        #expect(Solver.lowerBound(problem).scalar < peak - 1e-3)
        let assignment = try #require(result.assignment)
        let below = try #require(ConfigurationLP(problem: problem, below: assignment))
        #expect(below.verdict() == .excluded)
        // And exactly at the placement's own usage, the limits are admitted.
        let used = Self.usage(HeuristicTests.counts(assignment, problem), problem)
        #expect(ConfigurationLP(problem: problem, cpuLimit: used.cpu, memoryLimit: used.memory).verdict() == .admitted)
    }
}
