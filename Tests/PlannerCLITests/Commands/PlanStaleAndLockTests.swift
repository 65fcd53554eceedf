import Foundation
@testable import PlannerKit
import PlannerTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a rerun of `planner plan` may remove (only files the `.planner` marker records as written last time),
/// and the folder's lock: a second run at the same time is refused and changes nothing.
@Suite struct PlanStaleAndLockTests {
    typealias Scene = PlanWriterTests.Scene
    static func snapshot(_ folder: URL) -> [String: String] { WriteFaultTests.snapshot(folder).files }

    @Test func aBackupCopyOfAGeneratedFileSurvivesARerun() throws {
        let scene = try Scene()
        #expect(try scene.plan().status == 0)
        let compose = scene.out.appendingPathComponent("hosts/h1/compose.yaml")
        let backup = scene.out.appendingPathComponent("hosts/h1/compose.yaml.bak")
        try FileManager.default.copyItem(at: compose, to: backup)
        let again = try scene.plan()
        #expect(again.status == 0, "\(again)")
        #expect(again.output.contains("0 removed"), "\(again.output)")
        #expect(try Data(contentsOf: backup) == Data(contentsOf: compose))
    }

    @Test func forceIntoAParentFolderKeepsAnotherTopologysFiles() throws {
        let scene = try Scene()
        let child = scene.out.appendingPathComponent("other")
        let first = try PlannerBinary.run(["plan", scene.specPath, "--out", child.path])
        #expect(first.status == 0, "\(first)")
        let before = Self.snapshot(child)
        #expect(before.keys.contains("placement.json"))
        let refused = try scene.plan()
        #expect(refused.status == 2, "\(refused)")
        let forced = try scene.plan(["--force"])
        #expect(forced.status == 0, "\(forced)")
        #expect(forced.output.contains("0 removed"), "\(forced.output)")
        #expect(Self.snapshot(child) == before)
        // And a rerun into the parent, now planner's, still leaves the child alone.
        let again = try scene.plan()
        #expect(again.status == 0, "\(again)")
        #expect(Self.snapshot(child) == before)
    }

    static let withoutH3 = PlanWriterTests.spec
        .replacingOccurrences(of: "  h3: { address: 10.0.0.3, cpu: 4, memory: 4GiB }\n", with: "")

    @Test func aHostRemovedFromTheSpecIsStillRemoved() throws {
        let scene = try Scene()
        #expect(try scene.plan().status == 0)
        #expect(scene.files().contains("hosts/h3/compose.yaml"))
        try scene.write(Self.withoutH3)
        let run = try scene.plan()
        #expect(run.status == 0, "\(run)")
        #expect(run.output.contains("removed"))
        #expect(!scene.files().contains { $0.hasPrefix("hosts/h3") })
        let marker = try String(contentsOf: scene.out.appendingPathComponent(".planner"), encoding: .utf8)
        #expect(!marker.contains("hosts/h3"), "the record no longer lists what was removed")
    }

    @Test func aMarkerWithoutARecordRemovesNothing() throws {
        let scene = try Scene()
        #expect(try scene.plan().status == 0)
        // What an older planner wrote: the marker alone, no record.
        try Data(FileWriter.markerText.utf8).write(to: scene.out.appendingPathComponent(".planner"))
        try scene.write(Self.withoutH3)
        let run = try scene.plan()
        #expect(run.status == 0, "\(run)")
        #expect(scene.files().contains("hosts/h3/compose.yaml"))
        // That run recorded what it wrote, so the next one would remove a host dropped then.
        let marker = try String(contentsOf: scene.out.appendingPathComponent(".planner"), encoding: .utf8)
        #expect(marker.contains("hosts/h1/compose.yaml") && !marker.contains("hosts/h3"))
    }

    @Test func aHeldLockRefusesTheRunAndChangesNothing() throws {
        let scene = try Scene()
        #expect(try scene.plan().status == 0)
        try scene.write(Self.withoutH3)
        let before = WriteFaultTests.snapshot(scene.out)
        let fd = open(scene.out.appendingPathComponent(FileWriter.lockName).path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress!, pid.count, 0) }
        let run = try scene.plan()
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("another planner run holds the lock on \(scene.out.path) (pid \(getpid()))"), "\(run.stderr)")
        let after = WriteFaultTests.snapshot(scene.out)
        #expect(after.files == before.files)
        #expect(after.folders == before.folders)
        _ = flock(fd, LOCK_UN)
        let unlocked = try scene.plan()
        #expect(unlocked.status == 0, "\(unlocked)")
        #expect(!scene.files().contains("hosts/h3/compose.yaml"))
    }

    final class Results: @unchecked Sendable {
        let lock = NSLock()
        var runs: [Int: CapturedRun] = [:]
        var errors: [String] = []
    }

    /// Two runs of two different specs into one folder at once: the folder ends as exactly one run's output
    /// (the one that succeeded last), and a run that did not get the lock was refused with the lock message.
    @Test func concurrentRunsLeaveExactlyOneRunsOutput() throws {
        let directory = try TemporaryDirectory()
        let specs = [directory.url.appendingPathComponent("a.spec"), directory.url.appendingPathComponent("b.spec")]
        try Data(PlanWriterTests.spec.utf8).write(to: specs[0])
        try Data(WriteFaultTests.grown.utf8).write(to: specs[1])
        var expected: [[String: String]] = []
        for (index, spec) in specs.enumerated() {
            let fresh = directory.url.appendingPathComponent("fresh\(index)")
            let run = try PlannerBinary.run(["plan", spec.path, "--out", fresh.path])
            #expect(run.status == 0, "\(run)")
            expected.append(Self.snapshot(fresh))
        }
        #expect(expected[0] != expected[1])
        var refusals = 0
        for pair in 0..<4 {
            let out = directory.url.appendingPathComponent("shared\(pair)")
            let results = Results()
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                do {
                    // --fresh: a run that finds the other's placement.json would re-plan from it (not what is tested).
                    let run = try PlannerBinary.run(["plan", specs[index].path, "--out", out.path, "--fresh"])
                    results.lock.lock(); results.runs[index] = run; results.lock.unlock()
                } catch {
                    results.lock.lock(); results.errors.append("\(error)"); results.lock.unlock()
                }
            }
            #expect(results.errors.isEmpty, "\(results.errors)")
            guard let first = results.runs[0], let second = results.runs[1] else { continue }
            let runs = [first, second]
            for run in runs where run.status != 0 {
                #expect(run.status == 1, "\(run)")
                #expect(run.stderr.contains("another planner run holds the lock on \(out.path)"), "\(run)")
                refusals += 1
            }
            let now = Self.snapshot(out)
            #expect(now == expected[0] || now == expected[1], "pair \(pair): the folder is a mix of both runs")
            let succeeded = runs.indices.filter { runs[$0].status == 0 }
            #expect(!succeeded.isEmpty, "pair \(pair): at least one run gets the lock")
            if succeeded.count == 1 { #expect(now == expected[succeeded[0]], "pair \(pair)") }
        }
        // Not asserted: whether the runs overlapped at all depends on the scheduler.
        _ = refusals
    }
}
