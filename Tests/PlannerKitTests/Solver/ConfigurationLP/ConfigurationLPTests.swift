import PlannerTestSupport
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

    @Test("limits that the best placement fits under exactly, with as many hosts as it uses, are never excluded", arguments: SolverPropertyTests.seeds)
    func neverExcludesAPlacement(seed: UInt64) throws {
        let topology = RandomTopologies.tiny(seed: seed)
        guard let best = BruteForce.solve(topology).bestPlacement else { return }
        let problem = PlacementProblem(topology)
        let used = Self.usage(best, problem)
        var relaxation = ConfigurationLP(problem: problem, cpuLimit: used.cpu, memoryLimit: used.memory)
        #expect(relaxation.verdict() != .excluded, "seed \(seed)")
        // Nor with a budget of the hosts it uses (binpack's proof).
        relaxation.hostBudget = used.cpu.indices.filter { used.cpu[$0] > 0 || used.memory[$0] > 0 }.count
        #expect(relaxation.verdict() != .excluded, "seed \(seed): budget \(relaxation.hostBudget!)")
    }

    /// The tiny random topologies placed by `spread`, with brute force's best placement where there is one.
    struct TinyCase: Sendable {
        var seed: UInt64
        var topology: Topology
        var problem: PlacementProblem
        var best: PlacementCounts
        /// The LP at the tightest limits the best placement fits under (so a placement exists).
        var atItsUsage: ConfigurationLP {
            let used = ConfigurationLPTests.usage(best, problem)
            return ConfigurationLP(problem: problem, cpuLimit: used.cpu, memoryLimit: used.memory)
        }
        /// The best placement as the solver's counts.
        var assignment: [[HostCount]] {
            let hostIndex = Dictionary(uniqueKeysWithValues: problem.hosts.enumerated().map { ($1.name, $0) })
            return problem.demands.map { demand in
                (best[demand.name] ?? [:]).map { HostCount(host: hostIndex[$0.key]!, count: $0.value) }.sorted { $0.host < $1.host }
            }
        }
    }

    static let tinySpreadCases: [TinyCase] = SolverPropertyTests.seeds.compactMap { seed in
        var topology = RandomTopologies.tiny(seed: seed)
        topology.strategy = .spread
        guard let best = BruteForce.solve(topology).bestPlacement else { return nil }
        return TinyCase(seed: seed, topology: topology, problem: PlacementProblem(topology), best: best)
    }

    @Test("on tiny spread topologies the LP proves every optimum brute force finds")
    func provesEveryTinyOptimum() throws {
        let cases = Self.tinySpreadCases
        let proven = cases.filter { ConfigurationLP(problem: $0.problem, below: $0.assignment)?.verdict() == .excluded }
        #expect(cases.count > 30)
        #expect(proven.count == cases.count, "proved \(proven.count) of \(cases.count)")
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
        let used = problem.usage(of: assignment)
        #expect(ConfigurationLP(problem: problem, cpuLimit: used.cpu, memoryLimit: used.memory).verdict() == .admitted)
    }
}

/// Dives on the configuration LP: what they return verifies and fits the limits, and from the
/// heuristic's placement of a 10-host spread they reach CP-SAT's optimum, which the LP then proves.
@Suite struct ConfigurationDiveTests {
    @Test("every placement a dive returns passes the verifier and fits its limits")
    func diveResultsVerify() throws {
        var found = 0
        for tiny in ConfigurationLPTests.tinySpreadCases {
            // Limits that a placement fits exactly: the LP admits them, and the dive may find one.
            let relaxation = tiny.atItsUsage
            guard let placement = relaxation.dive() else { continue }
            found += 1
            HeuristicTests.expectVerified(placement, tiny.problem, tiny.topology)
            let fits = tiny.problem.usage(of: placement)
            for h in tiny.problem.hosts.indices {
                #expect(fits.cpu[h] <= relaxation.cpuLimit[h] && fits.memory[h] <= relaxation.memoryLimit[h],
                    "seed \(tiny.seed): host \(h) over its limit")
            }
        }
        // Most of them: a dive that never finds anything would pass the checks above vacuously.
        let total = ConfigurationLPTests.tinySpreadCases.count
        #expect(found * 10 >= total * 9, "dives found \(found) of \(total)")
    }

    @Test("a 10-host spread: dives take the heuristic's placement to CP-SAT's optimum 837/1280, and the LP proves it")
    func reachesTheOptimum() throws {
        let topology = try HeuristicTests.topology("spread-10-hosts.spec")
        let problem = PlacementProblem(topology)
        var heuristic = HeuristicSolver(problem, stepLimit: 500_000)
        let solved = heuristic.solve()
        let start = try #require(solved)
        let solver = Solver(problem)
        let startPeak = solver.objective(of: start).scalar
        // The premise: the heuristic alone stops above the optimum.
        #expect(startPeak > 837.0 / 1280 + 1e-9)
        let better = try #require(ConfigurationLP(problem: problem, below: start)?.dive(), "no dive below \(startPeak)")
        #expect(solver.objective(of: better).scalar < startPeak)
        HeuristicTests.expectVerified(better, problem, topology)

        let result = solver.solve()
        #expect(result.status == .optimal)
        #expect(abs(try #require(result.objective).scalar - 837.0 / 1280) < 1e-12)
    }

    @Test("the exact survival check: 2, 1, 1 survives any two hosts lost for r = 4, m = 1; 2, 2 does not")
    func survivalCheck() throws {
        let spec = """
        topology: t
        strategy: spread
        failures: { hosts: 2 }
        hosts:
          h1: { cpu: 4, memory: 4GiB }
          h2: { cpu: 4, memory: 4GiB }
          h3: { cpu: 4, memory: 4GiB }
        purposes:
          p: { image: r/p:1, replicas: 4, min_available: 1, cpu: 1, memory: 1GiB }
        """
        let problem = PlacementProblem(try #require(SpecLoader.load(text: spec, file: "t.spec").topology))
        let relaxation = ConfigurationLP(problem: problem, cpuLimit: problem.hosts.map(\.cpu), memoryLimit: problem.hosts.map(\.memory))
        #expect(relaxation.survives([[HostCount(host: 0, count: 2), HostCount(host: 1, count: 1), HostCount(host: 2, count: 1)]]))
        #expect(!relaxation.survives([[HostCount(host: 0, count: 2), HostCount(host: 1, count: 2)]]))
    }
}

/// binpack: the configuration LP with a host budget proves that no placement uses fewer hosts.
@Suite struct ConfigurationBudgetTests {
    @Test("a 20-host binpack whose bound is one host short: the LP shows that 9 hosts cannot hold it, so 10 is optimal")
    func provesBinpackOptimum() throws {
        let topology = try HeuristicTests.topology("binpack-20-hosts-seed7.spec")
        let problem = PlacementProblem(topology)
        // The premise: the bounds without configurations allow one host fewer.
        #expect(Solver.lowerBound(problem) == .hostsUsed(9))
        var nine = ConfigurationLP(problem: problem, cpuLimit: problem.hosts.map(\.cpu), memoryLimit: problem.hosts.map(\.memory))
        nine.hostBudget = 9
        #expect(nine.verdict() == .excluded)
        let result = Solver(problem).solve()
        #expect(result.status == .optimal)
        #expect(result.objective == .hostsUsed(10))
        let placement = try #require(result.assignment)
        HeuristicTests.expectVerified(placement, problem, topology)
        // And the budget the placement meets is admitted.
        var ten = nine
        ten.hostBudget = 10
        #expect(ten.verdict() == .admitted)
    }
}

/// Branch and price on the configuration LP: complete on tiny topologies, and a proof where the LP alone is not.
@Suite struct BranchAndPriceTests {
    @Test("on tiny spread topologies it finds a placement under the best one's usage, and none below the optimum")
    func completeOnTinyTopologies() throws {
        var proofs = 0
        for tiny in ConfigurationLPTests.tinySpreadCases {
            switch tiny.atItsUsage.branchAndPrice() {
            case .found(let placement):
                HeuristicTests.expectVerified(placement, tiny.problem, tiny.topology)
            case .none: Issue.record("seed \(tiny.seed): a placement fits, branch and price says none does")
            case .unknown: Issue.record("seed \(tiny.seed): a tiny search ran out")
            }
            let below = try #require(ConfigurationLP(problem: tiny.problem, below: tiny.assignment))
            switch below.branchAndPrice() {
            case .found: Issue.record("seed \(tiny.seed): found a placement below brute force's optimum")
            case .none: proofs += 1
            case .unknown: Issue.record("seed \(tiny.seed): a tiny search ran out")
            }
        }
        #expect(proofs == ConfigurationLPTests.tinySpreadCases.count)
    }

    @Test("a spread placement the LP proves optimal as constructed is kept without the heuristic's leximax kicks")
    func aProvenConstructionSkipsTheKicks() throws {
        let topology = try HeuristicTests.example("blog-nginx.spec")
        let problem = PlacementProblem(topology)
        let solver = Solver(problem)
        let budget = SolverLimits().steps
        // The premise: the heuristic's construction is optimal, and the LP proves it.
        var constructing = HeuristicSolver(problem, stepLimit: budget / 4)
        constructing.defersLeximax = true
        let solved = constructing.solve()
        let constructed = try #require(solved)
        #expect(solver.proofOfOptimality(constructed, work: ConfigurationWork(steps: budget, deadline: nil)) == .excluded)
        // The whole heuristic, kicks included, spends far more steps than the solver does.
        var whole = HeuristicSolver(problem, stepLimit: budget / 4)
        _ = whole.solve()
        let result = solver.solve()
        #expect(result.status == .optimal)
        #expect(result.objective == solver.objective(of: constructed))
        #expect(result.steps * 2 < whole.steps, "solver \(result.steps) steps, heuristic with its kicks \(whole.steps)")
        HeuristicTests.expectVerified(try #require(result.assignment), problem, topology)
    }

    @Test("a 10-host spread the LP alone leaves open: branch and price proves the optimum 189/256")
    func provesWhereTheLPAloneCannot() throws {
        let topology = try HeuristicTests.topology("spread-10-hosts-seed6.spec")
        let problem = PlacementProblem(topology)
        let result = Solver(problem).solve()
        #expect(result.status == .optimal)
        #expect(abs(try #require(result.objective).scalar - 189.0 / 256) < 1e-12, "CP-SAT's optimum is 189/256")
        let placement = try #require(result.assignment)
        HeuristicTests.expectVerified(placement, problem, topology)
        let below = try #require(ConfigurationLP(problem: problem, below: placement))
        // The premise: the LP at the root admits these limits; only branching shows that nothing fits.
        #expect(below.verdict() == .admitted)
        #expect({ if case .none = below.branchAndPrice() { return true } else { return false } }())
    }
}
