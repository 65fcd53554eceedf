/// What `planner plan` needs beyond placement: balancers and their routes, health checks,
/// development bind mounts, logging, and endpoint references in environment values.
/// Decoded by `BalancerDecoder.swift`; placement never looks at these.

/// A load balancer in front of purposes. It is also placed as a purpose of the same name
/// (see `Topology.purposes`), so its replicas are counted, spread and survival-checked like any other.
public struct Balancer: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case haproxy, nginx

        /// The image used when the balancer names none.
        public var defaultImage: String {
            switch self {
            case .haproxy: return "haproxy:2.8"
            case .nginx: return "nginx:1.26"
            }
        }

        /// Where the generated configuration is mounted in the container.
        public var configPath: String {
            switch self {
            case .haproxy: return "/usr/local/etc/haproxy/haproxy.cfg"
            case .nginx: return "/etc/nginx/nginx.conf"
            }
        }

        /// The generated configuration's file name.
        public var configFile: String {
            switch self {
            case .haproxy: return "haproxy.cfg"
            case .nginx: return "nginx.conf"
            }
        }
    }

    public var name: String
    public var kind: Kind
    public var routes: [Route]
    public var locations: Locations

    public init(name: String, kind: Kind, routes: [Route], locations: Locations = .init()) {
        self.name = name
        self.kind = kind
        self.routes = routes
        self.locations = locations
    }

    public static let defaultCPU: Int64 = 500            // millicores
    public static let defaultMemory: Int64 = 256 << 20   // bytes
    public static let defaultReplicas = 2
}

/// One port a balancer listens on and the purpose it forwards to.
public struct Route: Sendable, Hashable {
    public enum Balance: String, Sendable, CaseIterable {
        case roundrobin, leastconn, source
    }

    /// The port the balancer listens on (published `listen:listen` on its hosts).
    public var listen: Int
    /// The purpose traffic goes to.
    public var purpose: String
    /// The purpose's container port; backends are its hosts' addresses with the published host port.
    public var port: Int
    /// The HTTP path health checks request; nil: a TCP connect check.
    public var health: String?
    public var balance: Balance
    /// Milliseconds between health checks (HAProxy `inter`; nginx `fail_timeout`).
    public var checkInterval: Int
    /// Keys of the route's mapping; `this` is the route itself.
    public var locations: Locations

    public init(listen: Int, purpose: String, port: Int, health: String? = nil, balance: Balance = .roundrobin,
                checkInterval: Int = 2000, locations: Locations = .init()) {
        self.listen = listen
        self.purpose = purpose
        self.port = port
        self.health = health
        self.balance = balance
        self.checkInterval = checkInterval
        self.locations = locations
    }
}

/// A container health check: an HTTP request from inside the container, or a command.
public struct Healthcheck: Sendable, Hashable {
    public enum Test: Sendable, Hashable {
        /// GET http://127.0.0.1:PORT PATH must answer 2xx.
        case http(path: String, port: Int)
        /// Run directly (a list) or through the shell (a string).
        case command([String])
        case shell(String)
    }

    public var test: Test
    /// Milliseconds.
    public var interval: Int
    public var timeout: Int
    public var retries: Int

    public init(test: Test, interval: Int = 10_000, timeout: Int = 5_000, retries: Int = 3) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.retries = retries
    }
}

/// Topology-level `logging:`: every container's logs go to syslog through Docker's logging driver.
public struct LoggingConfig: Sendable, Hashable {
    public enum Driver: String, Sendable, CaseIterable { case syslog }
    public var driver: Driver
    /// `udp://HOST:PORT`, `tcp://HOST:PORT`, `tcp+tls://HOST:PORT` or `unix:///PATH`; nil: the local syslog.
    public var address: String?

    public init(driver: Driver = .syslog, address: String? = nil) {
        self.driver = driver
        self.address = address
    }
}

/// Health paths go into balancer configurations; they are held to a charset that cannot
/// end a directive or start a comment.
public enum HealthPaths {
    public static func problem(with path: String) -> String? {
        guard path.hasPrefix("/") else { return "a path must start with '/'" }
        if path.unicodeScalars.count > 200 { return "a path may be at most 200 characters" }
        for scalar in path.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "/", "-", ".", "_", "~", "?", "=", "&": continue
            default:
                return "'\(Names.printable(String(scalar)))' is not allowed; use letters, digits and / - . _ ~ ? = &"
            }
        }
        return nil
    }
}

/// Durations: a whole number and a unit, `500ms`, `2s`, `1m`, `1h`; stored as milliseconds.
public enum Durations {
    public static func parse(_ text: String) -> Int? {
        let units: [(String, Int)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        for (unit, factor) in units where text.hasSuffix(unit) {
            let digits = text.dropLast(unit.count)
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let value = Int(digits), value > 0 else { return nil }
            let ms = value * factor
            return ms <= 86_400_000 ? ms : nil
        }
        return nil
    }

    /// `2s` when whole seconds, else `500ms`: a form Compose, HAProxy and nginx all read.
    public static func render(_ milliseconds: Int) -> String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}

/// `@{purpose:port}` in an environment value: replaced by `plan` with a comma-separated list of
/// `address:port` of every placed replica of the purpose (its host's address and the host port
/// published for that container port). `@@{` writes a literal `@{`.
public enum EndpointReferences {
    public enum Piece: Sendable, Hashable {
        case text(String)
        case reference(purpose: String, port: Int)
    }

    public struct ParseError: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    public static func parse(_ value: String) -> Result<[Piece], ParseError> {
        var pieces: [Piece] = []
        var text = ""
        let scalars = Array(value.unicodeScalars)
        var index = 0
        func flush() {
            if !text.isEmpty { pieces.append(.text(text)); text = "" }
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "@", index + 2 < scalars.count, scalars[index + 1] == "@", scalars[index + 2] == "{" {
                text += "@{"
                index += 3
                continue
            }
            if scalar == "@", index + 1 < scalars.count, scalars[index + 1] == "{" {
                guard let close = scalars[(index + 2)...].firstIndex(of: "}") else {
                    return .failure(ParseError(description: "'@{' is not closed; write @{purpose:port} (or @@{ for a literal '@{')"))
                }
                let inner = String(String.UnicodeScalarView(scalars[(index + 2)..<close]))
                let parts = inner.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2, let port = Int(parts[1]), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                      (1...65535).contains(port) else {
                    return .failure(ParseError(description: "'@{\(Names.printable(inner))}' is not a reference; "
                                               + "write @{purpose:port} with the purpose's container port"))
                }
                let name = String(parts[0])
                if let problem = Names.problem(with: name) {
                    return .failure(ParseError(description: "'@{\(Names.printable(inner))}' does not name a purpose: \(problem)"))
                }
                flush()
                pieces.append(.reference(purpose: name, port: port))
                index = close + 1
                continue
            }
            text.unicodeScalars.append(scalar)
            index += 1
        }
        flush()
        return .success(pieces)
    }
}

/// `SOURCE:TARGET[:ro|:rw]` bind mounts for `plan --dev`; SOURCE relative to the spec's folder or absolute.
public enum DevSources {
    public struct Mount: Sendable, Hashable {
        public var source: String
        public var target: String
        public var mode: String?
    }

    public static func parse(_ text: String) -> Result<Mount, Ports.PortError> {
        var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var mode: String? = nil
        if parts.count == 3, ["ro", "rw"].contains(parts[2]) { mode = parts.removeLast() }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            return .failure(.init("write SOURCE:TARGET, for example \"./web:/app\" (optionally :ro)"))
        }
        guard parts[0].hasPrefix("./") || parts[0].hasPrefix("../") || parts[0].hasPrefix("/") || parts[0] == "." else {
            return .failure(.init("the source must be a path relative to the spec's folder (./web) or absolute"))
        }
        guard parts[1].hasPrefix("/") else { return .failure(.init("the target must be an absolute path in the container")) }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return .failure(.init("control characters are not allowed"))
        }
        return .success(Mount(source: parts[0], target: parts[1], mode: mode))
    }
}
