import Foundation
import PlannerSpec
import PlannerTestSupport
import Testing
@testable import PlannerKit

/// Progress reports watch a solve without steering it: they come in order, rarely, within the step
/// limit, and the answer is the same with or without them.
@Suite struct SolverProgressTests {
    /// Specs whose complete search runs for a while (Tests/Fixtures/long-solves), with a step budget.
    static let longSolves: [(file: String, steps: Int)] = [("binpack-8-hosts.spec", 50_000), ("spread-8-hosts.spec", 30_000)]

    static func problem(_ file: String) throws -> PlacementProblem {
        let path = PackageRoot.url.appendingPathComponent("Tests/Fixtures/long-solves/\(file)").path
        return PlacementProblem(try #require(SpecLoader.load(path: path).topology, "\(file) does not load"))
    }

    @Test("a long solve is reported in order, within its step limit, and answers as it does unwatched",
          arguments: longSolves.map(\.file))
    func reportsWatchWithoutSteering(file: String) throws {
        let steps = try #require(Self.longSolves.first { $0.file == file }).steps
        let problem = try Self.problem(file)
        let unwatched = Solver(problem, limits: .init(steps: steps)).solve()
        let reports = Reports()
        let started = Date()
        let watched = Solver(problem, limits: .init(steps: steps, progress: reports.append)).solve()
        let elapsed = Date().timeIntervalSince(started)

        #expect(watched.assignment == unwatched.assignment)
        #expect(watched.status == unwatched.status)
        #expect(watched.objective == unwatched.objective)
        #expect(watched.steps == unwatched.steps)
        #expect(watched.lowerBound == unwatched.lowerBound)

        let seen = reports.all
        try #require(!seen.isEmpty, "\(file): no progress reported")
        for (earlier, later) in zip(seen, seen.dropFirst()) {
            #expect(earlier.steps <= later.steps, "\(file): steps went back from \(earlier.steps) to \(later.steps)")
            #expect(earlier.seconds <= later.seconds)
            if let best = earlier.best { #expect(later.best.map { $0 <= best } == true, "\(file): the best got worse") }
        }
        for report in seen {
            #expect(report.steps <= steps && report.stepLimit == steps)
            #expect(report.lowerBound == Solver.lowerBound(problem))
        }
        // Every better placement is reported when found, so the last report knows the answer.
        #expect(seen.last?.best == watched.objective)
        // Rarely: once per better placement, otherwise at most once per interval.
        let improvements = Set(seen.compactMap { $0.best.map(\.description) }).count
        #expect(seen.count <= improvements + Int(elapsed / ProgressMeter.interval), "\(seen.count) reports in \(elapsed) s")
        // Long enough to have been reported while the complete search ran (not only by the heuristic).
        if elapsed > 4 * ProgressMeter.interval {
            #expect(seen.contains { $0.phase == .search }, "\(file): nothing reported from the search in \(elapsed) s")
        }
    }

    /// (If the heuristic comes to place this fixture optimally by itself, pick another instance whose
    /// search improves on it, or this test no longer reaches `Search.record`.)
    @Test("the binpack fixture's search finds placements the heuristic does not, and each is reported at once")
    func searchIncumbentsAreReported() throws {
        let problem = try Self.problem("binpack-8-hosts.spec")
        let reports = Reports()
        let result = Solver(problem, limits: .init(steps: 50_000, progress: reports.append)).solve()
        let found = reports.all.filter { $0.phase == .search && $0.best != nil }
        #expect(!found.isEmpty)
        #expect(found.last?.best == result.objective)
    }

    @Test("a meter totals the phases' steps, clamps them to the limit, reports better placements at once, the rest rarely")
    func meterThrottlesAndTotals() {
        let start = Date(timeIntervalSince1970: 1_000)
        let clock = FakeClock(start)
        let reports = Reports()
        let meter = ProgressMeter(reports.append, stepLimit: 10_000, lowerBound: .hostsUsed(3), started: start, now: clock.now)

        clock.advance(0.1)
        meter.heuristicRunning(steps: 1_024)                            // too soon: nothing
        meter.heuristicFinished(steps: 1_500, found: .hostsUsed(9))     // a first placement: at once
        clock.advance(0.05)
        meter.searchFound(.hostsUsed(10), steps: 10)                    // not better: nothing
        meter.searchFound(.hostsUsed(8), steps: 20)                     // better: at once, steps 1,500 + 20
        meter.searchRunning(steps: 1_024)                               // too soon after it
        meter.searchFinished(steps: 2_000)
        clock.advance(0.3)
        meter.searchRunning(steps: 1_024)                               // a second search: 1,500 + 2,000 + 1,024
        clock.advance(0.3)
        meter.searchRunning(steps: 9_000)                               // clamped to the limit

        #expect(reports.all.map(\.rounded) == [
            SolverProgress(phase: .heuristic, steps: 1_500, stepLimit: 10_000, seconds: 0.1, best: .hostsUsed(9), lowerBound: .hostsUsed(3)),
            SolverProgress(phase: .search, steps: 1_520, stepLimit: 10_000, seconds: 0.15, best: .hostsUsed(8), lowerBound: .hostsUsed(3)),
            SolverProgress(phase: .search, steps: 4_524, stepLimit: 10_000, seconds: 0.45, best: .hostsUsed(8), lowerBound: .hostsUsed(3)),
            SolverProgress(phase: .search, steps: 10_000, stepLimit: 10_000, seconds: 0.75, best: .hostsUsed(8), lowerBound: .hostsUsed(3)),
        ])
    }

    @Test("without a progress closure a solve has no meter")
    func noClosureNoMeter() {
        let limits = SolverLimits(steps: 10).metered(clock: Date(), lowerBound: .hostsUsed(1))
        #expect(limits.meter == nil)
        #expect(SolverLimits(steps: 10, progress: { _ in }).metered(clock: Date(), lowerBound: .hostsUsed(1)).meter != nil)
    }
}

/// Reports as they arrive (on the solving thread; the lock is for the closure's `@Sendable`).
final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [SolverProgress] = []

    var all: [SolverProgress] { lock.withLock { reports } }

    func append(_ report: SolverProgress) { lock.withLock { reports.append(report) } }
}

/// A clock that moves only when told.
final class FakeClock: @unchecked Sendable {
    private var time: Date
    init(_ start: Date) { time = start }
    func now() -> Date { time }
    func advance(_ seconds: Double) { time += seconds }
}

extension SolverProgress {
    /// Seconds to the millisecond, so sums of clock steps compare exactly.
    var rounded: SolverProgress {
        var copy = self
        copy.seconds = (seconds * 1000).rounded() / 1000
        return copy
    }
}
