import PlannerSpec
import Testing
@testable import PlannerKit

/// Each explanation names the purposes, hosts and numbers involved, and a fix.
@Suite struct ExplainerTests {
    func check(_ yaml: String) -> CheckResult {
        let spec = SpecLoader.load(text: yaml, file: "t.spec")
        #expect(spec.isWellFormed, "test spec is malformed: \(spec.diagnostics.map(\.message))")
        return CheckPipeline.check(spec)
    }

    func errors(_ result: CheckResult) -> [Diagnostic] { result.diagnostics.filter { $0.severity == .error } }

    @Test func singleReplicaCannotSurviveAHostFailure() throws {
        let result = check("""
            topology: t
            hosts:
              a: { cpu: 4, memory: 4GiB }
              b: { cpu: 4, memory: 4GiB }
            purposes:
              cache:
                image: redis:3.0.1
                replicas: 1
                cpu: 1
                memory: 1GiB
            """)
        let error = try #require(errors(result).first)
        #expect(error.code == .cannotSurvive)
        #expect(error.location?.line == 8)
        #expect(error.message.contains("at least 2 replicas"))
        #expect(error.message.contains("survive: { hosts: 0 }"))
        #expect(result.placement == nil)
    }

    @Test func majorityAcrossTwoZonesNamesTheZonesAndTheFix() throws {
        let result = check("""
            topology: t
            hosts:
              a1: { cpu: 4, memory: 4GiB, zone: a }
              a2: { cpu: 4, memory: 4GiB, zone: a }
              b1: { cpu: 4, memory: 4GiB, zone: b }
            purposes:
              redis-sentinel:
                image: redis:3.0.1
                replicas: 3
                min_available: majority
                survive: { zones: 1 }
                cpu: 1
                memory: 256MiB
            """)
        let error = try #require(errors(result).first)
        #expect(error.code == .insufficientSpread)
        #expect(error.location?.line == 11)
        #expect(error.message.contains("at most 1 replica per zone"))
        #expect(error.message.contains("only 2 zones (a, b)"))
        #expect(error.message.contains("add a host in a third zone or lower survive.zones"))
    }

    @Test func portsLimitReplicasPerHost() throws {
        let result = check("""
            topology: t
            hosts:
              a: { cpu: 8, memory: 8GiB }
              b: { cpu: 8, memory: 8GiB }
            purposes:
              web:
                image: web:1
                replicas: 3
                min_available: 1
                ports: ["80:8080"]
                cpu: 1
                memory: 1GiB
            """)
        let error = try #require(errors(result).first)
        #expect(error.code == .insufficientCapacity)
        #expect(error.message.contains("publishes port 80, so at most 1 replica per host"))
        #expect(error.message.contains("can take only 2"))
    }

    @Test func purposesThatMayNotShareAHost() throws {
        let result = check("""
            topology: t
            hosts:
              a: { cpu: 8, memory: 8GiB }
              b: { cpu: 8, memory: 8GiB }
              c: { cpu: 8, memory: 8GiB }
            purposes:
              web:
                image: web:1
                replicas: 2
                ports: ["80:8080"]
                cpu: 1
                memory: 1GiB
              admin:
                image: admin:1
                replicas: 2
                ports: ["80:9000"]
                cpu: 1
                memory: 1GiB
            """)
        let error = try #require(errors(result).first)
        #expect(error.code == .conflictingPurposes)
        #expect(error.message.contains("both publish host port 80/tcp"))
        #expect(error.notes.contains { $0.message.contains("fix that works: add one more host like") })
    }

    @Test func aCombinationIsNarrowedToTheCulprits() throws {
        // Each purpose fits alone, and the total fits (13 of 15 cpu), but 3-cpu replicas cannot share
        // a 5-cpu host: big needs 2 hosts and large needs 2 hosts, and there are only 3.
        let result = check("""
            topology: t
            hosts:
              a: { cpu: 5, memory: 16GiB }
              b: { cpu: 5, memory: 16GiB }
              c: { cpu: 5, memory: 16GiB }
            purposes:
              big:
                image: big:1
                replicas: 2
                cpu: 3
                memory: 1GiB
              large:
                image: large:1
                replicas: 2
                cpu: 3
                memory: 1GiB
              small:
                image: small:1
                replicas: 2
                cpu: 500m
                memory: 1GiB
            """)
        let error = try #require(errors(result).first)
        #expect(error.code == .noPlacement)
        #expect(error.message.contains("'big' and 'large'"))
        #expect(!error.message.contains("small"))
        #expect(error.notes.contains { $0.message.contains("fix that works") })
    }

    @Test("a tight cluster's explanation names only purposes it needs: it has no placement, and without any one of them the configuration LP admits one")
    func aTightClusterNamesNoPurposeItCouldDrop() throws {
        let spec = HeuristicTests.fixture("infeasible-tight-10-hosts-seed5.spec")
        let topology = try #require(spec.topology)
        let error = try #require(errors(CheckPipeline.check(spec)).first)
        #expect(error.code == .noPlacement)
        // The purposes named: the first where the error points, the others in its notes.
        let first = try #require(topology.purposes.first { $0.locations.this == error.location })
        let others = error.notes.compactMap { note in
            topology.purposes.first { note.message == "'\($0.name)' is declared here" }
        }
        let problem = PlacementProblem(topology)
        let named = ([first] + others).map { purpose in problem.demands.firstIndex { $0.name == purpose.name }! }
        #expect(named.count < problem.demands.count, "narrowed to fewer than all \(problem.demands.count) purposes")
        func lpVerdict(_ subset: [Int]) -> ConfigurationLP.Verdict {
            let restricted = problem.restricted(to: subset)
            let relaxation = ConfigurationLP(problem: restricted, cpuLimit: restricted.hosts.map(\.cpu),
                                             memoryLimit: restricted.hosts.map(\.memory))
            return relaxation.verdict()
        }
        #expect(lpVerdict(named) == .excluded, "the purposes named have no placement")
        for d in named {
            #expect(lpVerdict(named.filter { $0 != d }) == .admitted, "'\(problem.demands[d].name)' could be dropped")
        }
    }

    @Test func explanationsNeverFireOnAPlaceableSpec() {
        // Sound prechecks: a tight but placeable spec gets a placement, not an error.
        let result = check("""
            topology: t
            hosts:
              a: { cpu: 4, memory: 4GiB, zone: z1 }
              b: { cpu: 4, memory: 4GiB, zone: z2 }
              c: { cpu: 4, memory: 4GiB, zone: z3 }
            purposes:
              q:
                image: q:1
                replicas: 3
                min_available: majority
                survive: { zones: 1 }
                cpu: 4
                memory: 4GiB
            """)
        #expect(result.placement != nil)
        #expect(errors(result).isEmpty)
    }
}
