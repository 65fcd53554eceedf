import Foundation
import PlannerKit
import PlannerSpec
import Testing

/// Simulation on a fixed shop placement, and its selectors (placement files: PlacementFileTests).
@Suite struct SimulationTests {
    static let spec = """
        topology: shop
        failures: { hosts: 1 }
        hosts:
          app1: { cpu: 8, memory: 16GiB, zone: a, rack: a1 }
          app2: { cpu: 8, memory: 16GiB, zone: a, rack: a2 }
          app3: { cpu: 8, memory: 16GiB, zone: b, rack: b1 }
          db1:  { cpu: 16, memory: 64GiB, zone: a, rack: a1 }
          db2:  { cpu: 16, memory: 64GiB, zone: b, rack: b1 }
        purposes:
          web: { image: web:1, replicas: 3, cpu: 2, memory: 2GiB, min_available: 2 }
          cache: { image: redis:1, replicas: 2, cpu: 1, memory: 4GiB }
          sentinel: { image: redis:1, replicas: 3, cpu: 500m, memory: 256MiB, min_available: majority }
          batch: { image: batch:1, replicas: 1, cpu: 1, memory: 1GiB, survive: { hosts: 0 } }
        """
    static let placement: PlacementCounts = [
        "web": ["app1": 1, "app2": 1, "app3": 1],
        "cache": ["db1": 1, "db2": 1],
        "sentinel": ["app1": 1, "db1": 1, "db2": 1],
        "batch": ["db2": 1],
    ]

    static func model() throws -> SimulationModel {
        let loaded = SpecLoader.load(text: spec)
        let topology = try #require(loaded.topology, "\(loaded.diagnostics)")
        #expect(loaded.isWellFormed, "\(loaded.diagnostics)")
        return SimulationModel(topology: topology, placement: placement)
    }

    func state(_ scenario: SimulationScenario, _ name: String) -> SimulationPurposeState {
        scenario.purposes.first { $0.name == name }!
    }

    @Test func oneHostFails() throws {
        let model = try Self.model()
        let failed = try model.hosts(failing: FailureSelector.parse("app3"))
        let scenario = model.scenario(failing: failed)
        #expect(scenario.failedHosts == ["app3"])
        let web = state(scenario, "web")
        #expect((web.left, web.replicas, web.required, web.status) == (2, 3, 2, .degraded))
        #expect(web.margin == 0 && web.nextCut == ["app1"])
        #expect(state(scenario, "cache").status == .up)
        #expect(state(scenario, "cache").margin == 1)
        #expect(!scenario.isDown)
        #expect(scenario.capacityLost == SimulationResources(cpu: 8000, memory: 16 << 30))
        #expect(scenario.displaced == SimulationResources(cpu: 2000, memory: 2 << 30))
        #expect(scenario.replicasLost == 1)
    }

    @Test func zoneAndHostTogether() throws {
        let model = try Self.model()
        let selectors = try FailureSelector.parse("zone=b") + FailureSelector.parse("app1")
        let scenario = model.scenario(failing: try model.hosts(failing: selectors), selectors: selectors)
        #expect(scenario.failedHosts == ["app1", "app3", "db2"])
        #expect(state(scenario, "web").status == .down)
        #expect(state(scenario, "sentinel").status == .down)   // quorum lost: 1 of 3
        #expect(state(scenario, "sentinel").isMajority)
        #expect(state(scenario, "cache").status == .degraded)
        #expect(state(scenario, "batch").status == .down)
        #expect(scenario.isDown)
        #expect(scenario.down.map(\.name) == ["web", "sentinel", "batch"])
    }

    @Test func rackSelector() throws {
        let model = try Self.model()
        #expect(try model.hosts(failing: FailureSelector.parse("rack=a1")).map { model.topology.hosts[$0].name } == ["app1", "db1"])
        #expect(try model.hosts(failing: FailureSelector.parse("app1,host=db1, app1")).count == 2)
    }

    @Test func unknownNamesSuggest() throws {
        let model = try Self.model()
        #expect(throws: SimulationInputError("unknown host 'app9'; did you mean 'app1'? (the hosts: app1, app2, app3, db1, db2)")) {
            try model.hosts(failing: FailureSelector.parse("app9"))
        }
        #expect(throws: SimulationInputError("unknown zone 'ab'; did you mean 'zone=a'? (the zones: a, b)")) {
            try model.hosts(failing: FailureSelector.parse("zone=ab"))
        }
        #expect(throws: SimulationInputError("unknown host 'b1'; 'b1' is a rack: write 'rack=b1'")) {
            try model.hosts(failing: FailureSelector.parse("b1"))
        }
        #expect(throws: SimulationInputError("unknown failure domain 'zon' in 'zon=b'; did you mean 'zone='?")) {
            try FailureSelector.parse("zon=b")
        }
        #expect(throws: SimulationInputError.self) { try FailureSelector.parse("app1,,app2") }
        #expect(throws: SimulationInputError.self) { try FailureSelector.parse("rack=") }
    }

    @Test func anyTwoHosts() throws {
        let model = try Self.model()
        let analysis = try model.analyse(.host, k: 2, limit: .max)
        #expect(analysis.scenarioCount == 10)
        let byName = Dictionary(uniqueKeysWithValues: analysis.purposes.map { ($0.name, $0) })
        #expect(byName["web"]!.worstLeft == 1 && byName["web"]!.cut == ["app1", "app2"])
        #expect(byName["cache"]!.cut == ["db1", "db2"] && byName["cache"]!.survivesHosts == 1)
        #expect(byName["batch"]!.cut == ["db2"] && byName["batch"]!.survivesHosts == 0)
        #expect(byName["batch"]!.acceptsSinglePointOfFailure)
        #expect(analysis.weakest == ["batch"])
        // db1 + db2 takes cache, sentinel and batch down together: the worst set of two.
        #expect(analysis.failureSets.first == SimulationFailureSet(
            units: ["db1", "db2"], down: ["cache", "sentinel", "batch"], degraded: [],
            capacityLost: SimulationResources(cpu: 32000, memory: 128 << 30)))
        #expect(analysis.mostDownTogether == 3)
        #expect(analysis.isDown)
    }

    @Test func anyOneZoneAndRack() throws {
        let model = try Self.model()
        let zones = try model.analyse(.zone, k: 1)
        #expect(zones.units == ["a", "b"])
        let web = zones.purposes.first { $0.name == "web" }!
        #expect(web.worstUnits == ["a"] && web.worstStatus == .down && web.cut == ["a"] && web.survives == 0)
        #expect(web.budget == 0 && web.isBeyondBudget(k: 1))
        let racks = try model.analyse(.rack, k: 1)
        #expect(racks.units == ["a1", "a2", "b1"])
        #expect(racks.purposes.first { $0.name == "sentinel" }!.worstLeft == 1)
    }

    @Test func analysisAfterAFailure() throws {
        let model = try Self.model()
        let failed = try model.hosts(failing: FailureSelector.parse("app3"))
        let analysis = try model.analyse(.host, k: 1, after: failed)
        #expect(analysis.after == ["app3"] && analysis.units == ["app1", "app2", "db1", "db2"])
        let web = analysis.purposes.first { $0.name == "web" }!
        #expect(web.left == 2 && web.worstLeft == 1 && web.cut?.count == 1 && web.survivesHosts == 0)
        #expect(try model.analyse(.zone, k: 1, after: failed).units == ["a", "b"])
    }

    @Test func badAnalyses() throws {
        let model = try Self.model()
        #expect(throws: SimulationInputError("cannot fail 6 hosts: the spec has only 5 hosts")) { try model.analyse(.host, k: 6) }
        #expect(throws: SimulationInputError.self) { try model.analyse(.host, k: 0) }
        let bare = SimulationModel(topology: Topology(name: "t", hosts: [Host(name: "h", cpu: 1, memory: 1)], purposes: []),
                                   placement: [:])
        #expect(throws: SimulationInputError("no host in the spec names a rack, so there are no racks to fail")) {
            try bare.analyse(.rack, k: 1)
        }
    }

    @Test func enumerationLimitTruncates() throws {
        let model = try Self.model()
        let analysis = try model.analyse(.host, k: 2, limit: .max, enumerationLimit: 1)
        #expect(analysis.isTruncated)
        #expect(analysis.purposes.map(\.cut) == (try model.analyse(.host, k: 2)).purposes.map(\.cut))
    }

    @Test func limitKeepsTheWorst() throws {
        let model = try Self.model()
        let all = try model.analyse(.host, k: 2, limit: .max)
        let some = try model.analyse(.host, k: 2, limit: 2)
        #expect(some.failureSets == Array(all.failureSets.prefix(2)))
        #expect(some.failureSetCount == all.failureSetCount)
    }

    @Test func binomial() {
        #expect(SimulationMath.binomial(5, 2) == 10)
        #expect(SimulationMath.binomial(1000, 2) == 499_500)
        #expect(SimulationMath.binomial(3, 4) == 0)
        #expect(SimulationMath.binomial(10_000, 100) == nil)
        #expect(SimulationMath.cutSize(sortedCounts: [2, 1, 1], tolerable: 2) == 2)
        #expect(SimulationMath.cutSize(sortedCounts: [1, 1], tolerable: 2) == nil)
        #expect(SimulationMath.cutSize(sortedCounts: [], tolerable: -1) == 0)
    }
}
