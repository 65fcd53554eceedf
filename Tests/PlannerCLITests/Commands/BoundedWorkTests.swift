import Foundation
import PlannerTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Inputs whose work once grew faster than their size (issue 18, defect 7): each run must end on its
/// own, well within the guard, with `--time-limit 1`. The guard only catches a hang; how long the
/// runs take is measured in bench/, not here.
@Suite struct BoundedWorkTests {
    /// Far beyond what any of these takes now in a debug build on a loaded machine, far below what
    /// each took before its fix.
    static let guardSeconds = 40.0

    /// Writes `spec` into a fresh folder and runs `planner` on it; `{spec}` in `arguments` is its path.
    static func run(_ spec: String, _ arguments: [String], in directory: TemporaryDirectory) throws -> CapturedRun {
        let file = directory.url.appendingPathComponent("bounded.spec")
        try Data(spec.utf8).write(to: file)
        let resolved = arguments.map { $0 == "{spec}" ? file.path : $0 }
        let run = try PlannerBinary.run(resolved, timeout: guardSeconds)
        #expect(!run.timedOut, "still running after \(guardSeconds) s: planner \(arguments.joined(separator: " "))")
        #expect(!run.signalled, "\(run)")
        return run
    }

    /// `count` hosts h0000… of ample size, each line with `extra` spliced in.
    static func hosts(_ count: Int, extra: String = "") -> String {
        (0..<count).map { i in
            "  h\(String(format: "%04d", i)): { address: 10.\(i / 62_500).\(i / 250 % 250).\(i % 250 + 1), cpu: 256, memory: 2048GiB\(extra) }"
        }.joined(separator: "\n")
    }

    static func name(_ p: Int) -> String { "p" + String(format: "%04d", p) }

    @Test func twoThousandPurposesOnOnePort() throws {
        let purposes = (0..<2_000).map { "  \(Self.name($0)): { image: img:1, replicas: 2, cpu: 1m, memory: 1MiB, ports: ['80:80'] }" }
        let spec = "topology: t\nhosts:\n\(Self.hosts(2_000))\npurposes:\n" + purposes.joined(separator: "\n") + "\n"
        let run = try Self.run(spec, ["check", "{spec}", "--time-limit", "1", "--no-progress"], in: TemporaryDirectory())
        // 2,000 purposes, each on two of 2,000 hosts, but one port per host: no placement, said so.
        #expect(run.status == 1, "\(run)")
        #expect(run.output.contains("conflicting-purposes") || run.output.contains("no placement"), "\(run.output.suffix(2_000))")
    }

    @Test func aThousandMutuallyAvoidingPurposes() throws {
        let all = (0..<1_000).map(Self.name)
        let purposes = all.enumerated().map { p, name in
            "  \(name): { image: img:1, replicas: 1, cpu: 1m, memory: 1MiB, placement: { avoid: [\(all.enumerated().filter { $0.offset != p }.map(\.element).joined(separator: ","))] } }"
        }
        let spec = "topology: t\nfailures: { hosts: 0 }\nhosts:\n\(Self.hosts(1_000))\npurposes:\n" + purposes.joined(separator: "\n") + "\n"
        let run = try Self.run(spec, ["check", "{spec}", "--time-limit", "1", "--steps", "10", "--no-progress"], in: TemporaryDirectory())
        // One purpose per host fits exactly.
        #expect(run.status == 0, "\(run.output.suffix(2_000))")
    }

    @Test func aMillionReplicasBinpacked() throws {
        let spec = "topology: t\nstrategy: binpack\nhosts:\n\(Self.hosts(10))\npurposes:\n"
            + "  p: { image: img:1, replicas: 1000000, cpu: 1m, memory: 1MiB }\n"
        let run = try Self.run(spec, ["check", "{spec}", "--time-limit", "1", "--no-progress"], in: TemporaryDirectory())
        #expect(run.status == 0, "\(run.output.suffix(2_000))")
        // 1,000 cores on hosts of 256: four hosts is the capacity bound, so the claim can be checked here.
        #expect(run.output.contains("4 hosts used, optimal"), "\(run.output.prefix(400))")
    }

    @Test func everySetOfFiveOfTwoHundredHosts() throws {
        let purposes = (0..<20).map { "  \(Self.name($0)): { image: img:1, replicas: 3, cpu: 1, memory: 1GiB }" }
        let spec = "topology: t\nhosts:\n\(Self.hosts(200))\npurposes:\n" + purposes.joined(separator: "\n") + "\n"
        let run = try Self.run(spec, ["simulate", "{spec}", "--any", "5", "--time-limit", "1", "--no-progress"], in: TemporaryDirectory())
        // Sets of five hosts can take any purpose of three replicas down: status 1, with the worst set named.
        #expect(run.status == 1, "\(run.output.suffix(2_000))")
        #expect(run.output.contains("the worst set"), "\(run.output.suffix(2_000))")
    }

    @Test func aHundredThousandLabels() throws {
        let labels = (0..<100_000).map { "l\($0)" }.joined(separator: ",")
        let spec = "topology: t\nhosts:\n\(Self.hosts(4, extra: ", labels: [\(labels)]"))\npurposes:\n"
            + "  p: { image: img:1, replicas: 2, cpu: 1, memory: 1GiB, placement: { labels: [\(labels)] } }\n"
        let directory = try TemporaryDirectory()
        let out = directory.url.appendingPathComponent("out").path
        let run = try Self.run(spec, ["plan", "{spec}", "--out", out, "--time-limit", "1", "--no-progress"], in: directory)
        #expect(run.status == 0, "\(run.output.suffix(2_000))")
    }

    @Test func aFolderNestedFourThousandDeepInTheOutputFolder() throws {
        let spec = "topology: t\nhosts:\n\(Self.hosts(2))\npurposes:\n  p: { image: img:1, replicas: 2, cpu: 1, memory: 1GiB }\n"
        let directory = try TemporaryDirectory()
        let out = directory.url.appendingPathComponent("out")
        #expect(try Self.run(spec, ["plan", "{spec}", "--out", out.path, "--no-progress"], in: directory).status == 0)
        try Self.nest(4_000, under: out.path)
        let run = try Self.run(spec, ["plan", "{spec}", "--out", out.path, "--no-progress"], in: directory)
        #expect(run.status == 0, "\(run)")
        #expect(run.output.contains("left alone") && run.output.contains("/d/ (not generated by planner)"), "\(run.output)")
        // Removing it needs the same relative walk; rm -r does that.
        _ = try ProcessCapture.run(URL(fileURLWithPath: "/bin/rm"), ["-rf", out.appendingPathComponent("d").path],
                                   in: directory.url, timeout: Self.guardSeconds)
    }

    /// Folders d/d/…/d `depth` deep under `path` with a file at the bottom, made relative to open
    /// descriptors: the full path is longer than PATH_MAX.
    static func nest(_ depth: Int, under path: String) throws {
        var fd = open(path, O_RDONLY | O_DIRECTORY)
        try #require(fd >= 0)
        for _ in 0..<depth {
            try #require(mkdirat(fd, "d", 0o755) == 0)
            let next = openat(fd, "d", O_RDONLY | O_DIRECTORY)
            close(fd)
            try #require(next >= 0)
            fd = next
        }
        let file = openat(fd, "f", O_WRONLY | O_CREAT | O_EXCL, 0o644)
        close(fd)
        try #require(file >= 0)
        close(file)
    }

    @Test func aThreeMegabyteEnvValueOnFourHundredReplicas() throws {
        let spec = "topology: t\nhosts:\n\(Self.hosts(10))\npurposes:\n"
            + "  p: { image: img:1, replicas: 400, cpu: 1m, memory: 10MiB, env: { BIG: '\(String(repeating: "x", count: 3_000_000))' } }\n"
        let directory = try TemporaryDirectory()
        let out = directory.url.appendingPathComponent("out")
        let run = try Self.run(spec, ["plan", "{spec}", "--out", out.path, "--no-progress"], in: directory)
        #expect(run.status == 2, "\(run.output.suffix(2_000)) \(run.stderr.suffix(2_000))")
        let text = run.output + run.stderr
        #expect(text.contains("[too-large]") && text.contains("env BIG of purpose 'p'") && text.contains(":\(4 + 10):"), "\(text.suffix(2_000))")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    @Test(arguments: [(count: 131_072 - "BIG=".utf8.count - 1, refused: false), (count: 131_072 - "BIG=".utf8.count, refused: true)])
    func theLargestEnvValueLinuxStarts(count: Int, refused: Bool) throws {
        let spec = "topology: t\nhosts:\n\(Self.hosts(2))\npurposes:\n"
            + "  p: { image: img:1, replicas: 2, cpu: 1m, memory: 10MiB, env: { BIG: '\(String(repeating: "x", count: count))' } }\n"
        let run = try Self.run(spec, ["check", "{spec}", "--no-progress"], in: TemporaryDirectory())
        #expect(run.status == (refused ? 2 : 0), "\((run.output + run.stderr).suffix(1_000))")
    }

    @Test func manyEnvValuesTogetherTooLargeForOnePurpose() throws {
        let vars = (0..<20).map { "V\($0): '\(String(repeating: "x", count: 120_000))'" }.joined(separator: ", ")
        let spec = "topology: t\nhosts:\n\(Self.hosts(2))\npurposes:\n"
            + "  p: { image: img:1, replicas: 2, cpu: 1m, memory: 10MiB, env: { \(vars) } }\n"
        let run = try Self.run(spec, ["check", "{spec}", "--no-progress"], in: TemporaryDirectory())
        let text = run.output + run.stderr
        #expect(run.status == 2 && text.contains("the environment of purpose 'p'") && text.contains("ARG_MAX"), "\(text.suffix(1_000))")
    }

    @Test(arguments: [1_000, 1_001, 20_000])
    func repeatedOptions(count: Int) throws {
        let spec = "topology: t\nhosts:\n\(Self.hosts(3))\npurposes:\n  p: { image: img:1, replicas: 2, cpu: 1, memory: 1GiB }\n"
        // `--fail h0000` is two arguments; the spec path makes the count exactly `count`.
        let repeats = Array(repeating: ["--no-progress"], count: count - 2).flatMap { $0 }
        let run = try Self.run(spec, ["simulate", "{spec}"] + repeats, in: TemporaryDirectory())
        if count <= 1_000 {
            #expect(run.status == 0 || run.status == 1, "\(run)")
        } else {
            #expect(run.status == 2, "\(run)")
            #expect(run.stderr.contains("\(count) arguments, more than the 1000"), "\(run.stderr)")
        }
    }
}
