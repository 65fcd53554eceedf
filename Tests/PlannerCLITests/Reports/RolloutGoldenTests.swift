import Foundation
@testable import PlannerCLI
import PlannerKit
import PlannerSpec
import PlannerTestSupport
import Testing

/// The shop example deployed, then edited three ways (a host added, web's image bumped, a fourth
/// sentinel): `diff`'s text and JSON and the rollout.json `plan` writes, compared byte for byte with
/// Tests/Golden/shop-edited/. Re-record with `PLANNER_RECORD_GOLDEN=1 swift test --filter RolloutGoldenTests`.
@Suite struct RolloutGoldenTests {
    static let recording = ProcessInfo.processInfo.environment["PLANNER_RECORD_GOLDEN"].map { !$0.isEmpty && $0 != "0" } ?? false

    static func edited(_ shop: String) -> String {
        shop.replacingOccurrences(of: "  db2:  { address: 10.0.2.21, cpu: 16, memory: 64GiB, zone: b, rack: b1, labels: [ssd] }\n",
                                  with: "  db2:  { address: 10.0.2.21, cpu: 16, memory: 64GiB, zone: b, rack: b1, labels: [ssd] }\n"
                                      + "  app4: { address: 10.0.2.12, cpu: 8, memory: 16GiB, zone: b, rack: b2, labels: [public] }\n")
            .replacingOccurrences(of: "web:2015.05.1", with: "web:2015.06.0")
            .replacingOccurrences(of: "processes: [redis-sentinel]\n    replicas: 3", with: "processes: [redis-sentinel]\n    replicas: 4")
    }

    /// The three outputs, by golden file name.
    static func outputs() throws -> (files: [String: String], preview: DeploymentPreview, from: PlacementCounts) {
        let shop = try String(contentsOf: PackageRoot.url.appendingPathComponent("topologies/shop.spec"), encoding: .utf8)
        let before = SpecLoader.load(text: shop, file: "shop.spec")
        let deployed = CheckPipeline.check(before)
        let placement = try #require(deployed.placement)
        let old = try PlanEmitter.files(topology: try #require(deployed.topology), placement: placement, specName: "shop.spec",
                                        specBytes: before.bytes)
        let text = Self.edited(shop)
        #expect(text.contains("app4:") && text.contains("web:2015.06.0") && text.contains("replicas: 4"), "an edit did not apply")
        let after = SpecLoader.load(text: text, file: "shop.spec")
        let replanned = CheckPipeline.check(after, previous: placement)
        let topology = try #require(replanned.topology)
        let next = try #require(replanned.placement, "\(replanned.diagnostics)")
        let new = try PlanEmitter.files(topology: topology, placement: next, specName: "shop.spec", specBytes: after.bytes)
        let preview = try DeploymentPreview.make(topology: topology, previous: placement, placement: next, deployed: old, files: new)
        return (["rollout.json": RolloutFile.json(preview.rollout, topology: topology.name),
                 "diff.txt": DiffReport.text(preview.diff, colour: false),
                 "diff.json": preview.diff.json.rendered() + "\n"], preview, placement)
    }

    @Test func matchesGoldenFiles() throws {
        let (files, _, _) = try Self.outputs()
        let folder = PackageRoot.url.appendingPathComponent("Tests/Golden/shop-edited")
        if Self.recording {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
            return
        }
        for (name, text) in files.sorted(by: { $0.key < $1.key }) {
            let want = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(text == want, "Tests/Golden/shop-edited/\(name) differs; if intended, re-record with PLANNER_RECORD_GOLDEN=1\n\(text)")
        }
    }

    @Test("the shop's rollout is safe by the checker, moves nothing, and starts the sentinel before recreating web")
    func shopRolloutHolds() throws {
        let (_, preview, from) = try Self.outputs()
        let rollout = preview.rollout
        #expect(rollout.isSafe, "\(rollout.problems)")
        let replay = RolloutChecker.replay(from: from, steps: rollout.steps, minimum: rollout.minimum)
        #expect(replay.violations.isEmpty)
        #expect(RolloutChecker.normalised(replay.final) == RolloutChecker.normalised(rollout.to))
        #expect(preview.diff.moved == 0)
        #expect(rollout.steps.first?.host == "app4" && rollout.steps.first?.start == ["redis-sentinel": 1])
        #expect(preview.diff.recreateCount == 3)
        #expect(preview.diff.hosts.flatMap(\.recreate).allSatisfy { $0.reasons == ["image", "env REDIS_SENTINELS (endpoints)"] })
    }
}
