import Foundation
import PlannerKit
import PlannerSpec
import PlannerTestSupport
import Testing

/// The files `planner plan` writes for the shipped examples, compared byte for byte with
/// Tests/Golden/<example>/. Re-record with `PLANNER_RECORD_GOLDEN=1 swift test --filter EmitGoldenTests`.
@Suite struct EmitGoldenTests {
    static let recording = ProcessInfo.processInfo.environment["PLANNER_RECORD_GOLDEN"].map { !$0.isEmpty && $0 != "0" } ?? false

    /// Example spec → golden folder; `-dev` folders hold `plan --dev` output.
    static let examples: [(spec: String, golden: String, dev: Bool)] = [
        ("shop.spec", "shop", false),
        ("shop.spec", "shop-dev", true),
        ("blog-nginx.spec", "blog-nginx", false),
        ("blog-nginx.spec", "blog-nginx-dev", true),
    ]

    static func emitted(spec: String, dev: Bool) throws -> [String: String] {
        let path = PackageRoot.url.appendingPathComponent("topologies/\(spec)").path
        let loaded = SpecLoader.load(path: path)
        let result = CheckPipeline.check(loaded)
        let topology = try #require(result.topology)
        let placement = try #require(result.placement, "topologies/\(spec) is not placeable: \(result.diagnostics)")
        if dev {
            // As `planner plan --dev` run from the package root writes it: deploy/<name>-dev, two levels below.
            return try PlanEmitter.developmentFiles(topology: topology, specName: path, sourceBase: "../../topologies")
        }
        return try PlanEmitter.files(topology: topology, placement: placement, specName: path, specBytes: loaded.bytes)
    }

    static func goldenFiles(in folder: URL) -> [String: String] {
        var files: [String: String] = [:]
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return files
        }
        let base = folder.standardizedFileURL.path
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            let relative = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
            files[relative] = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        }
        return files
    }

    @Test(arguments: examples.map(\.golden))
    func matchesGoldenFiles(golden: String) throws {
        let example = try #require(Self.examples.first { $0.golden == golden })
        let files = try Self.emitted(spec: example.spec, dev: example.dev)
        let folder = PackageRoot.url.appendingPathComponent("Tests/Golden/\(golden)")
        if Self.recording {
            try? FileManager.default.removeItem(at: folder)
            for (path, text) in files {
                let url = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            return
        }
        let expected = Self.goldenFiles(in: folder)
        #expect(!expected.isEmpty, "no golden files in Tests/Golden/\(golden); record them with PLANNER_RECORD_GOLDEN=1")
        #expect(files.keys.sorted() == expected.keys.sorted(), "the set of files differs from Tests/Golden/\(golden)")
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            guard let want = expected[path] else { continue }
            #expect(text == want, "Tests/Golden/\(golden)/\(path) differs; if the change is intended, re-record with PLANNER_RECORD_GOLDEN=1\n\(firstDifference(text, want))")
        }
    }

    /// Every example that places: emitting twice gives the same bytes.
    @Test func emittingIsDeterministic() throws {
        for example in Self.examples {
            #expect(try Self.emitted(spec: example.spec, dev: example.dev) == Self.emitted(spec: example.spec, dev: example.dev))
        }
    }

    private func firstDifference(_ a: String, _ b: String) -> String {
        let left = a.split(separator: "\n", omittingEmptySubsequences: false)
        let right = b.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) {
            let l = index < left.count ? String(left[index]) : "<end>"
            let r = index < right.count ? String(right[index]) : "<end>"
            if l != r { return "line \(index + 1):\n  got:      \(l)\n  expected: \(r)" }
        }
        return ""
    }
}
