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

    /// Issue 18: what JSONDecoder let through and other readers read differently.
    @Test(arguments: [
        (#"{"placement": {"web": {"app1": 1, "app1": 2}}}"#, "duplicate key \"app1\" (at placement.web.app1) at line 1, column 35"),
        (#"{"placement": {"web": {"app1": 1}}, "placement": {}}"#, "duplicate key \"placement\""),
        ("{\"placement\": {\"web\": {\"a\": 1, \"\\u0061\": 2}}}", "duplicate key \"a\""),
        (#"{"placement": {"web": {"app1": 1.0}}}"#, "placement count 1.0 (at placement.web.app1) at line 1, column 32"),
        (#"{"placement": {"web": {"app1": 1e0}}}"#, "placement count 1e0"),
        ("{\"placement\": {\"web\": {\"app1\": 1}}}\u{0}", "unexpected byte 0x0 after the JSON value at line 1, column 36"),
        ("{\"placement\": {}}\n\n x", "unexpected byte 0x78 after the JSON value at line 3, column 2"),
        (String(repeating: "[", count: 100_000), "JSON nested deeper than 64"),
    ] as [(String, String)])
    func refusesWhatOtherReadersReadDifferently(text: String, message: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted \(text.prefix(80))")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func acceptsOrdinaryJSON() throws {
        #expect(try parse("\u{FEFF}{\"placement\": {\"web\": {\"app1\": 2}}, \"x\": [1.5, {\"a\": 1}, \"s\\\"\"]}\n")
                == ["web": ["app1": 2]])
        #expect(try parse(#"{"placement": {"web": {"a": 1}, "db": {"a": 1}}}"#) == ["web": ["a": 1], "db": ["a": 1]])
    }

    @Test func anUnknownHostWithZeroIsRefusedLikeAnUnknownPurposeWithZero() throws {
        let topology = try SimulationTests.model().topology
        var text = SimulationTests.placement
        text["web", default: [:]]["app7"] = 0
        let hostFile = try PlacementFile.read(Array(JSONValue.object(["placement": .object(text.mapValues { .object($0.mapValues { .int($0) }) })]).rendered().utf8))
        #expect(PlacementFile.validate(hostFile.written, against: topology).errors.contains { $0.contains("app7") })
        text = SimulationTests.placement
        text["ghost"] = ["app1": 0]
        let purposeFile = try PlacementFile.read(Array(JSONValue.object(["placement": .object(text.mapValues { .object($0.mapValues { .int($0) }) })]).rendered().utf8))
        #expect(PlacementFile.validate(purposeFile.written, against: topology).errors.contains { $0.contains("ghost") })
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
