import Foundation
import PlannerTestSupport
import Testing
import Yams

/// Every spec value that reaches haproxy.cfg, nginx.conf or compose.yaml, with each hostile payload (line
/// breaks, `;`, braces, `#`, quotes, backslash, `$`, `${VAR}`): `planner plan` either refuses it with a
/// diagnostic at its line (exit 2, nothing written), or writes files that the real tools accept AND that mean
/// exactly what the payload-free spec means, with the value carried byte for byte: `docker-compose config`
/// (run with VAR and b set, so an unescaped `$` would show) parsed and compared key by key with the baseline,
/// haproxy.cfg and nginx.conf identical to the baseline's but for the value.
@Suite struct InjectionTests {
    static let payloads: [String] = ["\n", ";", "{", "}", "#", "\"", "'", "\\", "$", "${VAR}", "\r"]

    /// The spec, one field per placeholder; `values` overrides the payload-free defaults (written as YAML).
    static let template = """
        topology: TOPOLOGY
        logging: { driver: syslog, address: LOGADDR }
        hosts:
          HOST1: { address: ADDR1, cpu: 4, memory: 4GiB }
          h2: { address: 10.0.0.2, cpu: 4, memory: 4GiB }
        purposes:
          PURPOSE:
            image: IMAGE
            replicas: 2
            cpu: 1
            memory: 1GiB
            ports: [PORT]
            command: COMMAND
            env: { ENVNAME: ENVVALUE }
            volumes: [VOLUME]
            healthcheck: HEALTHCHECK
            dev: { sources: [DEVSOURCE] }
        balancers:
          BALANCER: { kind: haproxy, image: LBIMAGE, routes: [{ listen: LISTEN, purpose: app, health: HEALTH, check_interval: INTERVAL }] }
          ng: { kind: nginx, image: NGIMAGE, routes: [{ listen: 81, purpose: app, health: HEALTH }] }
        """
    static let defaults: [String: String] = [
        "TOPOLOGY": "inj", "LOGADDR": q("udp://127.0.0.1:514"), "HOST1": q("h1"), "ADDR1": q("10.0.0.1"), "PURPOSE": q("app"),
        "IMAGE": q("a:1"), "PORT": q("8080"), "COMMAND": "[\"run\"]", "ENVNAME": q("A"), "ENVVALUE": q("v"),
        "VOLUME": q("/srv/a:/data"), "HEALTHCHECK": "{ http: \"/healthz\" }", "DEVSOURCE": q("/src:/app"),
        "BALANCER": q("lb"), "LBIMAGE": q("haproxy:2.8"), "NGIMAGE": q("nginx:1.26"), "LISTEN": "80", "HEALTH": q("/healthz"),
        "INTERVAL": q("2s"),
    ]

    /// A YAML double-quoted scalar holding exactly `text`.
    static func q(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func spec(_ overrides: [String: String]) -> String {
        var text = template
        // Longest placeholders first, so that HEALTHCHECK is not taken for HEALTH.
        for (key, value) in defaults.merging(overrides, uniquingKeysWith: { $1 }).sorted(by: { $0.key.count > $1.key.count }) {
            text = text.replacingOccurrences(of: key, with: value)
        }
        return text
    }

    /// The first line holding `placeholder` as a whole word (HEALTH is not HEALTHCHECK).
    static func line(of placeholder: String) -> Int {
        let lines = template.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return lines.firstIndex { line in
            line.components(separatedBy: CharacterSet.uppercaseLetters.union(.decimalDigits).inverted).contains(placeholder)
        }! + 1
    }

    /// A value refused at the spec: the field's placeholder and how the payload is embedded (as YAML).
    struct Refusal: CustomStringConvertible, Sendable {
        var placeholder: String
        var name: String
        var yaml: @Sendable (String) -> String
        var applies: @Sendable (String) -> Bool = { _ in true }
        var description: String { name }
    }

    static func refused(_ placeholder: String, _ name: String, _ make: @escaping @Sendable (String) -> String) -> Refusal {
        Refusal(placeholder: placeholder, name: name) { q(make($0)) }
    }

    static func hasControl(_ text: String) -> Bool { text.unicodeScalars.contains { $0.value < 0x20 } }
    static func unbalanced(_ text: String) -> Bool { text.contains("\"") || text.contains("'") }

    /// Names, addresses, ports, images, paths, durations: held to what the formats accept.
    static let refusals: [Refusal] = [
        refused("TOPOLOGY", "topology name") { "inj" + $0 },
        refused("LOGADDR", "logging address") { "udp://127.0.0.1" + $0 + ":514" },
        refused("HOST1", "host name") { "h1" + $0 },
        refused("ADDR1", "host address") { "10.0.0.1" + $0 },
        refused("PURPOSE", "purpose name") { "app" + $0 },
        refused("IMAGE", "image") { "a" + $0 + ":1" },
        refused("PORT", "port") { "8080" + $0 },
        refused("ENVNAME", "env name") { "A" + $0 },
        refused("BALANCER", "balancer name") { "lb" + $0 },
        refused("LBIMAGE", "balancer image (haproxy)") { "haproxy:2.8" + $0 },
        refused("NGIMAGE", "balancer image (nginx)") { "nginx" + $0 + ":1.26" },
        refused("HEALTH", "route health path") { "/healthz" + $0 },
        refused("INTERVAL", "route check_interval") { "2s" + $0 },
        Refusal(placeholder: "LISTEN", name: "route listen port") { "\"80" + q($0).dropFirst() },
        Refusal(placeholder: "HEALTHCHECK", name: "healthcheck http path") { "{ http: \(q("/healthz" + $0)) }" },
        // Free text is accepted (below) except what its consumer cannot take:
        Refusal(placeholder: "VOLUME", name: "volume (control character)", yaml: { q("/srv/a" + $0 + "b:/data") }, applies: hasControl),
        Refusal(placeholder: "DEVSOURCE", name: "dev source (control character)", yaml: { q("/src" + $0 + "x:/app") },
                applies: hasControl),
        // Compose splits a string command shell-like: an unclosed quote would only fail at `docker compose up`.
        Refusal(placeholder: "COMMAND", name: "command string (unclosed quote)", yaml: { q("run a" + $0 + "b") }, applies: unbalanced),
    ]

    struct RefusalCase: CustomStringConvertible, Sendable {
        var refusal: Int
        var payload: String
        var description: String { "\(InjectionTests.refusals[refusal].name) with \(InjectionTests.printable(payload))" }
    }

    static let refusalCases: [RefusalCase] = refusals.indices.flatMap { index in
        payloads.filter(refusals[index].applies).map { RefusalCase(refusal: index, payload: $0) }
    }

    /// Free text (env values, commands, volumes, health check commands, dev sources): every accepted payload at
    /// once, each in its own entry, and where it must land in `docker-compose config`'s view of service `app`.
    struct Acceptance: CustomStringConvertible, Sendable {
        var name: String
        var overrides: [String: String]
        var key: String
        var expected: Expected
        var dev = false
        var description: String { name }
    }

    enum Expected: Sendable {
        case text(String), list([String]), map([String: String])
        var value: Any {
            switch self {
            case .text(let text): return text
            case .list(let list): return list
            case .map(let map): return map
            }
        }
    }

    static let acceptances: [Acceptance] = {
        let values = payloads.map { "a" + $0 + "b" }
        let paths = payloads.filter { !hasControl($0) }.enumerated().map { ("/srv/a" + $1 + "b", "/data\($0)") }
        let sources = payloads.filter { !hasControl($0) }.enumerated().map { ("/src" + $1 + "x", "/app\($0)") }
        let line = "run " + payloads.filter { !unbalanced($0) }.map { "a" + $0 + "b" }.joined(separator: " ")
        var environment = ["A": "v"]
        for (index, value) in values.enumerated() { environment["V\(index)"] = value }
        return [
            Acceptance(name: "env values", overrides: ["ENVVALUE": "\"v\", " + values.enumerated().map { "V\($0): \(q($1))" }.joined(separator: ", ")],
                       key: "environment", expected: .map(environment)),
            Acceptance(name: "command (list)", overrides: ["COMMAND": "[\"run\", " + values.map(q).joined(separator: ", ") + "]"],
                       key: "command", expected: .list(["run"] + values)),
            Acceptance(name: "command (string)", overrides: ["COMMAND": q(line)], key: "command", expected: .text(line)),
            Acceptance(name: "volumes", overrides: ["VOLUME": paths.map { q($0.0 + ":" + $0.1) }.joined(separator: ", ")],
                       key: "volumes", expected: .list(paths.map { $0.0 + ":" + $0.1 + ":rw" })),
            Acceptance(name: "healthcheck command (string)", overrides: ["HEALTHCHECK": "{ command: \(q(line)) }"],
                       key: "healthcheck.test", expected: .list(["CMD-SHELL", line])),
            Acceptance(name: "healthcheck command (list)",
                       overrides: ["HEALTHCHECK": "{ command: [\"check\", " + values.map(q).joined(separator: ", ") + "] }"],
                       key: "healthcheck.test", expected: .list(["CMD", "check"] + values)),
            Acceptance(name: "dev sources", overrides: ["DEVSOURCE": sources.map { q($0.0 + ":" + $0.1) }.joined(separator: ", ")],
                       key: "volumes", expected: .list(sources.map { $0.0 + ":" + $0.1 + ":rw" }), dev: true),
        ]
    }()

    // MARK: - The tests

    @Test func everyFieldOfTheTemplateIsExercised() {
        let covered = Set(Self.refusals.map(\.placeholder)).union(Self.acceptances.flatMap(\.overrides.keys))
        #expect(covered == Set(Self.defaults.keys), "fields without an injection case: \(Set(Self.defaults.keys).subtracting(covered))")
    }

    @Test(arguments: refusalCases)
    func refusedWithADiagnosticAtItsLine(_ testCase: RefusalCase) throws {
        let refusal = Self.refusals[testCase.refusal]
        let scene = try Scene(Self.spec([refusal.placeholder: refusal.yaml(testCase.payload)]))
        let run = try scene.plan()
        #expect(run.status == 2, "\(testCase): expected a refusal\n\(run.output)\(run.stderr)")
        let line = Self.line(of: refusal.placeholder)
        #expect(run.output.contains("test.spec:\(line):"), "\(testCase): no diagnostic at line \(line):\n\(run.output)")
        #expect(!FileManager.default.fileExists(atPath: scene.out.path), "\(testCase): files were written")
    }

    @Test(.enabled(if: Tools.all, Tools.skip), arguments: acceptances)
    func acceptedAndCarriedByteForByte(_ acceptance: Acceptance) throws {
        let scene = try Scene(Self.spec(acceptance.overrides))
        let baseline = try #require(acceptance.dev ? Self.baselineDev : Self.baselinePlaced, "the payload-free spec must plan")
        let run = try scene.plan(acceptance.dev ? ["--dev"] : [])
        #expect(run.status == 0, "\(acceptance): expected acceptance\n\(run.output)\(run.stderr)")
        guard run.status == 0 else { return }
        let written = try scene.written(dev: acceptance.dev)
        // Balancer configurations are untouched by any of these fields.
        #expect(written.configs == baseline.configs, "\(acceptance): a balancer configuration changed")
        #expect(Set(written.compose.keys) == Set(baseline.compose.keys))
        for (file, text) in written.compose {
            let config = try Self.parse(text)
            var want = try Self.parse(try #require(baseline.compose[file]))
            if var services = want["services"] as? [String: Any], var app = services["app"] as? [String: Any] {
                Self.set(&app, acceptance.key, acceptance.expected.value)
                services["app"] = app
                want["services"] = services
            }
            #expect(Self.canonical(config) == Self.canonical(want),
                    "\(acceptance): \(file) means something else than intended:\n\(Self.canonical(config))\nwanted\n\(Self.canonical(want))")
        }
    }

    /// A spec file's own name is written in every generated header; it cannot break a line or a directive.
    @Test(.enabled(if: Tools.all, Tools.skip))
    func specFileName() throws {
        let baseline = try #require(Self.baselinePlaced, "the payload-free spec must plan")
        let scene = try Scene(Self.spec([:]), fileName: "t" + Self.payloads.joined() + "x.spec")
        let run = try scene.plan()
        #expect(run.status == 0, "\(run.output)\(run.stderr)")
        let written = try scene.written(dev: false)
        #expect(written.configs.mapValues { $0.dropFirst() } == baseline.configs.mapValues { $0.dropFirst() })
        for (file, text) in written.compose {
            #expect(Self.canonical(try Self.parse(text)) == Self.canonical(try Self.parse(baseline.compose[file] ?? "")), "\(file)")
        }
    }

    // MARK: - Running and reading

    struct Scene {
        let directory: TemporaryDirectory
        let specPath: String
        var out: URL { directory.url.appendingPathComponent("out") }

        init(_ text: String, fileName: String = "test.spec") throws {
            directory = try TemporaryDirectory()
            specPath = directory.url.appendingPathComponent(fileName).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: specPath))
        }

        func plan(_ extra: [String] = []) throws -> CapturedRun {
            try PlannerBinary.run(["plan", specPath, "--out", out.path] + extra)
        }

        /// Plans (when not done yet), checks every file with its tool, and returns what the tools read.
        /// compose: each file's `docker-compose config` output; configs: each balancer configuration's lines.
        func written(dev: Bool) throws -> (compose: [String: String], configs: [String: [String]]) {
            if !FileManager.default.fileExists(atPath: out.path) {
                let run = try plan(dev ? ["--dev"] : [])
                try #require(run.status == 0, "baseline: \(run.output)\(run.stderr)")
            }
            var compose: [String: String] = [:], configs: [String: [String]] = [:]
            for file in ExternalTool.files(named: "compose.yaml", under: out) {
                let result = try Tools.run("docker-compose", ["-f", file.path, "config"], in: file.deletingLastPathComponent())
                try #require(result.status == 0, "docker-compose config rejected \(file.path):\n\(result.output)")
                // Compose prints the balancers' configuration mounts as absolute paths: name the folder alike.
                compose[String(file.path.dropFirst(out.path.count + 1))] = result.stdout
                    .replacingOccurrences(of: out.standardizedFileURL.path, with: "<out>")
                    .replacingOccurrences(of: out.path, with: "<out>")
            }
            for file in ExternalTool.files(named: "haproxy.cfg", under: out) {
                let result = try Tools.run("haproxy", ["-c", "-f", file.path], in: out)
                try #require(result.status == 0, "haproxy -c rejected \(file.path):\n\(result.output)")
                let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
                #expect(lines.filter { $0.hasPrefix("frontend ") }.count == 1)
                #expect(lines.filter { $0.hasPrefix("backend ") }.count == 1)
                #expect(lines.filter { $0.hasPrefix("    server ") }.count == (dev ? 1 : 2))
                configs["haproxy"] = lines
            }
            for file in ExternalTool.files(named: "nginx.conf", under: out) {
                let prefix = directory.url.appendingPathComponent("nginx-prefix")
                try FileManager.default.createDirectory(at: prefix.appendingPathComponent("logs"), withIntermediateDirectories: true)
                let result = try Tools.run("nginx", ["-t", "-c", file.path, "-p", prefix.path + "/", "-g", "pid \(prefix.path)/nginx.pid;"],
                                           in: out)
                try #require(result.status == 0, "nginx -t rejected \(file.path):\n\(result.output)")
                let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
                let trimmed = lines.map { $0.trimmingCharacters(in: .whitespaces) }
                #expect(trimmed.filter { $0.hasPrefix("upstream ") }.count == (dev ? 0 : 1))
                #expect(trimmed.filter { $0.hasPrefix("server ") && $0.hasSuffix(";") }.count == (dev ? 0 : 2))
                #expect(trimmed.filter { $0.hasPrefix("listen ") }.count == 1)
                configs["nginx"] = lines
            }
            return (compose, configs)
        }
    }

    static func printable(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }

    /// What the payload-free spec gives, computed once per mode.
    static let baselinePlaced = try? Scene(spec([:])).written(dev: false)
    static let baselineDev = try? Scene(spec([:])).written(dev: true)

    static func parse(_ text: String) throws -> [String: Any] {
        var parsed = try #require(try Yams.load(yaml: text) as? [String: Any])
        parsed["version"] = nil
        return try #require(Tools.unescapeDollars(parsed) as? [String: Any])
    }

    static func set(_ object: inout [String: Any], _ path: String, _ value: Any) {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 1 { object[path] = value; return }
        var inner = object[parts[0]] as? [String: Any] ?? [:]
        set(&inner, parts[1], value)
        object[parts[0]] = inner
    }

    /// A stable text form of a parsed YAML tree, for comparison and messages.
    static func canonical(_ value: Any) -> String {
        switch value {
        case let dictionary as [String: Any]:
            return "{" + dictionary.keys.sorted().map { "\(q($0)): \(canonical(dictionary[$0]!))" }.joined(separator: ", ") + "}"
        case let array as [Any]: return "[" + array.map(canonical).joined(separator: ", ") + "]"
        case let text as String: return q(text)
        default: return String(describing: value)
        }
    }
}

/// The three validators, run with VAR and b set so that any interpolation Compose did would show.
enum Tools {
    static var all: Bool { ["docker-compose", "haproxy", "nginx"].allSatisfy(ExternalTool.usable) }
    static let skip = Comment(rawValue: "docker-compose, haproxy or nginx is not installed; skipped (.ci/run installs them)")

    static func run(_ name: String, _ arguments: [String], in directory: URL) throws -> (status: Int32, stdout: String, output: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["VAR"] = "INJECTED"
        environment["b"] = "INJECTED"
        let captured = try ProcessCapture.run(try ExternalTool.require(name), arguments, in: directory, environment: environment)
        let stdout = String(decoding: captured.stdout, as: UTF8.self)
        return (captured.status, stdout, stdout + captured.stderr)
    }

    /// `docker-compose config` (v1) prints every `$` of a value escaped again as `$$`.
    static func unescapeDollars(_ value: Any) -> Any {
        switch value {
        case let dictionary as [String: Any]: return dictionary.mapValues(unescapeDollars)
        case let array as [Any]: return array.map(unescapeDollars)
        case let text as String: return text.replacingOccurrences(of: "$$", with: "$")
        default: return value
        }
    }
}

