import Foundation
import PlannerTestSupport
import Testing

/// Every example in topologies/ states in its header comment how `planner check` must end:
/// a line `# Expected: exit N`.
@Suite struct TopologyFilesTests {
    static let directory = PackageRoot.url.appendingPathComponent("topologies")

    static func files() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".spec") || $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
    }

    /// The N of the header's `# Expected: exit N`, or nil.
    static func expectedStatus(in text: String) -> Int32? {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard trimmed.hasPrefix("#") else { break }  // the header ends at the first line that is not a comment
            guard let range = trimmed.range(of: #"^#\s*Expected:\s*exit\s+[0-9]+\b"#, options: .regularExpression) else {
                continue
            }
            let digits = trimmed[range].reversed().prefix { $0.isNumber }.reversed()
            return Int32(String(digits))
        }
        return nil
    }

    @Test func directoryHasExamples() {
        #expect(Self.files().contains("shop.spec"))
    }

    @Test func headerParsing() {
        #expect(Self.expectedStatus(in: "# A shop.\n# Expected: exit 2\ntopology: t\n") == 2)
        #expect(Self.expectedStatus(in: "# Expected: exit 0 and the placement\n") == 0)
        #expect(Self.expectedStatus(in: "# exits 0; with --strict it exits 1\n") == nil)
        #expect(Self.expectedStatus(in: "# A shop.\ntopology: t\n# Expected: exit 1\n") == nil)
        #expect(Self.expectedStatus(in: "# no expectation\n") == nil)
    }

    @Test(arguments: files())
    func exitsAsItsHeaderSays(file: String) throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent(file), encoding: .utf8)
        let expected = try #require(Self.expectedStatus(in: text),
                                    "topologies/\(file) has no '# Expected: exit N' line in its header comment")
        let run = try PlannerBinary.run(["check", "topologies/\(file)"])
        #expect(run.status == expected, "topologies/\(file) exited \(run.status), expected \(expected):\n\(run.output)")
    }
}
