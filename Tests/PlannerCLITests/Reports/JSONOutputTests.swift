import Foundation
import PlannerTestSupport
import Testing

/// `--format json` prints exactly one JSON object, whatever the outcome.
@Suite struct JSONOutputTests {
    @Test func placedSpecHasPlacementAndHostsUsed() throws {
        let run = try PlannerBinary.run(["check", "--format", "json", "topologies/shop.spec"])
        #expect(run.status == 0)
        let object = try run.json()
        #expect(object["ok"] as? Bool == true)
        #expect((object["diagnostics"] as? [Any])?.isEmpty == true)
        #expect(object["hosts_used"] as? Int == 5)
        let placement = try #require(object["placement"] as? [String: [String: Int]])
        #expect(placement.keys.sorted() == ["front", "openldap", "redis-cache", "redis-sentinel", "web"])
        #expect(placement["web"]?.values.reduce(0, +) == 3)
        #expect(placement["redis-sentinel"]?.values.reduce(0, +) == 3)
        #expect(placement.values.allSatisfy { $0.values.allSatisfy { $0 > 0 } })
    }

    @Test func malformedSpecIsStillOneJSONObjectWithStatusTwo() throws {
        let run = try PlannerBinary.check(spec: Specs.malformed, ["--format", "json"])
        #expect(run.status == 2)
        let object = try run.json()
        #expect(object["ok"] as? Bool == false)
        #expect(object["placement"] == nil)
        #expect(object["hosts_used"] as? Int == 0)
        let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.compactMap { $0["code"] as? String }.sorted() == ["bad-unit", "missing-key", "unknown-key"])
        for diagnostic in diagnostics {
            #expect(diagnostic["severity"] as? String == "error")
            #expect((diagnostic["message"] as? String)?.isEmpty == false)
            #expect((diagnostic["file"] as? String)?.hasSuffix("test.spec") == true)
            #expect(diagnostic["line"] is Int)
            #expect(diagnostic["column"] is Int)
        }
        let unknownKey = try #require(diagnostics.first { $0["code"] as? String == "unknown-key" })
        #expect(unknownKey["line"] as? Int == 7)
        #expect(unknownKey["column"] as? Int == 5)
    }

    @Test func missingFileIsStillOneJSONObject() throws {
        let run = try PlannerBinary.run(["check", "/nonexistent/planner-cli-test.spec", "--format", "json"])
        #expect(run.status == 2)
        let object = try run.json()
        #expect(object["ok"] as? Bool == false)
        let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.map { $0["code"] as? String } == ["unreadable-file"])
    }

    @Test func unplaceableSpecHasNoPlacement() throws {
        let run = try PlannerBinary.check(spec: Specs.cannotSurvive, ["--format", "json"])
        #expect(run.status == 1)
        let object = try run.json()
        #expect(object["ok"] as? Bool == false)
        #expect(object["placement"] == nil)
        let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.contains { $0["code"] as? String == "cannot-survive" && $0["severity"] as? String == "error" })
    }

    @Test func warningsKeepOkUnlessStrict() throws {
        let spec = Specs.placeable(image: "registry.example/web:latest")
        let lenient = try PlannerBinary.check(spec: spec, ["--format", "json"]).json()
        #expect(lenient["ok"] as? Bool == true)
        #expect((lenient["diagnostics"] as? [[String: Any]])?.first?["severity"] as? String == "warning")
        let strictRun = try PlannerBinary.check(spec: spec, ["--format", "json", "--strict"])
        #expect(strictRun.status == 1)
        let strict = try strictRun.json()
        #expect(strict["ok"] as? Bool == false)
        #expect((strict["diagnostics"] as? [[String: Any]])?.first?["severity"] as? String == "error")
    }
}
