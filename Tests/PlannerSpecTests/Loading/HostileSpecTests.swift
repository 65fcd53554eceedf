import PlannerTestSupport
import Foundation
import PlannerSpec
import Testing

/// Hostile inputs through `SpecLoader`, in process: the same fixtures as the CLI tests
/// (Tests/Fixtures/hostile/expected.tsv), plus generated ones and the pre-parse guards' edges.
/// A crash here takes the test process down, so inputs that crash or hang today are `.disabled`
/// with the bug; the CLI tests run those through the binary instead.
@Suite("Hostile inputs through SpecLoader")
struct HostileSpecTests {
    /// The package root: this file is Tests/PlannerSpecTests/Loading/HostileSpecTests.swift.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ directory: String, _ file: String) -> String {
        root.appendingPathComponent("Tests/Fixtures/\(directory)/\(file)").path
    }

    struct Row: Sendable, CustomTestStringConvertible {
        var file: String
        var status: Int
        var code: DiagnosticCode?
        var position: Position?
        var bug: String?
        var testDescription: String { file }
    }

    static let rows: [Row] = {
        guard let text = try? String(contentsOfFile: fixture("hostile", "expected.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { row in
            if row.hasPrefix("#") { return nil }
            let fields = row.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 5, let status = Int(fields[1]) else { return nil }
            let position = Int(fields[3]).flatMap { line in Int(fields[4]).map { Position(line, $0) } }
            return Row(file: fields[0], status: status, code: DiagnosticCode(rawValue: fields[2]), position: position,
                       bug: fields.count > 5 ? fields[5] : nil)
        }
    }()

    /// Loads a file with a wall-clock guard: in process a hang cannot be interrupted, only measured.
    static func load(_ path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> LoadedSpec {
        let started = Date()
        let spec = SpecLoader.load(path: path)
        let seconds = Date().timeIntervalSince(started)
        #expect(seconds < 20, "\(path): SpecLoader took \(seconds) s", sourceLocation: sourceLocation)
        return spec
    }

    static func lineCount(_ bytes: [UInt8]) -> Int {
        var count = 1
        for (index, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\n") { count += 1 }
            if byte == UInt8(ascii: "\r"), index + 1 == bytes.count || bytes[index + 1] != UInt8(ascii: "\n") { count += 1 }
        }
        return count
    }

    static func expectLocationsInside(_ spec: LoadedSpec, lines: Int, _ what: String,
                                      sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        for diagnostic in spec.diagnostics {
            let places = [diagnostic.location] + diagnostic.notes.map(\.location)
            for case let place? in places {
                #expect(place.line >= 1 && place.column >= 1 && place.line <= lines + 1,
                        "\(what): \(place.line):\(place.column) outside \(lines) lines: \(diagnostic.message.prefix(200))",
                        sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a hostile fixture is loaded with its finding", arguments: rows)
    func fixture(_ row: Row) throws {
        let path = Self.fixture("hostile", row.file)
        let spec = Self.load(path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        Self.expectLocationsInside(spec, lines: Self.lineCount(bytes), row.file)
        let wellFormed = spec.isWellFormed
        let check = {
            if row.status == 2 {
                #expect(!wellFormed, "\(row.file) loaded as well formed")
            } else {
                #expect(wellFormed, "\(row.file): \(spec.diagnostics.map(\.message))")
            }
            if let code = row.code, let position = row.position {
                #expect(spec.positions(of: code).contains(position),
                        "\(row.file): no \(code.rawValue) at \(position); got \(spec.diagnostics.map { "\($0.position.map(\.description) ?? "-") \($0.code.rawValue)" })")
            }
        }
        if let bug = row.bug {
            withKnownIssue("bug: \(bug)") { check() }
        } else {
            check()
        }
    }

    // MARK: - Limits and their edges

    @Test("a 50 MB file is refused as too large, reading at most one byte past the limit")
    func fiftyMegabyteFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("planner-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("huge.spec")
        #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
        let handle = try FileHandle(forWritingTo: file)
        let chunk = Data(repeating: UInt8(ascii: "#"), count: 1 << 20)
        for _ in 0..<50 { try handle.write(contentsOf: chunk) }
        try handle.close()
        let spec = Self.load(file.path)
        #expect(spec.codes == [.tooLarge])
        #expect(spec.positions(of: .tooLarge) == [Position(1, 1)])
        #expect(spec.bytes.count == SpecText.maximumBytes + 1)
    }

    @Test("bytes exactly at the size limit are read; one more is too large")
    func sizeLimitEdge() {
        var text = Array("topology: t\n".utf8)
        text += Array(repeating: UInt8(ascii: "#"), count: SpecText.maximumBytes - text.count - 1)
        text.append(UInt8(ascii: "\n"))
        #expect(text.count == SpecText.maximumBytes)
        let atLimit = SpecLoader.load(bytes: text, file: "limit.spec")
        #expect(!atLimit.codes.contains(.tooLarge))
        #expect(atLimit.codes.contains(.missingKey))
        let over = SpecLoader.load(bytes: text + [UInt8(ascii: "\n")], file: "over.spec")
        #expect(over.codes == [.tooLarge])
    }

    @Test("flow nesting at the limit parses; one more level is refused where it opens", arguments: [1, 63, 64, 65, 100_000])
    func flowNestingEdge(depth: Int) {
        let text = "topology: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
        let spec = SpecLoader.load(text: text, file: "deep.spec")
        if depth <= SpecText.maximumFlowDepth {
            #expect(!spec.codes.contains(.tooLarge))
            #expect(spec.codes.contains(.wrongType))
        } else {
            #expect(spec.codes == [.tooLarge])
            #expect(spec.positions(of: .tooLarge) == [Position(1, 11 + SpecText.maximumFlowDepth)])
        }
    }

    @Test("block nesting by indentation past the limit is refused, by sequences and by mappings")
    func blockNesting() {
        let sequences = SpecLoader.load(text: "topology: t\nhosts:\n  " + String(repeating: "- ", count: 5_000) + "x\n")
        #expect(sequences.codes == [.tooLarge])
        #expect(sequences.positions(of: .tooLarge) == [Position(3, SpecText.maximumIndent + 1)])
        let mappings = SpecLoader.load(text: (0..<2_000).map { String(repeating: " ", count: $0) + "k\($0):\n" }.joined())
        #expect(mappings.codes == [.tooLarge])
        #expect(mappings.positions(of: .tooLarge) == [Position(SpecText.maximumIndent + 2, SpecText.maximumIndent + 1)])
    }

    @Test("a 1 MB key and a 1 MB value are read or refused with a located finding")
    func megabyteKeyAndValue() {
        let key = SpecLoader.load(text: "topology: t\n" + String(repeating: "k", count: 1 << 20) + ": 1\n")
        #expect(key.codes == [.yamlSyntax])
        #expect(key.diagnostics.first?.position?.line == 2)
        let value = SpecLoader.load(text: "topology: " + String(repeating: "t", count: 1 << 20) + "\n")
        #expect(value.positions(of: .invalidName) == [Position(1, 11)])
        // The message quotes the name; a 1 MB name makes a 1 MB line of output.
        let longest = value.diagnostics.map(\.message.utf8.count).max() ?? 0
        #expect(longest < 2_000, "the longest message is \(longest) bytes")
    }

    @Test("100,000 host entries in one flow mapping: findings capped at the limit, exit kind kept")
    func hundredThousandHosts() {
        let text = "topology: t\nhosts: {" + (0..<100_000).map { "H\($0): {cpu: 1, memory: 1GiB}" }.joined(separator: ", ")
            + "}\npurposes:\n  web: {image: r/w:1, replicas: 2, cpu: 1, memory: 1GiB}\n"
        let started = Date()
        let spec = SpecLoader.load(text: text, file: "many.spec")
        #expect(Date().timeIntervalSince(started) < 60)
        #expect(spec.diagnostics.count == SpecLoader.maximumDiagnostics + 1)
        #expect(spec.diagnostics.last?.code == .tooManyDiagnostics)
        #expect(spec.diagnostics.last?.message.hasPrefix("99800 more problems") == true)
        #expect(!spec.isWellFormed)
        #expect(spec.positions(of: .invalidName).first == Position(2, 9))
    }

    @Test("non-UTF-8 anywhere is located at the first bad byte", arguments: [
        ([0xFF], Position(1, 1)),
        (Array("topology: t\n  x: ".utf8) + [0xC3, 0x28], Position(2, 6)),
        (Array("a: é\nb: ".utf8) + [0xE2, 0x82], Position(2, 4)),
        (Array("a: 1\n".utf8) + [0xED, 0xA0, 0x80], Position(2, 1)),   // an encoded UTF-16 surrogate
        (Array("a: 1\n".utf8) + [0xC0, 0x80], Position(2, 1)),         // an overlong NUL
    ] as [([UInt8], Position)])
    func invalidUTF8(bytes: [UInt8], at position: Position) {
        let spec = SpecLoader.load(bytes: bytes, file: "bad.spec")
        #expect(spec.codes == [.invalidEncoding])
        #expect(spec.positions(of: .invalidEncoding) == [position])
    }

    @Test("control characters other than tab and line breaks are refused with a location",
          arguments: [0x00, 0x01, 0x07, 0x1B, 0x7F] as [UInt8])
    func controlCharacters(byte: UInt8) {
        let bytes = Array("topology: t\nregistry: r".utf8) + [byte] + Array("x\n".utf8)
        let spec = SpecLoader.load(bytes: bytes, file: "control.spec")
        #expect(!spec.isWellFormed)
        #expect(spec.diagnostics.allSatisfy { ($0.position?.line ?? 1) <= 3 })
        #expect(spec.diagnostics.first?.position?.line == 2, "\(spec.diagnostics)")
    }

    // MARK: - Regressions: an alias bomb used as a mapping key once hung Yams' duplicate-key check

    @Test("an alias bomb used as a mapping key is refused",
          arguments: ["hang-alias-bomb-as-flow-key.spec", "hang-alias-bomb-as-block-key.spec", "hang-alias-bomb-as-flow-pair-key.spec",
                      "hang-alias-bomb-in-flow-list-key.spec", "hang-alias-bomb-in-block-list-key.spec",
                      "hang-alias-bomb-in-mapping-key.spec"])
    func aliasBombAsKey(_ file: String) {
        let spec = Self.load(Self.fixture("regressions", file))
        #expect(!spec.isWellFormed)
        #expect(spec.diagnostics.allSatisfy { $0.location != nil })
    }

    /// Anchors reused within the budget still load: a block of env written once and used 2,000 times.
    @Test func aliasesWithinTheBudgetLoad() {
        let uses = (0..<2_000).map { "  p\($0): *env" }.joined(separator: "\n")
        let spec = SpecLoader.load(text: "x: &env {A: '1', B: '2', C: '3'}\ny:\n\(uses)\n")
        #expect(!spec.diagnostics.contains { $0.code == .tooLarge || $0.code == .wrongType && $0.message.contains("plain string") })
        let over = SpecLoader.load(text: "x: &env [" + Array(repeating: "a", count: 1_000).joined(separator: ", ") + "]\ny: ["
                                   + Array(repeating: "*env", count: 1_000).joined(separator: ", ") + "]\n")
        #expect(over.diagnostics.contains { $0.code == .tooLarge && $0.message.contains("aliases would expand") })
    }
}
