import PlannerTestSupport
import PlannerSpec
import Testing

/// Every code the spec layer can produce has an example here, so a new code cannot go untested.
@Suite struct EveryCodeTests {
    /// Codes that need more than a small text to provoke; each has its own test elsewhere.
    static let testedElsewhere: Set<DiagnosticCode> = [.unreadableFile, .tooManyDiagnostics]
    static let specCodes = DiagnosticCode.allCases.filter { $0.kind != .placement && !testedElsewhere.contains($0) }

    /// One small spec per code, with `1️⃣` where the diagnostic lands; `X` is replaced by the byte 0xFF.
    static let examples: [DiagnosticCode: String] = [
        .invalidEncoding: "topology: 1️⃣X\n",
        .emptyFile: "1️⃣# nothing here\n",
        .tooLarge: "a: " + String(repeating: "[", count: 64) + "1️⃣[" + String(repeating: "]", count: 65) + "\n",
        .yamlSyntax: "topology: t\nhosts: {a: 1\n1️⃣",
        .duplicateKey: "topology: t\n1️⃣topology: u\n",
        .unknownKey: "topology: t\n1️⃣host: {}\n",
        .missingKey: "1️⃣topology: t\nhosts: {h1: {cpu: 1, memory: 1GiB}}\n",
        .wrongType: "topology: t\nhosts: 1️⃣[]\npurposes: {}\n",
        .badValue: "topology: t\nstrategy: 1️⃣fast\nhosts: {h1: {cpu: 1, memory: 1GiB}}\npurposes: {}\n",
        .badUnit: "topology: t\nhosts: {h1: {cpu: 1, memory: 1️⃣1GiBs}}\npurposes: {}\n",
        .invalidName: "topology: 1️⃣T\nhosts: {h1: {cpu: 1, memory: 1GiB}}\npurposes: {}\n",
        .duplicateName: "topology: t\nhosts: {h1: {cpu: 1, memory: 1GiB, labels: [a, 1️⃣a]}}\npurposes: {}\n",
        .unknownHost: "topology: t\nhosts: {h1: {cpu: 1, memory: 1GiB}}\n"
            + "purposes: {p: {image: a:1, replicas: 2, cpu: 1, memory: 1, placement: {hosts: [1️⃣h2]}}}\n",
        .unknownPurpose: "topology: t\nhosts: {h1: {cpu: 1, memory: 1GiB}}\n"
            + "purposes: {p: {image: a:1, replicas: 2, cpu: 1, memory: 1, placement: {avoid: [1️⃣q]}}}\n",
        .unknownLabel: "topology: t\nhosts: {h1: {cpu: 1, memory: 1GiB}}\n"
            + "purposes: {p: {image: a:1, replicas: 2, cpu: 1, memory: 1, placement: {labels: [1️⃣ssd]}}}\n",
        .duplicatePort: "topology: t\nhosts: {h1: {cpu: 1, memory: 1GiB}}\n"
            + "purposes: {p: {image: a:1, replicas: 2, cpu: 1, memory: 1, ports: [80, 1️⃣80]}}\n",
        .missingZone: "topology: t\n1️⃣failures: {zones: 1}\nhosts: {h1: {cpu: 1, memory: 1GiB}}\n"
            + "purposes: {p: {image: a:1, replicas: 2, cpu: 1, memory: 1}}\n",
        .missingRack: "topology: t\nhosts: {h1: {cpu: 1, memory: 1GiB}}\n"
            + "purposes: {p: {image: a:1, replicas: 2, cpu: 1, memory: 1, 1️⃣survive: {racks: 1}}}\n",
        .rackInTwoZones: "topology: t\nhosts:\n  h1: {cpu: 1, memory: 1GiB, zone: a, rack: r}\n"
            + "  h2: {cpu: 1, memory: 1GiB, zone: b, 1️⃣rack: r}\npurposes: {}\n",
        .unpinnedImage: "topology: t\nhosts: {h1: {cpu: 1, memory: 1GiB}}\n"
            + "purposes: {p: {1️⃣image: a, replicas: 2, cpu: 1, memory: 1}}\n",
        .foreignRegistry: "topology: t\nregistry: r.example\nhosts: {h1: {cpu: 1, memory: 1GiB}}\n"
            + "purposes: {p: {1️⃣image: a:1, replicas: 2, cpu: 1, memory: 1}}\n",
        .singlePointOfFailure: "topology: t\nhosts: {h1: {cpu: 1, memory: 1GiB}}\n"
            + "purposes: {p: {image: a:1, replicas: 1, cpu: 1, memory: 1, 1️⃣survive: {hosts: 0}}}\n",
        .roundedDuration: "topology: t\nhosts: {h1: {address: 10.0.0.1, cpu: 4, memory: 4GiB}, h2: {address: 10.0.0.2, cpu: 4, memory: 4GiB}}\n"
            + "purposes: {web: {image: a:1, replicas: 2, cpu: 1, memory: 1, ports: [\"8080:8080\"]}}\n"
            + "balancers: {lb: {kind: nginx, replicas: 2, routes: [{listen: 80, purpose: web, 1️⃣check_interval: 1500ms}]}}\n",
    ]

    @Test(arguments: specCodes)
    func exampleProducesTheCodeWhereMarked(code: DiagnosticCode) throws {
        let example = try #require(Self.examples[code], "no example for '\(code.rawValue)'; add one to EveryCodeTests.examples")
        let spec = MarkedText(example)
        let bytes = Array(spec.text.utf8).map { $0 == UInt8(ascii: "X") ? 0xFF : $0 }
        let loaded = SpecLoader.load(bytes: bytes, file: "test.spec")
        #expect(loaded.positions(of: code).contains(spec["1️⃣"]), "\(loaded.diagnostics.map { "\($0.code.rawValue)@\($0.position?.description ?? "-")" })")
        let severity = loaded.diagnostics(code).first?.severity
        #expect(severity == (code.kind == .lint ? .warning : .error))
        #expect(loaded.isWellFormed == (code.kind == .lint))
    }
}
