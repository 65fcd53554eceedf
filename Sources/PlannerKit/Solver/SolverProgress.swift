/// A snapshot of a running solve, for a caller that wants to show that a long solve is alive (the
/// CLI's line on stderr). Reports only read the search, so the answer is the same with or without them.
public struct SolverProgress: Sendable, Equatable {
    /// Which part of the solve is running.
    public enum Phase: String, Sendable {
        /// The constructive placement and its local search: the whole solve for large problems.
        case heuristic
        /// The complete search (on small problems a short one before the heuristic, and after it the
        /// one that improves on the heuristic's placement or proves it optimal), and the
        /// configuration LP, which does both too.
        case search
    }

    public var phase: Phase
    /// Steps taken by the whole solve so far: never more than `stepLimit`, never fewer than in an earlier report.
    public var steps: Int
    public var stepLimit: Int
    /// Wall-clock seconds since the solve started.
    public var seconds: Double
    /// The objective of the best placement so far; nil until there is one.
    public var best: Objective?
    /// No placement can do better than this (`Solver.lowerBound`).
    public var lowerBound: Objective

    public init(phase: Phase, steps: Int, stepLimit: Int, seconds: Double, best: Objective?, lowerBound: Objective) {
        self.phase = phase
        self.steps = steps
        self.stepLimit = stepLimit
        self.seconds = seconds
        self.best = best
        self.lowerBound = lowerBound
    }
}
