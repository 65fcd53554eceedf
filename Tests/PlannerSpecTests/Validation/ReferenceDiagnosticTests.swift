import PlannerTestSupport
import PlannerSpec
import Testing

/// References between entries and failure domains, checked once the whole file is decoded.
@Suite struct ReferenceDiagnosticTests {
    @Test func placementOnAnUndeclaredHostIsUnknownHost() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              app1: {cpu: 4, memory: 8GiB}
              app2: {cpu: 4, memory: 8GiB}
            purposes:
              web:
                image: a:1
                replicas: 2
                cpu: 1
                memory: 1GiB
                placement: {hosts: [app1, 1️⃣app3, 2️⃣db9]}

            """)
        let loaded = spec.load()
        #expect(loaded.positions(of: .unknownHost) == [spec["1️⃣"], spec["2️⃣"]])
        #expect(loaded.messages(.unknownHost).first?.contains("did you mean 'app1'?") == true)
        #expect(!loaded.isWellFormed)
    }

    @Test func hostThatFailedToDecodeIsNotAlsoUnknown() {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 1️⃣lots}
              h2: {cpu: 4, memory: 8GiB}
            purposes:
              web: {image: a:1, replicas: 2, cpu: 1, memory: 1GiB, placement: {hosts: [h1, h2]}}

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.badValue])
        #expect(loaded.positions(of: .badValue) == [spec["1️⃣"]])
    }

    @Test func avoidingAnUndeclaredPurposeIsUnknownPurpose() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB}
            purposes:
              web: {image: a:1, replicas: 2, cpu: 1, memory: 1GiB}
              ldap: {image: a:1, replicas: 2, cpu: 1, memory: 1GiB, placement: {avoid: [1️⃣wep]}}

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.unknownPurpose])
        #expect(loaded.positions(of: .unknownPurpose) == [spec["1️⃣"]])
        #expect(loaded.messages(.unknownPurpose).first?.contains("did you mean 'web'?") == true)
    }

    @Test func labelNoHostCarriesIsUnknownLabel() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB, labels: [ssd]}
              h2: {cpu: 4, memory: 8GiB, labels: [ssd, public]}
            purposes:
              web:
                image: a:1
                replicas: 2
                cpu: 1
                memory: 1GiB
                placement:
                  labels: [1️⃣publc, ssd]

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.unknownLabel])
        #expect(loaded.positions(of: .unknownLabel) == [spec["1️⃣"]])
        #expect(loaded.messages(.unknownLabel).first?.contains("did you mean 'public'?") == true)
    }

    @Test func samePortTwiceIsDuplicatePort() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB}
            purposes:
              web:
                image: a:1
                replicas: 2
                cpu: 1
                memory: 1GiB
                ports: [1️⃣"80:8080", "53:53/udp", "53:53", 2️⃣"80:9090"]

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.duplicatePort])
        let diagnostic = try #require(loaded.diagnostics(.duplicatePort).first)
        #expect(diagnostic.position == spec["2️⃣"])
        #expect(diagnostic.notes.compactMap { $0.location.map(Position.init) } == [spec["1️⃣"]])
    }

    @Test func survivingAZoneNeedsEveryHostToHaveAZone() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB, zone: a}
              2️⃣h2: {cpu: 4, memory: 8GiB}
            purposes:
              web:
                image: a:1
                replicas: 2
                cpu: 1
                memory: 1GiB
                1️⃣survive: {zones: 1}

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.missingZone])
        let diagnostic = try #require(loaded.diagnostics(.missingZone).first)
        #expect(diagnostic.position == spec["1️⃣"])
        #expect(diagnostic.message.contains("'h2'"))
        #expect(diagnostic.notes.compactMap(\.location).count == 1)
        #expect(!loaded.isWellFormed)
    }

    @Test func topLevelRackFailuresNeedEveryHostToHaveARack() throws {
        let spec = MarkedText("""
            topology: t
            1️⃣failures: {hosts: 1, racks: 1}
            hosts:
              h1: {cpu: 4, memory: 8GiB, rack: r1}
              h2: {cpu: 4, memory: 8GiB}
              h3: {cpu: 4, memory: 8GiB}
            purposes:
              web: {image: a:1, replicas: 2, cpu: 1, memory: 1GiB}

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.missingRack])
        let diagnostic = try #require(loaded.diagnostics(.missingRack).first)
        #expect(diagnostic.position == spec["1️⃣"])
        #expect(diagnostic.message.contains("'h2' and 'h3' have no rack"))
    }

    @Test func rackInTwoZonesLandsOnTheSecondHostsRack() throws {
        let spec = MarkedText("""
            topology: t
            hosts:
              h1: {cpu: 4, memory: 8GiB, zone: a, 1️⃣rack: r1}
              h2: {cpu: 4, memory: 8GiB, zone: a, rack: r1}
              h3: {cpu: 4, memory: 8GiB, zone: b, 2️⃣rack: r1}
            purposes:
              web: {image: a:1, replicas: 2, cpu: 1, memory: 1GiB}

            """)
        let loaded = spec.load()
        #expect(loaded.codes == [.rackInTwoZones])
        let diagnostic = try #require(loaded.diagnostics(.rackInTwoZones).first)
        #expect(diagnostic.position == spec["2️⃣"])
        #expect(diagnostic.notes.compactMap { $0.location.map(Position.init) } == [spec["1️⃣"]])
    }
}
