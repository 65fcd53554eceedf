import PlannerTestSupport
import PlannerSpec
import Testing

/// Inputs near the edges of what the parser and decoder handle.
@Suite struct EdgeCaseTests {
    @Test func windowsLineEndingsKeepPositions() {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB, 1️⃣zon: a}
            purposes:
              web: {image: a:1, replicas: 2, cpu: 1, memory: 2️⃣1GB!}

            """)
        let crlf = spec.text.replacingOccurrences(of: "\n", with: "\r\n")
        let loaded = SpecLoader.load(text: crlf, file: "test.spec")
        #expect(loaded.positions(of: .unknownKey) == [spec["1️⃣"]])
        #expect(loaded.positions(of: .badUnit) == [spec["2️⃣"]])
    }

    @Test func controlCharacterIsReportedWhereItIs() {
        let spec = MarkedText("# ünïcödé\ntopology: t\nhosts: x1️⃣\u{7}\n")
        let loaded = spec.load()
        #expect(loaded.codes.count == 1)
        #expect(loaded.diagnostics.first.map { $0.position } == spec["1️⃣"])
    }

    @Test
    func controlCharacterInAWindowsFileIsReportedWhereItIs() {
        let spec = MarkedText("topology: t\nhosts: x1️⃣\u{7}\n")
        let loaded = SpecLoader.load(text: spec.text.replacingOccurrences(of: "\n", with: "\r\n"), file: "test.spec")
        #expect(loaded.codes.count == 1)
        #expect(loaded.diagnostics.first.map { $0.position } == spec["1️⃣"])
    }

    @Test
    func duplicateKeySplitOverLinesOfAFlowMapping() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {1️⃣cpu: 4, memory: 8GiB,
                2️⃣cpu: 2}

            """)
        let diagnostic = try #require(spec.load().diagnostics(.duplicateKey).first)
        #expect(diagnostic.position == spec["2️⃣"])
    }

    @Test
    func loneMinusForReplicasIsNotANumber() {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB}
            purposes:
              web: {image: a:1, replicas: 1️⃣-, cpu: 1, memory: 1GiB}

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.wrongType])
        #expect(loaded.positions(of: .wrongType) == [spec["1️⃣"]])
    }

    @Test func aliasesAreExpanded() {
        let text = """
            topology: t
            hosts:
              h1: &small {cpu: 4, memory: 8GiB}
              h2: *small
            purposes:
              web: {image: a:1, replicas: 2, cpu: 1, memory: 1GiB}

            """
        let loaded = SpecLoader.load(text: text, file: "test.spec")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        #expect(loaded.topology?.hosts.map(\.name) == ["h1", "h2"])
    }

    @Test func nullDocumentIsWrongTypeAtTheStart() {
        let loaded = SpecLoader.load(text: "~\n", file: "test.spec")
        #expect(loaded.codes == [.wrongType])
        #expect(loaded.positions(of: .wrongType) == [Position(1, 1)])
        #expect(!loaded.isWellFormed)
    }

    @Test func deepBlockIndentationIsTooLarge() {
        var text = "topology: t\nhosts:\n"
        for depth in 1...300 { text += String(repeating: "  ", count: depth) + "k\(depth):\n" }
        let loaded = SpecLoader.load(text: text, file: "test.spec")
        #expect(loaded.codes == [.tooLarge])
    }

    @Test
    func manyUnmatchedBracketsInScalarsAreNotNesting() {
        var text = "topology: t\nhosts:\n  h1: {cpu: 4, memory: 8GiB}\npurposes:\n  web:\n    image: a:1\n    replicas: 2\n"
        text += "    cpu: 1\n    memory: 1GiB\n    env:\n"
        for index in 0..<70 { text += "      PATTERN_\(index): ^[a-z\n" }
        let loaded = SpecLoader.load(text: text, file: "test.spec")
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics.prefix(1))")
    }
}
