import Foundation
import PlannerTestSupport
import Testing

/// The real validators accept every file `planner plan` writes for the examples: `docker-compose config -q`,
/// `haproxy -c -f`, `nginx -t`. Locally a missing tool skips its test with a message; in CI (CI=true) it fails.
@Suite struct PlanToolTests {
    /// Examples whose header expects exit 0, i.e. that `plan` can write.
    static let examples: [String] = TopologyFilesTests.files().filter { file in
        let text = (try? String(contentsOf: TopologyFilesTests.directory.appendingPathComponent(file), encoding: .utf8)) ?? ""
        return TopologyFilesTests.expectedStatus(in: text) == 0
    }

    @Test func examplesIncludeBothBalancerKinds() throws {
        #expect(Self.examples.contains("shop.spec") && Self.examples.contains("blog-nginx.spec"))
    }

    @Test(.enabled(if: ExternalTool.usable("docker-compose"), ExternalTool.skipMessage("docker-compose")),
          arguments: examples)
    func composeFilesPassDockerCompose(example: String) throws {
        let tool = try ExternalTool.require("docker-compose")
        for dev in [false, true] {
            let out = try TemporaryDirectory()
            let folder = out.url.appendingPathComponent("deploy")
            let run = try PlannerBinary.run(["plan", "topologies/\(example)", "--out", folder.path] + (dev ? ["--dev"] : []))
            #expect(run.status == 0, "\(run.output)\(run.stderr)")
            let files = ExternalTool.files(named: "compose.yaml", under: folder)
            #expect(!files.isEmpty)
            for file in files {
                let result = try ExternalTool.run(tool, ["-f", file.path, "config", "-q"], in: file.deletingLastPathComponent())
                #expect(result.status == 0, "docker-compose config -q rejected \(example) \(dev ? "--dev " : "")\(file.path):\n\(result.output)")
            }
        }
    }

    @Test(.enabled(if: ExternalTool.usable("haproxy"), ExternalTool.skipMessage("haproxy")))
    func haproxyConfigurationsPassHAProxy() throws {
        let tool = try ExternalTool.require("haproxy")
        var checked = 0
        for example in Self.examples {
            for dev in [false, true] {
                let out = try TemporaryDirectory()
                let run = try PlannerBinary.run(["plan", "topologies/\(example)", "--out", out.url.path + "/d"] + (dev ? ["--dev"] : []))
                #expect(run.status == 0, "\(run.output)\(run.stderr)")
                for file in ExternalTool.files(named: "haproxy.cfg", under: out.url) {
                    let result = try ExternalTool.run(tool, ["-c", "-f", file.path], in: out.url)
                    #expect(result.status == 0, "haproxy -c rejected \(example) \(dev ? "--dev " : "")\(file.path):\n\(result.output)")
                    checked += 1
                }
            }
        }
        #expect(checked >= 2)
    }

    @Test(.enabled(if: ExternalTool.usable("nginx"), ExternalTool.skipMessage("nginx")))
    func nginxConfigurationsPassNginx() throws {
        let tool = try ExternalTool.require("nginx")
        var checked = 0
        for example in Self.examples {
            for dev in [false, true] {
                let out = try TemporaryDirectory()
                let run = try PlannerBinary.run(["plan", "topologies/\(example)", "--out", out.url.path + "/d"] + (dev ? ["--dev"] : []))
                #expect(run.status == 0, "\(run.output)\(run.stderr)")
                for file in ExternalTool.files(named: "nginx.conf", under: out.url) {
                    // A temporary prefix and pid file, so that the test needs no root.
                    let prefix = out.url.appendingPathComponent("nginx-prefix")
                    try FileManager.default.createDirectory(at: prefix.appendingPathComponent("logs"), withIntermediateDirectories: true)
                    let result = try ExternalTool.run(tool, ["-t", "-c", file.path, "-p", prefix.path + "/",
                                                             "-g", "pid \(prefix.path)/nginx.pid;"], in: out.url)
                    #expect(result.status == 0, "nginx -t rejected \(example) \(dev ? "--dev " : "")\(file.path):\n\(result.output)")
                    checked += 1
                }
            }
        }
        #expect(checked >= 2)
    }
}

/// Issue 18, defect 5: `check_interval: 500ms` went into nginx.conf as `fail_timeout=500ms`, which
/// `nginx -t` rejects. Every duration form the spec accepts (docs/spec.md, Durations: ms, s, m, h, up to
/// 24 hours), at its edges, goes through the real validators.
@Suite struct DurationToolTests {
    static let durations = ["1ms", "500ms", "999ms", "1000ms", "1001ms", "1500ms", "86400000ms", "1s", "2s", "59s", "86400s",
                            "1m", "90m", "1440m", "1h", "24h"]

    static func plan(kind: String) throws -> (TemporaryDirectory, CapturedRun) {
        let out = try TemporaryDirectory()
        let routes = durations.enumerated().map { "      - { listen: \(8000 + $0.offset), purpose: web, check_interval: \($0.element) }" }
        let spec = out.url.appendingPathComponent("durations.spec")
        try Data(("""
            topology: durations
            hosts:
              h1: { address: 127.0.0.1, cpu: 4, memory: 4GiB }
              h2: { address: 127.0.0.2, cpu: 4, memory: 4GiB }
            purposes:
              web: { image: "a:1", replicas: 2, cpu: 1, memory: 1GiB, ports: ["8080:8080"] }
            balancers:
              lb:
                kind: \(kind)
                replicas: 2
                routes:

            """ + routes.joined(separator: "\n") + "\n").utf8).write(to: spec)
        let run = try PlannerBinary.run(["plan", spec.path, "--out", out.url.path + "/d"])
        return (out, run)
    }

    @Test(.enabled(if: ExternalTool.usable("nginx"), ExternalTool.skipMessage("nginx")))
    func everyDurationPassesNginx() throws {
        let tool = try ExternalTool.require("nginx")
        let (out, run) = try Self.plan(kind: "nginx")
        #expect(run.status == 0, "\(run.output)\(run.stderr)")
        // Rounded up to whole seconds, and said so once per rounded route.
        #expect((run.output + run.stderr).components(separatedBy: "[rounded-duration]").count - 1 == 5, "\(run.output)")
        #expect((run.output + run.stderr).contains("check_interval 500ms of balancer 'lb' (listen 8001) is written to nginx.conf as 1s"))
        let files = ExternalTool.files(named: "nginx.conf", under: out.url)
        #expect(!files.isEmpty)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(!text.contains("ms;") && text.contains("fail_timeout=2s;") && text.contains("fail_timeout=86400s;"))
            let prefix = out.url.appendingPathComponent("nginx-prefix")
            try FileManager.default.createDirectory(at: prefix.appendingPathComponent("logs"), withIntermediateDirectories: true)
            let result = try ExternalTool.run(tool, ["-t", "-c", file.path, "-p", prefix.path + "/",
                                                     "-g", "pid \(prefix.path)/nginx.pid;"], in: out.url)
            #expect(result.status == 0, "nginx -t rejected \(file.path):\n\(result.output)")
        }
    }

    @Test(.enabled(if: ExternalTool.usable("haproxy"), ExternalTool.skipMessage("haproxy")))
    func everyDurationPassesHAProxy() throws {
        let tool = try ExternalTool.require("haproxy")
        let (out, run) = try Self.plan(kind: "haproxy")
        #expect(run.status == 0, "\(run.output)\(run.stderr)")
        #expect(!(run.output + run.stderr).contains("[rounded-duration]"))
        let files = ExternalTool.files(named: "haproxy.cfg", under: out.url)
        #expect(!files.isEmpty)
        for file in files {
            let result = try ExternalTool.run(tool, ["-c", "-f", file.path], in: out.url)
            #expect(result.status == 0, "haproxy -c rejected \(file.path):\n\(result.output)")
        }
    }
}

/// Finding and running the validators and servers the plan tests use.
enum ExternalTool {
    static var isCI: Bool {
        let value = ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? ""
        return value == "true" || value == "1"
    }

    /// The tool's path: PATH, then the sbin folders where Debian puts haproxy and nginx.
    static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin"]
        for folder in folders where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: folder).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Run the test when the tool is there, and in CI always (where its absence is a failure).
    static func usable(_ name: String) -> Bool { isCI || find(name) != nil }

    static func skipMessage(_ name: String) -> Comment {
        Comment(rawValue: "\(name) is not installed; skipped (install haproxy, nginx-light and docker-compose, as .ci/run does)")
    }

    static func require(_ name: String) throws -> URL {
        try #require(find(name), "\(name) is not installed; .ci/run installs it with apt-get (CI=true makes this a failure)")
    }

    static func files(named name: String, under folder: URL) -> [URL] {
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        var found: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.lastPathComponent == name { found.append(url) }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// Runs `tool` to completion; stdout and stderr together.
    static func run(_ tool: URL, _ arguments: [String], in directory: URL) throws -> (status: Int32, output: String) {
        let run = try ProcessCapture.run(tool, arguments, in: directory, standardError: .mergedIntoStandardOutput)
        return (run.status, run.output)
    }
}
