import Foundation
import PlannerTestSupport
import Testing

/// `planner plan` on disk: what it writes, that a rerun rewrites nothing, what it removes and refuses.
@Suite struct PlanWriterTests {
    static let spec = """
        topology: small
        hosts:
          h1: { address: 10.0.0.1, cpu: 4, memory: 4GiB }
          h2: { address: 10.0.0.2, cpu: 4, memory: 4GiB }
          h3: { address: 10.0.0.3, cpu: 4, memory: 4GiB }
        purposes:
          app: { image: "a:1", replicas: 2, cpu: 1, memory: 1GiB, ports: ["8080"] }
        balancers:
          lb: { kind: haproxy, routes: [{ listen: 80, purpose: app }] }
        """

    /// A temporary folder holding `spec` as test.spec; `plan` writes into `out` inside it.
    struct Scene {
        let directory: TemporaryDirectory
        var specPath: String { directory.url.appendingPathComponent("test.spec").path }
        var out: URL { directory.url.appendingPathComponent("out") }

        init(_ text: String = PlanWriterTests.spec) throws {
            directory = try TemporaryDirectory()
            try write(text)
        }

        func write(_ text: String) throws { try Data(text.utf8).write(to: URL(fileURLWithPath: specPath)) }

        func plan(_ extra: [String] = []) throws -> CapturedRun {
            try PlannerBinary.run(["plan", specPath, "--out", out.path] + extra)
        }

        func files() -> [String] {
            let base = out.standardizedFileURL.path
            let enumerator = FileManager.default.enumerator(atPath: base)
            var found: [String] = []
            while let next = enumerator?.nextObject() as? String {
                var isDirectory: ObjCBool = false
                // The lock file holds the pid of the last run: bookkeeping, not output.
                if next == ".planner.lock" { continue }
                if FileManager.default.fileExists(atPath: base + "/" + next, isDirectory: &isDirectory), !isDirectory.boolValue {
                    found.append(next)
                }
            }
            return found.sorted()
        }

        func modificationTimes() throws -> [String: Date] {
            var times: [String: Date] = [:]
            for file in files() {
                times[file] = try FileManager.default.attributesOfItem(atPath: out.path + "/" + file)[.modificationDate] as? Date
            }
            return times
        }
    }

    @Test func writesTheDeployFolder() throws {
        let scene = try Scene()
        let run = try scene.plan()
        #expect(run.status == 0, "\(run.output)\(run.stderr)")
        let files = scene.files()
        #expect(files.contains(".planner"))
        #expect(files.contains("placement.json"))
        #expect(files.contains("balancers/lb/haproxy.cfg"))
        #expect(files.filter { $0.hasPrefix("hosts/") && $0.hasSuffix("/compose.yaml") }.count == 3)
        #expect(!files.contains { $0.contains(".planner-tmp") })
        #expect(run.output.contains("wrote"))
    }

    @Test func rerunRewritesNothing() throws {
        let scene = try Scene()
        #expect(try scene.plan().status == 0)
        let before = try scene.modificationTimes()
        Thread.sleep(forTimeInterval: 1.1)
        let again = try scene.plan()
        #expect(again.status == 0)
        #expect(try scene.modificationTimes() == before)
        #expect(!again.output.contains("wrote "))
        #expect(again.output.contains("0 written"))
    }

    @Test func staleGeneratedFilesGoForeignFilesStay() throws {
        let scene = try Scene()
        #expect(try scene.plan().status == 0)
        try Data("my notes\n".utf8).write(to: scene.out.appendingPathComponent("notes.txt"))
        try Data("services: {}\n".utf8).write(to: scene.out.appendingPathComponent("hosts/h1/extra.yaml"))
        // Both purposes kept off h3: it no longer runs anything.
        try scene.write("""
            topology: small
            hosts:
              h1: { address: 10.0.0.1, cpu: 4, memory: 4GiB }
              h2: { address: 10.0.0.2, cpu: 4, memory: 4GiB }
              h3: { address: 10.0.0.3, cpu: 4, memory: 4GiB }
            purposes:
              app: { image: "a:1", replicas: 2, cpu: 1, memory: 1GiB, ports: ["8080"], placement: { hosts: [h1, h2] } }
            balancers:
              lb: { kind: haproxy, routes: [{ listen: 80, purpose: app }], placement: { hosts: [h1, h2] } }
            """)
        let dry = try scene.plan(["--dry-run"])
        #expect(dry.status == 0, "\(dry.output)\(dry.stderr)")
        #expect(dry.output.contains("would remove"))
        #expect(scene.files().contains { $0.hasPrefix("hosts/h3") })
        let run = try scene.plan()
        #expect(run.status == 0, "\(run.output)\(run.stderr)")
        let files = scene.files()
        #expect(files.contains("notes.txt"))
        #expect(files.contains("hosts/h1/extra.yaml"))
        #expect(!files.contains("hosts/h3/compose.yaml"))
        #expect(!FileManager.default.fileExists(atPath: scene.out.appendingPathComponent("hosts/h3").path))
        #expect(run.output.contains("removed"))
        #expect(run.output.contains("notes.txt (not generated by planner)"))
    }

    @Test func leftoversOfAnInterruptedRunAreCleanedUp() throws {
        let scene = try Scene()
        #expect(try scene.plan().status == 0)
        let placement = scene.out.appendingPathComponent("placement.json")
        let before = try Data(contentsOf: placement)
        // A run killed between writing its temporary file and renaming it leaves this behind.
        try Data("half-written".utf8).write(to: scene.out.appendingPathComponent(".placement.json.planner-tmp"))
        let run = try scene.plan(["--format", "json"])
        #expect(run.status == 0)
        let object = try run.json()
        #expect(object["ok"] as? Bool == true)
        #expect((object["written"] as? [String])?.isEmpty == true)
        #expect(!scene.files().contains { $0.hasSuffix(".planner-tmp") })
        #expect(try Data(contentsOf: placement) == before)
    }

    @Test func refusesAForeignFolderUnlessForced() throws {
        let scene = try Scene()
        try FileManager.default.createDirectory(at: scene.out, withIntermediateDirectories: true)
        try Data("keep\n".utf8).write(to: scene.out.appendingPathComponent("mine.txt"))
        let refused = try scene.plan()
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--force"))
        #expect(scene.files() == ["mine.txt"])
        let forced = try scene.plan(["--force"])
        #expect(forced.status == 0)
        #expect(scene.files().contains("mine.txt") && scene.files().contains("placement.json"))
        #expect(try String(contentsOf: scene.out.appendingPathComponent("mine.txt"), encoding: .utf8) == "keep\n")
    }

    @Test func neverWritesThroughALink() throws {
        let scene = try Scene()
        let outside = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: scene.out, withIntermediateDirectories: true)
        try Data("# Generated by planner: marker\n".utf8).write(to: scene.out.appendingPathComponent(".planner"))
        try FileManager.default.createSymbolicLink(at: scene.out.appendingPathComponent("hosts"), withDestinationURL: outside.url)
        let run = try scene.plan()
        #expect(run.status != 0)
        #expect(run.stderr.contains("symbolic link"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.url.path).isEmpty)
    }

    @Test func writesNothingWhenCheckFindsErrors() throws {
        let malformed = try Scene(Self.spec.replacingOccurrences(of: "purpose: app", with: "purpose: ap"))
        let run = try malformed.plan()
        #expect(run.status == 2)
        #expect(run.output.contains("[unknown-purpose]"))
        #expect(run.stderr.contains("nothing written"))
        #expect(!FileManager.default.fileExists(atPath: malformed.out.path))

        let unplaceable = try Scene(Self.spec.replacingOccurrences(of: "replicas: 2", with: "replicas: 4"))
        let placed = try unplaceable.plan()
        #expect(placed.status == 1)
        #expect(!FileManager.default.fileExists(atPath: unplaceable.out.path))
    }

    @Test func devWritesOneComposeFile() throws {
        let scene = try Scene()
        let run = try scene.plan(["--dev"])
        #expect(run.status == 0, "\(run.output)\(run.stderr)")
        #expect(scene.files() == [".planner", "balancers/lb/haproxy.cfg", "compose.yaml"])
    }

    @Test func defaultFolderIsDeployTopology() throws {
        let scene = try Scene()
        let run = try PlannerBinary.run(["plan", scene.specPath, "--dry-run"], in: scene.directory.url)
        #expect(run.status == 0)
        #expect(run.output.contains("would write  deploy/small/placement.json"))
        #expect(!FileManager.default.fileExists(atPath: scene.directory.url.appendingPathComponent("deploy").path))
    }
}
