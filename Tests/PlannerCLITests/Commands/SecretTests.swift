import Foundation
import PlannerTestSupport
import Testing
import Yams

/// Secret environment variables (`NAME: { secret: true }`): the value lives only in an env file, never in the
/// spec; `check`, `simulate` and `plan` never print it (text, JSON, diagnostics) and `plan` never writes it:
/// each Compose file names the env file on the host instead (`env_file:`).
@Suite struct SecretTests {
    static let marker = "S3CRET-MARKER-5f1d2c"

    /// A folder with the spec, the secrets folder planner may read (--secrets), and the "host" env file Compose reads.
    struct Scene {
        let directory: TemporaryDirectory
        var specPath: String { directory.url.appendingPathComponent("test.spec").path }
        var secrets: URL { directory.url.appendingPathComponent("secrets") }
        var hostFile: URL { directory.url.appendingPathComponent("host/etc/app.env") }
        var out: URL { directory.url.appendingPathComponent("out") }

        init(env: String = "", secretsFile: String? = nil) throws {
            directory = try TemporaryDirectory()
            let spec = """
                topology: secret
                hosts:
                  h1: { address: 10.0.0.1, cpu: 4, memory: 4GiB }
                  h2: { address: 10.0.0.2, cpu: 4, memory: 4GiB }
                purposes:
                  app:
                    image: "a:1"
                    replicas: 2
                    cpu: 1
                    memory: 1GiB
                    ports: ["8080"]
                    env:
                      LOG_LEVEL: info
                      DB_PASSWORD: { secret: true, file: \(hostFile.path) }
                \(env)
                  worker:
                    image: "w:1"
                    replicas: 2
                    cpu: 1
                    memory: 1GiB
                    env: { API_TOKEN: { secret: true } }
                balancers:
                  lb: { kind: haproxy, routes: [{ listen: 80, purpose: app }] }
                """
            try Data(spec.utf8).write(to: URL(fileURLWithPath: specPath))
            try FileManager.default.createDirectory(at: secrets, withIntermediateDirectories: true)
            let contents = secretsFile ?? "# secrets of app\nDB_PASSWORD=\(SecretTests.marker)\nOTHER=\(SecretTests.marker)x\n"
            try Data(contents.utf8).write(to: secrets.appendingPathComponent("app.env"))
            try Data("API_TOKEN=\(SecretTests.marker)-token\n".utf8).write(to: secrets.appendingPathComponent("worker.env"))
            try FileManager.default.createDirectory(at: hostFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: hostFile)
        }

        func run(_ arguments: [String]) throws -> CapturedRun {
            try PlannerBinary.run(arguments.map { $0 == "SPEC" ? specPath : $0 })
        }

        /// Every byte planner wrote under the output folder.
        func everythingWritten() -> String {
            var text = ""
            let enumerator = FileManager.default.enumerator(atPath: out.path)
            while let next = enumerator?.nextObject() as? String {
                text += next + "\n"
                if let data = FileManager.default.contents(atPath: out.path + "/" + next) { text += String(decoding: data, as: UTF8.self) }
            }
            return text
        }
    }

    static func expectNoMarker(_ run: CapturedRun, _ what: String) {
        #expect(!run.output.contains(marker), "\(what) printed the secret on stdout")
        #expect(!run.stderr.contains(marker), "\(what) printed the secret on stderr")
        #expect(!run.output.contains("MARKER") && !run.stderr.contains("MARKER"), "\(what) printed part of the secret")
    }

    @Test func neverPrintedByCheckSimulateOrPlan() throws {
        let scene = try Scene()
        var runs: [([String], Int32)] = []
        for format in ["text", "json"] {
            runs.append((["check", "SPEC", "--secrets", scene.secrets.path, "--format", format], 0))
            runs.append((["check", "SPEC", "--format", format], 0))
            runs.append((["simulate", "SPEC", "--secrets", scene.secrets.path, "--any", "1", "--format", format], 0))
            runs.append((["simulate", "SPEC", "--secrets", scene.secrets.path, "--fail", "h1", "--format", format], 0))
            runs.append((["plan", "SPEC", "--secrets", scene.secrets.path, "--out", scene.out.path, "--dry-run", "--format", format], 0))
            runs.append((["plan", "SPEC", "--secrets", scene.secrets.path, "--out", scene.out.path, "--format", format], 0))
            runs.append((["plan", "SPEC", "--secrets", scene.secrets.path, "--out", scene.out.path + "-dev", "--dev", "--format", format], 0))
        }
        for (arguments, status) in runs {
            let run = try scene.run(arguments)
            #expect(run.status == status, "\(arguments.joined(separator: " ")): \(run.output)\(run.stderr)")
            Self.expectNoMarker(run, arguments.joined(separator: " "))
        }
        let written = scene.everythingWritten()
        #expect(written.contains("compose.yaml"))
        #expect(!written.contains("MARKER"), "the secret was written into the output folder")
        let dev = String(decoding: FileManager.default.contents(atPath: scene.out.path + "-dev/compose.yaml") ?? Data(), as: UTF8.self)
        #expect(!dev.isEmpty && !dev.contains("MARKER"))
    }

    @Test func composeNamesTheHostEnvFileInsteadOfTheValue() throws {
        let scene = try Scene()
        let run = try scene.run(["plan", "SPEC", "--out", scene.out.path])
        #expect(run.status == 0, "\(run.output)\(run.stderr)")
        let compose = try String(contentsOf: scene.out.appendingPathComponent("hosts/h1/compose.yaml"), encoding: .utf8)
        let parsed = try #require(try Yams.load(yaml: compose) as? [String: Any])
        let services = try #require(parsed["services"] as? [String: Any])
        let app = try #require(services["app"] as? [String: Any])
        #expect(app["env_file"] as? [String] == [scene.hostFile.path])
        #expect(app["environment"] as? [String: String] == ["LOG_LEVEL": "info"])
        let worker = try #require(services["worker"] as? [String: Any])
        #expect(worker["env_file"] as? [String] == ["/etc/planner/secret/worker.env"])
        #expect(worker["environment"] == nil)
        // Compose reads the host's file when it runs: the value reaches the container, not the deploy folder.
        if ExternalTool.find("docker-compose") != nil {
            let appOnly = scene.directory.url.appendingPathComponent("app-only.yaml")
            var only = parsed
            only["services"] = ["app": app]
            try Data(try Yams.dump(object: only).utf8).write(to: appOnly)
            let result = try ExternalTool.run(try ExternalTool.require("docker-compose"), ["-f", appOnly.path, "config"],
                                              in: scene.directory.url)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("DB_PASSWORD: \(Self.marker)"))
        }
    }

    @Test func missingOrMalformedSecretsAreReportedWithoutTheirValues() throws {
        // Not defined in the secrets file (which holds other values).
        let missing = try Scene(secretsFile: "OTHER=\(Self.marker)\n")
        for format in ["text", "json"] {
            let run = try missing.run(["check", "SPEC", "--secrets", missing.secrets.path, "--format", format])
            #expect(run.status == 2)
            #expect(run.output.contains("secret DB_PASSWORD of purpose 'app' is not defined"), "\(run.output)")
            Self.expectNoMarker(run, "check (missing secret)")
        }
        // A line that is not NAME=value: located by line, not quoted.
        let malformed = try Scene(secretsFile: "DB_PASSWORD=x\n\(Self.marker)\nexport \(Self.marker)=1\n")
        for command in [["check"], ["simulate", "--any", "1"], ["plan", "--out", malformed.out.path]] {
            let run = try malformed.run([command[0], "SPEC", "--secrets", malformed.secrets.path] + command.dropFirst())
            #expect(run.status == 2, "\(run.output)\(run.stderr)")
            #expect(run.output.contains("app.env:2:1: error: line 2 of the secrets file"), "\(run.output)")
            #expect(run.output.contains("app.env:3:1:"), "\(run.output)")
            Self.expectNoMarker(run, command[0] + " (malformed secrets file)")
        }
        #expect(!FileManager.default.fileExists(atPath: malformed.out.path))
        // No secrets folder at all.
        let run = try missing.run(["check", "SPEC", "--secrets", missing.directory.url.appendingPathComponent("nowhere").path])
        #expect(run.status == 2)
        #expect(run.output.contains("[unreadable-file]"))
    }

    /// A value written into the spec where a secret belongs is refused, and the message does not repeat it.
    @Test(arguments: [
        "      TOKEN: { secret: true, value: \(SecretTests.marker) }",
        "      TOKEN: { secret: \(SecretTests.marker) }",
        "      TOKEN: { secret: \"\(SecretTests.marker)\" }",
        "      TOKEN: { secret: [\(SecretTests.marker)] }",
        "      TOKEN: { value: \(SecretTests.marker) }",
        "      TOKEN: { default: \(SecretTests.marker), secret: true }",
        "      TOKEN: { secret: true, file: \"/etc/\(SecretTests.marker) x.env\" }",
    ])
    func aValueInTheSpecIsRefusedWithoutEchoingIt(_ line: String) throws {
        let scene = try Scene(env: line)
        for arguments in [["check", "SPEC"], ["check", "SPEC", "--format", "json"], ["plan", "SPEC", "--out", scene.out.path],
                          ["simulate", "SPEC", "--any", "1", "--format", "json"]] {
            let run = try scene.run(arguments)
            #expect(run.status == 2, "\(line): \(run.output)\(run.stderr)")
            let located = run.output.contains("test.spec:15:") || run.output.replacingOccurrences(of: " ", with: "").contains("\"line\":15")
            #expect(located, "\(line): \(run.output)")
            if !line.contains("file:") { Self.expectNoMarker(run, "\(arguments[0]) with \(line)") }
        }
        #expect(!FileManager.default.fileExists(atPath: scene.out.path))
    }
}
