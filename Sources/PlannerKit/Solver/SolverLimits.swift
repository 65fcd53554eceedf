/// How much work a solve may do.
public struct SolverLimits: Sendable {
    /// Search steps (one step: one host-count decision of the complete search, or one move or repair
    /// step of the heuristic; a whole construction pass, O(R log H), counts as at most one; the
    /// complete search's forward checks count one per `Search.pairsPerStep` pairs they examine, the
    /// configuration LP's work one per `ConfigurationWork.unitsPerStep` units). The answer depends
    /// only on this, so the same spec gives the same placement on every run and machine.
    public var steps: Int
    /// A safety net in wall-clock seconds. Hitting it (rather than the step limit) is the one case
    /// in which a rerun may answer differently; the result says when it happened.
    public var seconds: Double?
    /// Stop at the first placement found instead of optimising.
    public var feasibilityOnly: Bool
    /// Told now and then how the solve is going (`SolverProgress`); it only watches, the answer is the same without it.
    public var progress: (@Sendable (SolverProgress) -> Void)?
    /// The running solve's `ProgressMeter` for `progress`, set by `Solver.solve()`.
    var meter: ProgressMeter?

    public init(steps: Int = 2_000_000, seconds: Double? = nil, feasibilityOnly: Bool = false,
                progress: (@Sendable (SolverProgress) -> Void)? = nil) {
        self.steps = steps
        self.seconds = seconds
        self.feasibilityOnly = feasibilityOnly
        self.progress = progress
    }
}
