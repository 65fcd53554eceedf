import Foundation
import PlannerKit
import PlannerSpec
import Testing

/// placement.json written by `plan` and read back by `simulate --placement`, and check's JSON read the same way.
@Suite struct PlacementFileTests {
    func parse(_ text: String) throws(SimulationInputError) -> PlacementCounts {
        try PlacementFile.parse(Array(text.utf8))
    }

    @Test func readsCheckOutput() throws {
        let placement = try parse(#"{"ok": true, "placement": {"web": {"app1": 1, "app2": 2, "app3": 0}}, "hosts_used": 2}"#)
        #expect(placement == ["web": ["app1": 1, "app2": 2]])
    }

    @Test func readsPlanOutputAndSaysWhenItIsStale() throws {
        let loaded = SpecLoader.load(text: SimulationTests.spec)
        let text = #"{"generated_by": "planner", "placement": {"web": {"app1": 1}}, "spec_sha256": "\#(SHA256.hex(loaded.bytes))", "topology": "shop"}"#
        let contents = try PlacementFile.read(Array(text.utf8))
        #expect(contents.placement == ["web": ["app1": 1]] && contents.topology == "shop")
        #expect(PlacementFile.staleness(of: contents, spec: loaded) == nil)
        var changed = contents
        changed.specSHA256 = String(repeating: "0", count: 64)
        #expect(PlacementFile.staleness(of: changed, spec: loaded)?.contains("spec_sha256 differs") == true)
        changed.topology = "other"
        #expect(PlacementFile.staleness(of: changed, spec: loaded)?.contains("'other'") == true)
    }

    @Test func rejectsBadFiles() {
        #expect(throws: SimulationInputError.self) { try parse("[1]") }
        #expect(throws: SimulationInputError.self) { try parse("{nope") }
        #expect(throws: SimulationInputError("no \"placement\" key (the run that wrote it found no placement)")) {
            try parse(#"{"ok": false}"#)
        }
        #expect(throws: SimulationInputError.self) { try parse(#"{"placement": {"web": {"app1": 1.5}}}"#) }
        #expect(throws: SimulationInputError.self) { try parse(#"{"placement": {"web": {"app1": -1}}}"#) }
        #expect(throws: SimulationInputError.self) { try parse(#"{"placement": {"web": {"app1": true}}}"#) }
        #expect(throws: SimulationInputError.self) { try parse(#"{"placement": {"web": {"app1": "1"}}}"#) }
        #expect(throws: SimulationInputError.self) { try parse(#"{"placement": {"web": [1]}}"#) }
    }

    @Test func validatesAgainstTheSpec() throws {
        let topology = try SimulationTests.model().topology
        var placement = SimulationTests.placement
        #expect(PlacementFile.validate(placement, against: topology).errors.isEmpty)
        placement["ghost"] = ["app1": 1]
        placement["web"] = ["app1": 1, "app2": 1, "app7": 1]
        let findings = PlacementFile.validate(placement, against: topology)
        #expect(findings.errors.contains { $0.contains("ghost") })
        #expect(findings.errors.contains { $0.contains("app7") })
        // Breaking a rule (here survival) is a warning: simulating it is the point.
        let lopsided = SimulationTests.placement.merging(["web": ["app1": 2, "app2": 1]]) { $1 }
        let warned = PlacementFile.validate(lopsided, against: topology)
        #expect(warned.errors.isEmpty && !warned.warnings.isEmpty)
    }

    @Test func placementFileCarriesHashAndPlacement() throws {
        let (topology, placement) = try EmitTests.planned()
        let bytes = Array(EmitTests.spec.utf8)
        let text = PlacementFile.json(placement: placement, topology: topology, specName: "t.spec", specBytes: bytes)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["spec_sha256"] as? String == SHA256.hex(bytes))
        #expect(object["topology"] as? String == "t")
        #expect((object["generated_by"] as? String)?.hasPrefix("planner from t.spec") == true)
        #expect(object["placement"] as? [String: [String: Int]] == placement.mapValues { $0.filter { $0.value > 0 } })
        #expect(try PlacementFile.parse(Array(text.utf8)) == placement)
        #expect(GeneratedHeader.isGenerated(Array(text.utf8)))
    }
}
