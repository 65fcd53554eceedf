import PlannerTestSupport
import PlannerSpec
import Testing

@Suite struct AllProblemsTests {
    /// One run reports every independent problem, in file order, each where it was written.
    @Test func independentProblemsAreAllReportedInOneRun() {
        let spec = MarkedText("""
            topology: t
            registry: registry.example
            1️⃣stratgy: spread
            hosts:
              h1: {cpu: 4, memory: 2️⃣8Gb, labels: [ssd]}
              3️⃣H2: {cpu: 4, memory: 8GiB}
              h3: {cpu: 4️⃣0, memory: 8GiB}
            purposes:
              web:
                5️⃣image: nginx
                replicas: 2
                cpu: 1
                memory: 1GiB
                ports: ["80:80", 6️⃣"80:80"]
                placement: {labels: [7️⃣fast], hosts: [8️⃣h9], avoid: [9️⃣nobody]}
              api: {image: registry.example/api:1, replicas: 🔟"2", cpu: 1, memory: 1GiB}

            """)
        let loaded = spec.load()
        let expected: [(DiagnosticCode, String)] = [
            (.unknownKey, "1️⃣"), (.badUnit, "2️⃣"), (.invalidName, "3️⃣"), (.badValue, "4️⃣"),
            (.foreignRegistry, "5️⃣"), (.unpinnedImage, "5️⃣"), (.duplicatePort, "6️⃣"),
            (.unknownLabel, "7️⃣"), (.unknownHost, "8️⃣"), (.unknownPurpose, "9️⃣"), (.wrongType, "🔟"),
        ]
        let found = loaded.diagnostics.map { "\($0.code.rawValue)@\($0.position?.description ?? "-")" }
        #expect(found == expected.map { "\($0.0.rawValue)@\(spec[$0.1])" })
        #expect(!loaded.isWellFormed)
    }

    /// References are checked for purposes that decoded, alongside problems of shape.
    @Test func referencesAreCheckedInTheSameRunAsShape() {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB, labels: [ssd], 1️⃣zome: a}
            purposes:
              web:
                image: a:1
                replicas: 2
                cpu: 1
                memory: 1GiB
                placement: {labels: [2️⃣fast], hosts: [3️⃣h9], avoid: [4️⃣nobody]}

            """)
        let loaded = spec.load()
        let found = loaded.diagnostics.map { "\($0.code.rawValue)@\($0.position?.description ?? "-")" }
        #expect(found == [
            "unknown-key@\(spec["1️⃣"])", "unknown-label@\(spec["2️⃣"])",
            "unknown-host@\(spec["3️⃣"])", "unknown-purpose@\(spec["4️⃣"])",
        ])
    }
}
