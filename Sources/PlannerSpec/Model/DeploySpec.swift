import Foundation

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

/// Text that reaches a generated file through an environment, a command or a mount: anything goes
/// except NUL, which no process argument or environment variable can hold.
public enum ContainerText {
    public static func problem(with text: String) -> String? {
        text.unicodeScalars.contains("\u{0}") ? "a NUL character cannot be passed to a container" : nil
    }

    /// A command written as one string is split into words by Compose (Python's `shlex`, POSIX rules): an
    /// unclosed quote or a trailing backslash would only fail at `docker compose up`, so it is refused here.
    public static func wordsProblem(with text: String) -> String? {
        enum State { case plain, single, double }
        var state = State.plain
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch (state, scalar) {
            case (.plain, "'"): state = .single
            case (.plain, "\""): state = .double
            case (.plain, "\\"):
                if scalars.next() == nil { return "it ends with a backslash; write \\\\ for a backslash, or use a list of words" }
            case (.single, "'"): state = .plain
            case (.double, "\""): state = .plain
            case (.double, "\\"):
                if scalars.next() == nil { return "a double quote is not closed; use a list of words to pass quotes as they are" }
            default: break
            }
        }
        switch state {
        case .plain: return nil
        case .single: return "a single quote is not closed; use a list of words to pass quotes as they are"
        case .double: return "a double quote is not closed; use a list of words to pass quotes as they are"
        }
    }
}

/// Image references, as `docker pull` reads them: `[registry[:port]/]name[/name…][:tag][@algorithm:hex]`.
/// They go into Compose files, so anything else (spaces, `$`, quotes, line breaks) is refused at the spec.
public enum ImageNames {
    public static func problem(with text: String) -> String? {
        func isLowerAlnum(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("0"..."9").contains(s) }
        func isAlnum(_ s: Unicode.Scalar) -> Bool { isLowerAlnum(s) || ("A"..."Z").contains(s) }
        if text.unicodeScalars.count > 255 { return "an image reference may be at most 255 characters" }
        if let bad = text.unicodeScalars.first(where: { !(isAlnum($0) || "._-/:@+".unicodeScalars.contains($0)) }) {
            return "'\(Names.printable(String(bad)))' cannot be in an image reference "
                + "([registry[:port]/]name[:tag][@sha256:…]: letters, digits, . _ - / : @)"
        }
        var rest = Substring(text)
        if let at = rest.firstIndex(of: "@") {
            let digest = rest[rest.index(after: at)...]
            rest = rest[..<at]
            let parts = digest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let first = parts[0].unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first),
                  parts[0].unicodeScalars.allSatisfy({ isAlnum($0) || "_+.-".unicodeScalars.contains($0) }),
                  !parts[1].isEmpty, parts[1].unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }) else {
                return "a digest is written @algorithm:hex, for example @sha256:…"
            }
        }
        let lastSlash = rest.lastIndex(of: "/") ?? rest.startIndex
        if let colon = rest[lastSlash...].lastIndex(of: ":") {
            let tag = rest[rest.index(after: colon)...]
            rest = rest[..<colon]
            guard let first = tag.unicodeScalars.first, isAlnum(first) || first == "_", tag.unicodeScalars.count <= 128,
                  tag.unicodeScalars.allSatisfy({ isAlnum($0) || "_.-".unicodeScalars.contains($0) }) else {
                return "a tag is 1 to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'"
            }
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false)
        if components.count > 1, let first = components.first,
           first.contains(".") || first.contains(":") || first == "localhost" || first.unicodeScalars.contains(where: { ("A"..."Z").contains($0) }) {
            let hostAndPort = first.split(separator: ":", omittingEmptySubsequences: false)
            guard hostAndPort.count <= 2, !hostAndPort[0].isEmpty,
                  hostAndPort[0].unicodeScalars.allSatisfy({ isAlnum($0) || $0 == "." || $0 == "-" }),
                  hostAndPort.count == 1 || (!hostAndPort[1].isEmpty && hostAndPort[1].count <= 5 && hostAndPort[1].allSatisfy(\.isNumber)) else {
                return "the registry is written host[:port], for example registry.example:5000"
            }
            components.removeFirst()
        }
        for component in components {
            guard let first = component.unicodeScalars.first, let last = component.unicodeScalars.last,
                  isLowerAlnum(first), isLowerAlnum(last),
                  component.unicodeScalars.allSatisfy({ isLowerAlnum($0) || "._-".unicodeScalars.contains($0) }) else {
                return "each part of an image name is lower-case letters, digits and . _ -, starting and ending with a letter or digit"
            }
        }
        return nil
    }
}

/// `volumes:` entries, as `docker run -v` takes them: `/target`, `/source:/target[:mode]` or `name:/target[:mode]`
/// (a named volume, declared in the host's Compose file).
public enum VolumeMounts {
    public static let modes: Set<String> = ["ro", "rw", "z", "Z", "nocopy"]

    public static func problem(with text: String) -> String? {
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "control characters (line breaks, tabs, NUL) are not allowed"
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
            return "write /target, /source:/target or name:/target, optionally :ro (a path cannot hold ':')"
        }
        if parts.count == 3 {
            let modes = parts[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard modes.allSatisfy(Self.modes.contains), Set(modes).count == modes.count else {
                return "the mode must be ro or rw (optionally with z, Z or nocopy, comma-separated)"
            }
        }
        let target = parts.count == 1 ? parts[0] : parts[1]
        guard target.hasPrefix("/") else { return "the target must be an absolute path in the container" }
        if parts.count > 1, !parts[0].hasPrefix("/"), namedVolume(parts[0]) == nil {
            return "the source must be an absolute path on the host or a volume name (letters, digits, _ . -)"
        }
        return nil
    }

    /// The volume's name when `source` names a volume rather than a host path.
    public static func namedVolume(_ source: String) -> String? {
        guard let first = source.unicodeScalars.first, first.properties.isASCIIHexDigit || ("a"..."z").contains(first) || ("A"..."Z").contains(first),
              source.unicodeScalars.count <= 255,
              source.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "_.-".unicodeScalars.contains($0) })
        else { return nil }
        return source
    }

    /// The named volume a mount uses, if any.
    public static func volumeName(of text: String) -> String? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return nil }
        return namedVolume(parts[0])
    }
}

/// Secret environment variables: `env: { DB_PASSWORD: { secret: true } }`. Their values are never in the
/// spec, never printed, never written: each host's Compose file names an env file (`env_file:`) that the
/// team puts on the host, by default `/etc/planner/<topology>/<purpose>.env`.
public enum Secrets {
    /// The env file holding a purpose's secrets on each host, unless the variable names its own `file:`.
    public static func defaultFile(topology: String, purpose: String) -> String {
        "/etc/planner/\(topology)/\(purpose).env"
    }

    public static func file(of variable: EnvVar, topology: String, purpose: String) -> String {
        variable.secretFile ?? defaultFile(topology: topology, purpose: purpose)
    }

    /// The env files of a purpose's secrets, in order of first use, without repeats.
    public static func files(of purpose: Purpose, topology: String) -> [String] {
        var seen = Set<String>()
        return purpose.env.filter(\.secret).map { file(of: $0, topology: topology, purpose: purpose.name) }
            .filter { seen.insert($0).inserted }
    }

    /// `file:` of a secret: an absolute path on the host of letters, digits and / . _ - (no `..`).
    public static func pathProblem(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return "write an absolute path on the host, for example /etc/shop/db.env" }
        if path.unicodeScalars.count > 255 { return "a path may be at most 255 characters" }
        guard path.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                                               || "/._-".unicodeScalars.contains($0) }) else {
            return "use letters, digits and / . _ -"
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            return "empty, '.' and '..' parts are not allowed"
        }
        return nil
    }

    /// One line of an env file: blank, a `#` comment, or `NAME=value`. Returns the name defined, nil for
    /// blanks and comments; throws (without the line's text, which may hold a secret) for anything else.
    static func definedName(in line: Substring) -> Result<String?, Problem> {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return .success(nil) }
        if trimmed.unicodeScalars.contains("\u{0}") { return .failure(.nul) }
        guard let equals = trimmed.firstIndex(of: "=") else { return .failure(.notAssignment) }
        let name = String(trimmed[..<equals])
        guard EnvNames.problem(with: name) == nil else { return .failure(.badName) }
        return .success(name)
    }

    enum Problem: Error {
        case nul, notAssignment, badName

        var message: String {
            switch self {
            case .nul: return "a NUL character cannot be in an environment variable"
            case .notAssignment: return "not NAME=value, a comment (#) or blank"
            case .badName: return "the name before '=' must be letters, digits and '_', not starting with a digit"
            }
        }
    }

    /// `--secrets DIR`: checks that `DIR/<file name>` defines every secret the spec uses (the folder mirrors the
    /// hosts' env files, by the last part of each path). Diagnostics never quote a line of those files.
    public static func check(_ topology: Topology, directory: String) -> [Diagnostic] {
        var found: [Diagnostic] = []
        var parsed: [String: Set<String>?] = [:]
        for purpose in topology.purposes {
            for variable in purpose.env where variable.secret {
                let hostFile = file(of: variable, topology: topology.name, purpose: purpose.name)
                let name = hostFile.split(separator: "/").last.map(String.init) ?? hostFile
                let local = (directory.hasSuffix("/") ? directory : directory + "/") + name
                if parsed[local] == nil {
                    let (names, problems) = read(local)
                    parsed[local] = .some(names)
                    found += problems
                }
                guard let names = parsed[local] ?? nil else {
                    if !found.contains(where: { $0.location?.file == local && $0.code == .unreadableFile }) {
                        found.append(.error(.unreadableFile, "cannot read the secrets file of purpose '\(purpose.name)' "
                                            + "(on the hosts: \(hostFile))", at: SourceLocation(file: local, line: 1, column: 1)))
                    }
                    continue
                }
                if !names.contains(variable.name) {
                    found.append(.error(.missingKey, "secret \(variable.name) of purpose '\(purpose.name)' is not defined in \(local) "
                                        + "(add a line \(variable.name)=…; on the hosts the file is \(hostFile))",
                                        at: variable.location ?? purpose.locations["env"]))
                }
            }
        }
        return found
    }

    /// The names an env file defines, or nil when it cannot be read; problems are located by line only.
    static func read(_ path: String) -> (Set<String>?, [Diagnostic]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else { return (nil, []) }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [.error(.invalidEncoding, "the secrets file is not UTF-8", at: SourceLocation(file: path, line: 1, column: 1))])
        }
        var names = Set<String>()
        var problems: [Diagnostic] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            switch definedName(in: line) {
            case .success(let name?): names.insert(name)
            case .success(nil): break
            case .failure(let problem):
                problems.append(.error(.badValue, "line \(index + 1) of the secrets file: \(problem.message) (the line is not "
                                       + "shown: it may hold a secret)", at: SourceLocation(file: path, line: index + 1, column: 1)))
            }
        }
        return (names, problems)
    }
}
