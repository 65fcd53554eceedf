import PlannerKit
import PlannerSpec
import Testing

/// The spec keys `planner plan` reads: every problem is a diagnostic at its line.
@Suite struct EmitSpecTests {
    static let head = """
        topology: t
        hosts:
          h1: { address: 10.0.0.1, cpu: 4, memory: 4GiB }
          h2: { address: 10.0.0.2, cpu: 4, memory: 4GiB }
          h3: { cpu: 4, memory: 4GiB, labels: [quiet] }
        purposes:
          web: { image: "a:1", replicas: 2, cpu: 1, memory: 1GiB, ports: ["80:8080", "81:8081"], placement: { hosts: [h1, h2] } }
          udp: { image: "a:1", replicas: 2, cpu: 1, memory: 1GiB, ports: ["53:53/udp"], placement: { hosts: [h1, h2] } }
          open: { image: "a:1", replicas: 2, cpu: 1, memory: 1GiB, ports: ["90:9000"] }

        """

    /// (code, line) of every error.
    static func errors(_ tail: String) -> [String] {
        SpecLoader.load(text: head + tail, file: "t.spec").diagnostics.filter { $0.severity == .error }
            .map { "\($0.code.rawValue)@\($0.location?.line ?? 0)" }
    }

    @Test func routeToUnknownPurpose() {
        #expect(Self.errors("balancers:\n  lb:\n    kind: haproxy\n    routes:\n      - { listen: 80, purpose: wbe, port: 8080 }\n")
                == ["unknown-purpose@14"])
    }

    @Test func routeToUnpublishedPort() {
        #expect(Self.errors("balancers:\n  lb:\n    kind: haproxy\n    routes:\n      - { listen: 80, purpose: web, port: 9999 }\n")
                == ["bad-value@14"])
        #expect(Self.errors("balancers:\n  lb:\n    kind: haproxy\n    routes:\n      - { listen: 80, purpose: udp, port: 53 }\n")
                == ["bad-value@14"])
        // Several tcp ports and no `port:`: which one is ambiguous.
        #expect(Self.errors("balancers:\n  lb:\n    kind: haproxy\n    routes:\n      - { listen: 80, purpose: web }\n")
                == ["missing-key@14"])
    }

    @Test func balancedPurposeOnAHostWithoutAddress() {
        #expect(Self.errors("balancers:\n  lb:\n    kind: nginx\n    routes:\n      - { listen: 80, purpose: open }\n")
                == ["missing-key@14"])
    }

    @Test func twoRoutesOnOneListenPort() {
        #expect(Self.errors("balancers:\n  lb:\n    kind: haproxy\n    routes:\n      - { listen: 80, purpose: web, port: 8080 }\n"
                            + "      - { listen: 80, purpose: web, port: 8081 }\n") == ["duplicate-port@15"])
    }

    @Test func balancerNamedLikeAPurpose() {
        #expect(Self.errors("balancers:\n  web:\n    kind: haproxy\n    routes: [{ listen: 80, purpose: web, port: 8080 }]\n")
                == ["duplicate-name@11"])
    }

    @Test func unsafeHealthPathAndBadKeys() {
        #expect(Self.errors("balancers:\n  lb:\n    kind: traefik\n    routes:\n"
                            + "      - { listen: 80, purpose: web, port: 8080, health: \"/x; return 200\", balance: random }\n")
                == ["bad-value@12", "bad-value@14", "bad-value@14"])
    }

    @Test func endpointReferences() {
        let text = """
            balancers: {}
            logging: { driver: syslog, address: "udp://127.0.0.1:514" }
            """
        #expect(Self.errors(text + "\n") == [])
        let spec = """
            topology: t
            hosts:
              h1: { address: 10.0.0.1, cpu: 4, memory: 4GiB }
              h2: { cpu: 4, memory: 4GiB }
            purposes:
              a:
                image: "a:1"
                replicas: 2
                cpu: 1
                memory: 1GiB
                ports: ["80:8080"]
                placement: { hosts: [h1] }
                env:
                  OK: "x @@{y} @{a:8080}"
                  UNKNOWN: "@{nope:80}"
                  PORT: "@{a:80}"
                  SHAPE: "@{a}"
                  ADDRESS: "@{b:90}"
              b: { image: "a:1", replicas: 2, cpu: 1, memory: 1GiB, ports: ["90"] }
            """
        let found = SpecLoader.load(text: spec, file: "t.spec").diagnostics.filter { $0.severity == .error }
            .map { "\($0.code.rawValue)@\($0.location?.line ?? 0)" }
        #expect(found.filter { !$0.hasPrefix("cannot") } == ["unknown-purpose@15", "bad-value@16", "bad-value@17", "missing-key@18"])
    }

    @Test func healthcheckDevAndLoggingShapes() {
        let spec = """
            topology: t
            logging: { driver: journald, address: "udp://x:1" }
            hosts:
              h1: { cpu: 4, memory: 4GiB }
            purposes:
              a:
                image: "a:1"
                replicas: 2
                cpu: 1
                memory: 1GiB
                survive: { hosts: 0 }
                healthcheck: { http: healthz, interval: 10 }
                dev: { sources: ["web:/app", "./ok:/app"] }
              b:
                image: "a:1"
                replicas: 2
                cpu: 1
                memory: 1GiB
                survive: { hosts: 0 }
                healthcheck: { command: ["pg_isready"], timeout: 1s, retries: 2 }
            """
        let loaded = SpecLoader.load(text: spec, file: "t.spec")
        let found = loaded.diagnostics.filter { $0.severity == .error }.map { "\($0.code.rawValue)@\($0.location?.line ?? 0)" }
        #expect(found.sorted() == ["bad-value@12", "bad-value@12", "bad-value@13", "bad-value@2", "missing-key@12"])
    }

    @Test func decodedDeploymentKeys() throws {
        let spec = """
            topology: t
            logging: { driver: syslog, address: "tcp://[fd00::1]:601" }
            hosts:
              h1: { cpu: 4, memory: 4GiB }
            purposes:
              a:
                image: "a:1"
                replicas: 2
                cpu: 1
                memory: 1GiB
                survive: { hosts: 0 }
                ports: ["8080"]
                healthcheck: { http: /healthz, interval: 500ms }
                dev: { sources: ["./web:/app:ro"] }
            """
        let topology = try #require(SpecLoader.load(text: spec, file: "t.spec").topology)
        #expect(topology.logging == LoggingConfig(driver: .syslog, address: "tcp://[fd00::1]:601"))
        let purpose = try #require(topology.purpose(named: "a"))
        #expect(purpose.healthcheck == Healthcheck(test: .http(path: "/healthz", port: 8080), interval: 500))
        #expect(purpose.devSources == ["./web:/app:ro"])
    }
}
