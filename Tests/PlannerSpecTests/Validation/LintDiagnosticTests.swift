import PlannerTestSupport
import PlannerSpec
import Testing

/// The team's container standards: warnings, which leave the spec well formed.
@Suite struct LintDiagnosticTests {
    @Test func imagesWithoutATagOrTaggedLatestAreUnpinned() {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB}
              h2: {cpu: 4, memory: 8GiB}
            purposes:
              a: {1️⃣image: nginx, replicas: 2, cpu: 1, memory: 1GiB}
              b: {2️⃣image: "nginx:latest", replicas: 2, cpu: 1, memory: 1GiB}
              c: {3️⃣image: "registry.example:5000/nginx", replicas: 2, cpu: 1, memory: 1GiB}
              d: {image: "registry.example:5000/nginx:1.27", replicas: 2, cpu: 1, memory: 1GiB}
              e: {image: "nginx@sha256:0123abcd", replicas: 2, cpu: 1, memory: 1GiB}
              f: {image: "nginx:latest@sha256:0123abcd", replicas: 2, cpu: 1, memory: 1GiB}

            """)
        let loaded = spec.load()
        #expect(loaded.positions(of: .unpinnedImage) == [spec["1️⃣"], spec["2️⃣"], spec["3️⃣"]])
        #expect(loaded.diagnostics.allSatisfy { $0.severity == .warning })
        #expect(loaded.messages(.unpinnedImage)[0].contains("has no tag"))
        #expect(loaded.messages(.unpinnedImage)[1].contains("is tagged 'latest'"))
        #expect(loaded.isWellFormed)
    }

    @Test func imageFromAnotherRegistryIsForeign() throws {
        let spec = MarkedText("""
            topology: t
            1️⃣registry: registry.example:5000
            hosts:
              h1: {cpu: 4, memory: 8GiB}
              h2: {cpu: 4, memory: 8GiB}
            purposes:
              web: {image: "registry.example:5000/web:1.0", replicas: 2, cpu: 1, memory: 1GiB}
              api: {2️⃣image: "docker.io/api:1.0", replicas: 2, cpu: 1, memory: 1GiB}
              db: {3️⃣image: "registry.example:50001/db:1.0", replicas: 2, cpu: 1, memory: 1GiB}

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.foreignRegistry, .foreignRegistry])
        #expect(loaded.positions(of: .foreignRegistry) == [spec["2️⃣"], spec["3️⃣"]])
        let diagnostic = try #require(loaded.diagnostics(.foreignRegistry).first)
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.notes.compactMap { $0.location.map(Position.init) } == [spec["1️⃣"]])
        #expect(loaded.isWellFormed)
    }

    @Test func survivingNoHostFailureIsASinglePointOfFailure() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB}
              h2: {cpu: 4, memory: 8GiB}
            purposes:
              web:
                image: a:1
                replicas: 1
                cpu: 1
                memory: 1GiB
                1️⃣survive: {hosts: 0}
              api: {image: a:1, replicas: 2, cpu: 1, memory: 1GiB}

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.singlePointOfFailure])
        let diagnostic = try #require(loaded.diagnostics(.singlePointOfFailure).first)
        #expect(diagnostic.position == spec["1️⃣"])
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.message.contains("'web'"))
        #expect(loaded.isWellFormed)
    }

    @Test func noFailuresAtTheTopLevelWarnsForEveryPurposeAtFailures() {
        let spec = MarkedText("""
            topology: t
            1️⃣failures: {hosts: 0}
            hosts:
              h1: {cpu: 4, memory: 8GiB}
            purposes:
              web: {image: a:1, replicas: 1, cpu: 1, memory: 1GiB}
              api: {image: a:1, replicas: 1, cpu: 1, memory: 1GiB, survive: {hosts: 1, zones: 0}}

            """)
        let loaded = spec.load()
        #expect(loaded.positions(of: .singlePointOfFailure) == [spec["1️⃣"]])
    }
}
