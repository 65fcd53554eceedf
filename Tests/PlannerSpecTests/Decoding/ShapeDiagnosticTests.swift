import PlannerTestSupport
import PlannerSpec
import Testing

/// Keys, types and values: every problem is reported, each where it was written.
@Suite struct ShapeDiagnosticTests {
    @Test func unknownKeySuggestsTheClosestKey() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB}
            purposes:
              web:
                image: a:1
                1️⃣replica: 2
                replicas: 2
                cpu: 1
                memory: 1GiB

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.unknownKey])
        let diagnostic = try #require(loaded.diagnostics(.unknownKey).first)
        #expect(diagnostic.position == spec["1️⃣"])
        #expect(diagnostic.message.contains("did you mean 'replicas'?"))
        #expect(!loaded.isWellFormed)
    }

    @Test func unknownKeyFarFromAnyListsTheAllowedKeys() throws {
        let spec = MarkedText("""
            topology: t
            1️⃣datacenter: x
            hosts:
              h1: {cpu: 4, memory: 8GiB, 2️⃣zon: a}
            purposes: {}

            """)
        let loaded = spec.load()
        #expect(loaded.positions(of: .unknownKey) == [spec["1️⃣"], spec["2️⃣"]])
        #expect(loaded.messages(.unknownKey).first?.contains("expected one of: topology, registry") == true)
        #expect(loaded.messages(.unknownKey).last?.contains("did you mean 'zone'?") == true)
    }

    @Test func missingTopLevelKeysAreEachReported() {
        let spec = MarkedText("""
            1️⃣registry: r.example

            """)
        let loaded = spec.load()
        #expect(loaded.positions(of: .missingKey) == [spec["1️⃣"], spec["1️⃣"], spec["1️⃣"]])
        #expect(loaded.messages(.missingKey).contains { $0.contains("'topology'") })
        #expect(loaded.messages(.missingKey).contains { $0.contains("'hosts'") })
        #expect(loaded.messages(.missingKey).contains { $0.contains("'purposes'") })
        #expect(!loaded.isWellFormed)
    }

    @Test func missingKeysOfAPurposeAndAHostLandOnTheirNames() {
        let spec = MarkedText("""
            topology: t
            hosts:
              1️⃣h1: {cpu: 4}
            purposes:
              2️⃣web:
                image: a:1
                replicas: 2

            """)
        let loaded = spec.load()
        #expect(loaded.positions(of: .missingKey) == [spec["1️⃣"], spec["2️⃣"], spec["2️⃣"]])
        #expect(loaded.messages(.missingKey).sorted() == [
            "missing key 'cpu' in purpose 'web'",
            "missing key 'memory' in host 'h1'",
            "missing key 'memory' in purpose 'web'",
        ])
    }

    @Test func listWhereAMappingBelongsIsWrongType() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              1️⃣- h1
              - h2
            purposes: 2️⃣[web]

            """)
        let loaded = spec.load()
        #expect(loaded.positions(of: .wrongType) == [spec["1️⃣"], spec["2️⃣"]])
        #expect(loaded.messages(.wrongType).first == "hosts must be a mapping, found a list")
    }

    @Test func quotedNumberForReplicasIsWrongType() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB}
            purposes:
              web: {image: a:1, replicas: 1️⃣"2", cpu: 1, memory: 1GiB}

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.wrongType])
        #expect(loaded.positions(of: .wrongType) == [spec["1️⃣"]])
        #expect(loaded.messages(.wrongType).first?.contains("write 2 without quotes") == true)
    }

    @Test func wordsAndNullsWhereNumbersBelongAreWrongType() {
        let spec = MarkedText("""
            topology: t
            failures: {hosts: 1️⃣one}
            hosts:
              h1: {cpu: 4, memory: 8GiB}
            purposes:
              web: {image: a:1, replicas: 2️⃣~, cpu: 1, memory: 1GiB, max_per_host: 3️⃣[1]}

            """)
        #expect(spec.load().positions(of: .wrongType) == [spec["1️⃣"], spec["2️⃣"], spec["3️⃣"]])
    }

    @Test func zeroNegativeAndNotANumberValuesAreBadValues() {
        let spec = MarkedText("""
            topology: t
            failures: {hosts: 1️⃣-1}
            hosts:
              h1: {cpu: 2️⃣0, memory: 3️⃣-8GiB}
              h2: {cpu: 4️⃣.nan, memory: 5️⃣.inf}
            purposes:
              web: {image: a:1, replicas: 6️⃣0, cpu: 7️⃣-1, memory: 8️⃣0}

            """)
        let loaded = spec.load()
        #expect(loaded.positions(of: .badValue) == ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣"].map { spec[$0] })
        #expect(loaded.codes.allSatisfy { $0 == .badValue })
        #expect(!loaded.isWellFormed)
    }

    @Test func minAvailableAboveReplicasIsBadValue() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB}
            purposes:
              web:
                image: a:1
                replicas: 2
                min_available: 1️⃣3
                cpu: 1
                memory: 1GiB

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.badValue])
        #expect(loaded.positions(of: .badValue) == [spec["1️⃣"]])
        #expect(loaded.messages(.badValue).first?.contains("more than its 2 replicas") == true)
    }

    @Test func hugeReplicasIsBadValueNotACrash() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB}
            purposes:
              web: {image: a:1, replicas: 1️⃣99999999999999999999, cpu: 1, memory: 2️⃣99999999999TiB}

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.badValue, .badValue])
        #expect(loaded.positions(of: .badValue) == [spec["1️⃣"], spec["2️⃣"]])
        #expect(loaded.messages(.badValue).first?.contains("out of range") == true)
        #expect(loaded.messages(.badValue).last?.contains("too large") == true)
    }

    @Test func misspelledStrategyIsBadValueWithASuggestion() throws {
        let spec = MarkedText("""
            topology: t
            strategy: 1️⃣binpak
            hosts:
              h1: {cpu: 4, memory: 8GiB}
            purposes: {}

            """)
        let loaded = spec.load()
        #expect(loaded.positions(of: .badValue).first == spec["1️⃣"])
        #expect(loaded.messages(.badValue).first?.contains("did you mean 'binpack'?") == true)
    }

    @Test func badPortsAndAddressesAreBadValues() {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {address: 1️⃣10.0.0.300, cpu: 4, memory: 8GiB}
            purposes:
              web:
                image: a:1
                replicas: 2
                cpu: 1
                memory: 1GiB
                ports: [2️⃣"80:70000", 3️⃣"http", 4️⃣"53:53/sctp"]

            """)
        #expect(spec.load().positions(of: .badValue) == [spec["1️⃣"], spec["2️⃣"], spec["3️⃣"], spec["4️⃣"]])
    }

    @Test func unknownMemoryUnitIsBadUnit() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 1️⃣16Gb}
              h2: {cpu: 4, memory: 2️⃣16 parsecs}
            purposes: {}

            """)
        let loaded = spec.load()
        #expect(loaded.positions(of: .badUnit) == [spec["1️⃣"], spec["2️⃣"]])
        #expect(loaded.messages(.badUnit).first?.contains("unknown unit 'Gb'") == true)
    }

    @Test func invalidNamesLandOnTheName() {
        let spec = MarkedText("""
            topology: 1️⃣Shop
            hosts:
              2️⃣App1: {cpu: 4, memory: 8GiB}
              3️⃣a/b: {cpu: 4, memory: 8GiB}
              4️⃣../etc: {cpu: 4, memory: 8GiB}
              5️⃣my host: {cpu: 4, memory: 8GiB}
              h1: {cpu: 4, memory: 8GiB, zone: 6️⃣zоne-a, labels: [ok, 7️⃣-x]}
            purposes:
              8️⃣wеb: {image: a:1, replicas: 2, cpu: 1, memory: 1GiB}

            """)
        let loaded = spec.load()
        #expect(loaded.positions(of: .invalidName) == ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣"].map { spec[$0] })
        let messages = loaded.messages(.invalidName)
        #expect(messages.contains { $0.contains("use lower-case letters ('app1')") })
        #expect(messages.contains { $0.contains("'/' is not allowed") })
        #expect(messages.contains { $0.contains("spaces are not allowed") })
        #expect(messages.filter { $0.contains("U+43E") || $0.contains("U+435") }.count == 2, "Cyrillic look-alikes")
        #expect(!loaded.isWellFormed)
    }

    @Test func invalidNameColumnsCountUnicodeScalars() {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB, labels: [1️⃣👍🏽, 2️⃣é/x, 3️⃣ok/]}
            purposes: {}

            """)
        #expect(spec.load().positions(of: .invalidName) == [spec["1️⃣"], spec["2️⃣"], spec["3️⃣"]])
    }

    @Test func repeatedNameInAListIsDuplicateName() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB, labels: [1️⃣ssd, public, 2️⃣ssd]}
            purposes: {}

            """)
        let diagnostic = try #require(spec.load().diagnostics(.duplicateName).first)
        #expect(diagnostic.position == spec["2️⃣"])
        #expect(diagnostic.notes.compactMap { $0.location.map(Position.init) } == [spec["1️⃣"]])
    }

    @Test func thousandsOfProblemsAreCappedWithOneTooManyDiagnostics() {
        var text = "topology: t\nhosts:\n"
        for index in 0..<(SpecLoader.maximumDiagnostics + 50) { text += "  H\(index): {cpu: 1, memory: 1GiB}\n" }
        text += "purposes: {}\n"
        let loaded = SpecLoader.load(text: text, file: "test.spec")
        #expect(loaded.diagnostics.count == SpecLoader.maximumDiagnostics + 1)
        #expect(loaded.diagnostics.last?.code == .tooManyDiagnostics)
        #expect(loaded.diagnostics.last?.message.hasPrefix("51 more problems") == true)
    }
}
