// The meter that turns a solve's step counts into rare progress reports.

import Foundation

/// Turns the step counts of one solve's phases into rare `SolverProgress` reports: when a better
/// placement is found, and otherwise at most every `interval` seconds (the searches offer a report
/// only every `stepMask + 1` steps, so the clock stays out of the inner loop).
///
/// It keeps its own running total because each phase (the heuristic, every search and bisection
/// probe) counts its steps from zero. One meter belongs to one `Solver.solve()` and is only used on
/// the thread running it; it travels inside `SolverLimits`, hence `@unchecked Sendable`.
final class ProgressMeter: @unchecked Sendable {
    static let interval = 0.25
    /// Phases offer a report when their step count has these bits clear: every 1,024 steps, so a look at
    /// the clock costs next to nothing, yet heavy steps (a heuristic move on a thousand hosts, a search
    /// step on forty) still report a few times a second.
    static let stepMask = 0x3FF

    private let report: @Sendable (SolverProgress) -> Void
    private let stepLimit: Int
    private let lowerBound: Objective
    private let started: Date
    /// The wall clock (a fake one in tests).
    private let now: () -> Date
    private var lastReport: Date
    /// Steps of the phases that have ended.
    private var finishedSteps = 0
    private var lastSteps = 0
    private var best: Objective?

    init(_ report: @escaping @Sendable (SolverProgress) -> Void, stepLimit: Int, lowerBound: Objective, started: Date,
         now: @escaping () -> Date = Date.init) {
        self.report = report
        self.stepLimit = stepLimit
        self.lowerBound = lowerBound
        self.started = started
        self.now = now
        self.lastReport = started
    }

    /// The heuristic is running and has taken `steps` steps.
    func heuristicRunning(steps: Int) { offer(.heuristic, steps: steps, found: nil) }

    /// The heuristic holds a placement with this objective and is improving it.
    func heuristicFound(_ objective: Objective, steps: Int) { offer(.heuristic, steps: steps, found: objective) }

    /// The heuristic ended; its placement, if any, is the first incumbent.
    func heuristicFinished(steps: Int, found: Objective?) {
        offer(.heuristic, steps: steps, found: found)
        finishedSteps += steps
    }

    /// A complete search (or bisection probe) is running and has taken `steps` steps.
    func searchRunning(steps: Int) { offer(.search, steps: steps, found: nil) }

    /// A complete search found a placement with this objective.
    func searchFound(_ objective: Objective, steps: Int) { offer(.search, steps: steps, found: objective) }

    /// A complete search (or probe) ended after `steps` steps.
    func searchFinished(steps: Int) { finishedSteps += steps }

    /// Reports a better placement at once, anything else only when `interval` has passed since the last report.
    private func offer(_ phase: SolverProgress.Phase, steps: Int, found: Objective?) {
        var improved = false
        if let found, best.map({ found < $0 }) ?? true {
            best = found
            improved = true
        }
        let time = now()
        guard improved || time.timeIntervalSince(lastReport) >= ProgressMeter.interval else { return }
        lastReport = time
        lastSteps = min(stepLimit, max(lastSteps, finishedSteps + steps))
        report(SolverProgress(phase: phase, steps: lastSteps, stepLimit: stepLimit, seconds: time.timeIntervalSince(started),
                              best: best, lowerBound: lowerBound))
    }
}

extension SolverLimits {
    /// These limits with a fresh meter for `progress` (none without it), for a solve that started at `clock`.
    func metered(clock: Date, lowerBound: Objective) -> SolverLimits {
        var limits = self
        limits.meter = progress.map { ProgressMeter($0, stepLimit: steps, lowerBound: lowerBound, started: clock) }
        return limits
    }

    /// These limits reporting to `meter` (a bisection probe of the solve that owns it).
    func observed(by meter: ProgressMeter?) -> SolverLimits {
        var limits = self
        limits.meter = meter
        return limits
    }
}
