import Foundation
import PlannerTestSupport
import Testing

/// `plan` re-plans from the deployed placement: <out>/placement.json, or --from; --fresh ignores it;
/// stateful moves are refused without --allow-stateful-moves.
@Suite struct PlanReplanTests {
    typealias Scene = PlanWriterTests.Scene

    /// Six replicas on three hosts: spread puts two on each, so a fourth host would take some from scratch.
    static let spec = """
        topology: replan
        hosts:
          h1: { address: 10.0.0.1, cpu: 4, memory: 8GiB }
          h2: { address: 10.0.0.2, cpu: 4, memory: 8GiB }
          h3: { address: 10.0.0.3, cpu: 4, memory: 8GiB }
        purposes:
          app: { image: "a:1", replicas: 6, cpu: 1, memory: 1GiB }

        """
    static let withH4 = spec.replacingOccurrences(of: "purposes:", with: "  h4: { address: 10.0.0.4, cpu: 4, memory: 8GiB }\npurposes:")

    static func placement(_ folder: URL) throws -> [String: [String: Int]] {
        let data = try Data(contentsOf: folder.appendingPathComponent("placement.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(object["placement"] as? [String: [String: Int]])
    }

    @Test func aHostAddedMovesNothing() throws {
        let scene = try Scene(Self.spec)
        #expect(try scene.plan().status == 0)
        let before = try Self.placement(scene.out)
        try scene.write(Self.withH4)
        let again = try scene.plan()
        #expect(again.status == 0, "\(again)")
        #expect(again.output.contains("moves 0 from "), "\(again.output)")
        #expect(try Self.placement(scene.out) == before)
        // From scratch, spread would have used the new host.
        let fresh = try scene.plan(["--fresh"])
        #expect(fresh.status == 0, "\(fresh)")
        #expect(!fresh.output.contains("moves "), "\(fresh.output)")
        #expect(try Self.placement(scene.out)["app"]?["h4"] != nil)
    }

    @Test func aReplicaAddedMovesNothing() throws {
        let scene = try Scene(Self.spec)
        #expect(try scene.plan().status == 0)
        let before = try Self.placement(scene.out)["app"] ?? [:]
        try scene.write(Self.spec.replacingOccurrences(of: "replicas: 6", with: "replicas: 7"))
        let again = try scene.plan(["--format", "json"])
        #expect(again.status == 0, "\(again)")
        let moves = try #require(try again.json()["moves"] as? [String: Any])
        #expect(moves["count"] as? Int == 0)
        let after = try Self.placement(scene.out)["app"] ?? [:]
        for (host, count) in before { #expect((after[host] ?? 0) >= count, "\(host): \(after)") }
    }

    @Test func fromAnotherFolder() throws {
        let scene = try Scene(Self.spec)
        #expect(try scene.plan().status == 0)
        let other = scene.directory.url.appendingPathComponent("other")
        try scene.write(Self.withH4)
        let run = try PlannerBinary.run(["plan", scene.specPath, "--out", other.path,
                                         "--from", scene.out.appendingPathComponent("placement.json").path])
        #expect(run.status == 0, "\(run)")
        #expect(run.output.contains("moves 0"), "\(run.output)")
        #expect(try Self.placement(other) == Self.placement(scene.out))
    }

    @Test func aBadPlacementFileIsADiagnostic() throws {
        let scene = try Scene(Self.spec)
        let missing = try scene.plan(["--from", scene.directory.url.appendingPathComponent("nope.json").path])
        #expect(missing.status == 2, "\(missing)")
        #expect(missing.stderr.contains("--from: cannot read"), "\(missing.stderr)")
        #expect(scene.files().isEmpty)
        #expect(try scene.plan().status == 0)
        try Data("{\"placement\": [1]}".utf8).write(to: scene.out.appendingPathComponent("placement.json"))
        let broken = try scene.plan()
        #expect(broken.status == 2, "\(broken)")
        #expect(broken.stderr.contains("--fresh"), "\(broken.stderr)")
        #expect(try scene.plan(["--fresh"]).status == 0)
        let both = try scene.plan(["--fresh", "--from", "x.json"])
        #expect(both.status == 2, "\(both)")
    }

    static let stateful = """
        topology: stateful
        hosts:
          h1: { address: 10.0.0.1, cpu: 4, memory: 8GiB }
          h2: { address: 10.0.0.2, cpu: 4, memory: 8GiB }
          h3: { address: 10.0.0.3, cpu: 4, memory: 8GiB }
        purposes:
          db:
            image: "db:1"
            replicas: 2
            cpu: 1
            memory: 1GiB
            volumes: ["/srv/db:/data"]
            placement: { hosts: [h1, h2] }

        """

    @Test func aStatefulMoveIsRefusedUnlessAllowed() throws {
        let scene = try Scene(Self.stateful)
        #expect(try scene.plan().status == 0)
        let before = try Self.placement(scene.out)
        try scene.write(Self.stateful.replacingOccurrences(of: "hosts: [h1, h2]", with: "hosts: [h1, h3]"))
        let refused = try scene.plan()
        #expect(refused.status == 2, "\(refused)")
        #expect(refused.stderr.contains("--allow-stateful-moves"), "\(refused.stderr)")
        #expect(refused.stderr.contains("db leaves h2 (1 replica): its data in /srv/db:/data stays on h2"), "\(refused.stderr)")
        #expect(try Self.placement(scene.out) == before)
        let dry = try scene.plan(["--dry-run"])
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.output.contains("data left behind: db leaves h2"), "\(dry.output)")
        let allowed = try scene.plan(["--allow-stateful-moves"])
        #expect(allowed.status == 0, "\(allowed)")
        #expect(allowed.output.contains("moves 1 (fewest possible)"), "\(allowed.output)")
        #expect(try Self.placement(scene.out) == ["db": ["h1": 1, "h3": 1]])
    }
}
