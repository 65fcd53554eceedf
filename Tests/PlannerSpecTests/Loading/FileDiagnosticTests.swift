import PlannerTestSupport
import PlannerSpec
import Testing

/// Problems with the file itself: parsing stops at the first one, so each is the only diagnostic.
@Suite struct FileDiagnosticTests {
    @Test func cleanSpecHasNoDiagnostics() {
        let spec = SpecLoader.load(text: cleanSpec)
        #expect(spec.diagnostics.isEmpty)
        #expect(spec.isWellFormed)
        #expect(spec.topology?.purposes.map(\.name) == ["web"])
    }

    @Test func unclosedFlowSequenceIsYAMLSyntax() {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB, labels: [a, b1️⃣}
            purposes: {}

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.yamlSyntax])
        #expect(loaded.positions(of: .yamlSyntax) == [spec["1️⃣"]])
        #expect(!loaded.isWellFormed)
    }

    @Test func badIndentationIsYAMLSyntax() {
        let spec = MarkedText("""
            topology: t
            purposes:
              web:
                image: a:1
               1️⃣replicas: 2

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.yamlSyntax])
        #expect(loaded.positions(of: .yamlSyntax) == [spec["1️⃣"]])
    }

    @Test func tabInIndentationIsYAMLSyntax() {
        let spec = MarkedText("topology: t\nhosts:\n1️⃣\th1: {cpu: 4, memory: 8GiB}\n")
        let loaded = spec.load()
        #expect(loaded.codes == [.yamlSyntax])
        #expect(loaded.positions(of: .yamlSyntax) == [spec["1️⃣"]])
    }

    @Test
    func tabBeforeAKeyIsNamedInTheMessage() {
        let loaded = SpecLoader.load(text: "topology: t\nhosts:\n\th1: {cpu: 4, memory: 8GiB}\n", file: "test.spec")
        #expect(loaded.messages(.yamlSyntax).first?.contains("tab") == true)
    }

    @Test func tabInsideABlockMappingIsYAMLSyntaxWithAHint() throws {
        let spec = MarkedText("topology: t\nhosts:\n  h1:\n    cpu: 4\n1️⃣\tmemory: 8GiB\n")
        let diagnostic = try #require(spec.load().diagnostics(.yamlSyntax).first)
        #expect(diagnostic.position == spec["1️⃣"])
        #expect(diagnostic.message.contains("indent with spaces, not tabs"))
    }

    @Test func duplicateKeyLandsOnTheSecondOccurrenceWithANoteAtTheFirst() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              1️⃣h1: {cpu: 4, memory: 8GiB}
              h2: {cpu: 4, memory: 8GiB}
              2️⃣h1: {cpu: 2, memory: 4GiB}

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.duplicateKey])
        let diagnostic = try #require(loaded.diagnostics(.duplicateKey).first)
        #expect(diagnostic.position == spec["2️⃣"])
        #expect(diagnostic.message.contains("'h1'"))
        #expect(diagnostic.notes.compactMap { $0.location.map(Position.init) } == [spec["1️⃣"]])
    }

    @Test func duplicateKeyInAFlowMapping() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {1️⃣cpu: 4, memory: 8GiB, 2️⃣cpu: 2}

            """)
        let diagnostic = try #require(spec.load().diagnostics(.duplicateKey).first)
        #expect(diagnostic.position == spec["2️⃣"])
        #expect(diagnostic.notes.compactMap { $0.location.map(Position.init) } == [spec["1️⃣"]])
    }

    @Test
    func duplicateKeyIsNotLookedForInAComment() throws {
        let spec = MarkedText("""
            purposes:
              web:
                1️⃣replicas: 3  # replicas: 2 was too few
                image: a:1
                2️⃣replicas: 4

            """)
        let diagnostic = try #require(spec.load().diagnostics(.duplicateKey).first)
        #expect(diagnostic.position == spec["2️⃣"])
        #expect(diagnostic.notes.compactMap { $0.location.map(Position.init) } == [spec["1️⃣"]])
    }

    @Test func nonUTF8BytesAreInvalidEncoding() throws {
        let spec = MarkedText("topology: t\nhosts:\n  h1: {cpu: 4, zone: 1️⃣X}\n")
        var bytes = Array(spec.text.utf8)
        bytes[try #require(bytes.firstIndex(of: UInt8(ascii: "X")))] = 0xFF
        let loaded = SpecLoader.load(bytes: bytes, file: "test.spec")
        #expect(loaded.codes == [.invalidEncoding])
        #expect(loaded.positions(of: .invalidEncoding) == [spec["1️⃣"]])
        #expect(loaded.messages(.invalidEncoding).first?.contains("0xFF") == true)
        #expect(loaded.topology == nil)
    }

    @Test func invalidEncodingColumnCountsScalarsAfterMultiByteCharacters() throws {
        // A byte-order mark is skipped; "é" and "ü" take two bytes each but one column.
        let spec = MarkedText("# café über\nhosts: 1️⃣X\n")
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(spec.text.utf8)
        bytes[try #require(bytes.firstIndex(of: UInt8(ascii: "X")))] = 0xC3  // a lead byte with no continuation
        let loaded = SpecLoader.load(bytes: bytes, file: "test.spec")
        #expect(loaded.codes == [.invalidEncoding])
        #expect(loaded.positions(of: .invalidEncoding) == [spec["1️⃣"]])
    }

    @Test(arguments: ["", "\n\n   \n", "# only a comment\n# and another\n", "---\n", "\u{FEFF}"])
    func emptySpecIsEmptyFile(text: String) {
        let loaded = SpecLoader.load(text: text, file: "test.spec")
        #expect(loaded.codes == [.emptyFile])
        #expect(loaded.positions(of: .emptyFile) == [Position(1, 1)])
        #expect(!loaded.isWellFormed)
    }

    @Test func deeplyNestedFlowCollectionsAreTooLarge() {
        let deepest = SpecText.maximumFlowDepth
        let text = "topology: t\nhosts: " + String(repeating: "[", count: deepest) + "1️⃣"
            + String(repeating: "[", count: 100 - deepest) + String(repeating: "]", count: 100) + "\n"
        let spec = MarkedText(text)
        let loaded = spec.load()
        #expect(loaded.codes == [.tooLarge])
        #expect(loaded.positions(of: .tooLarge) == [spec["1️⃣"]])
    }

    @Test func deeplyNestedMappingsAreTooLarge() {
        let text = "a:" + String(repeating: "{b:", count: 100) + String(repeating: "}", count: 100) + "\n"
        let loaded = SpecLoader.load(text: text, file: "test.spec")
        #expect(loaded.codes == [.tooLarge])
    }

    @Test func oversizedFileIsTooLarge() {
        let bytes = [UInt8](repeating: UInt8(ascii: "#"), count: SpecText.maximumBytes + 1)
        let loaded = SpecLoader.load(bytes: bytes, file: "test.spec")
        #expect(loaded.codes == [.tooLarge])
        #expect(loaded.positions(of: .tooLarge) == [Position(1, 1)])
    }

    @Test func missingFileIsUnreadable() {
        let loaded = SpecLoader.load(path: "/nonexistent/planner-test/missing.spec")
        #expect(loaded.codes == [.unreadableFile])
        #expect(!loaded.isWellFormed)
    }
}
