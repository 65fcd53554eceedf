import PlannerSpec
import Testing
@testable import PlannerKit

/// binpack's capacity bounds on inline specs small enough to check by hand (brute force checks the
/// bound on random tiny specs in `SolverPropertyTests`).
@Suite struct BinpackBoundTests {
    static func problem(_ yaml: String) throws -> PlacementProblem {
        let loaded = SpecLoader.load(text: yaml, file: "t.spec")
        #expect(loaded.diagnostics.filter { $0.severity == .error }.isEmpty, "\(loaded.diagnostics.map(\.message))")
        return PlacementProblem(try #require(loaded.topology))
    }

    /// Four small public hosts are forced open by web's port; the two large ones hold the rest.
    static let forcedSmallHosts = """
        topology: forced
        strategy: binpack
        failures: { hosts: 1 }
        hosts:
          big1: { cpu: 32, memory: 64GiB }
          big2: { cpu: 32, memory: 64GiB }
          big3: { cpu: 32, memory: 64GiB }
          small1: { cpu: 2, memory: 4GiB, labels: [public] }
          small2: { cpu: 2, memory: 4GiB, labels: [public] }
          small3: { cpu: 2, memory: 4GiB, labels: [public] }
          small4: { cpu: 2, memory: 4GiB, labels: [public] }
        purposes:
          web:
            image: r/web:1
            replicas: 4
            min_available: 3
            cpu: 1
            memory: 1GiB
            ports: ["80:8080"]
            placement: { labels: [public] }
          api:
            image: r/api:1
            replicas: 4
            min_available: 2
            cpu: 14
            memory: 28GiB
        """

    @Test("hosts that labels force open count with their own, smaller capacity")
    func forcedHostsRaiseTheBound() throws {
        let problem = try Self.problem(Self.forcedSmallHosts)
        // Each half of the bound alone: capacity says 2 large hosts (60 cpu), web's port says 4 hosts.
        #expect(problem.coverBound().hosts == 2)
        #expect(problem.fewestHosts(0) == 4)
        // Together: the 4 public hosts hold 8 cpu, so 52 more need 2 large hosts: 6 in all.
        let forced = problem.forcedHostSets(cliques: problem.conflictCliques())
        #expect(forced.contains { $0.count == 4 && $0.hosts.count == 4 })
        #expect(Solver.lowerBound(problem) == .hostsUsed(6))
        // 6 is reachable (web on the small hosts, api two per large host), so the solve proves it.
        let result = Solver(problem).solve()
        #expect(result.status == .optimal)
        #expect(result.objective == .hostsUsed(6))
    }

    @Test("weighting cpu against memory beats either alone when hosts differ in shape")
    func surrogateBeatsEachResource() throws {
        // cpu-rich and memory-rich hosts; demand needs 12 cpu and 48 GiB.
        let problem = try Self.problem("""
            topology: shapes
            strategy: binpack
            hosts:
              cpu1: { cpu: 16, memory: 16GiB }
              cpu2: { cpu: 16, memory: 16GiB }
              mem1: { cpu: 4, memory: 64GiB }
              mem2: { cpu: 4, memory: 64GiB }
            purposes:
              app:
                image: r/app:1
                replicas: 12
                min_available: 1
                cpu: 1
                memory: 4GiB
            """)
        // cpu alone: one cpu-rich host (16 ≥ 12); memory alone: one memory-rich host (64 ≥ 48).
        // But no single host has both: a λ between them needs 2.
        let bound = problem.coverBound()
        #expect(bound.hosts == 2)
        #expect(bound.lambda > 0 && bound.lambda < 1)
        // And the bound stays below the optimum, 3 (4 replicas per host by cpu or by memory).
        #expect(Solver.lowerBound(problem) <= .hostsUsed(3))
        #expect(Solver(problem).solve().objective == .hostsUsed(3))
    }
}
