// What became of a purpose in a failure: up, degraded or down.

/// What became of a purpose in a failure scenario.
public enum SimulationStatus: String, Sendable, CaseIterable, Comparable {
    /// Every replica is left.
    case up
    /// Fewer replicas, but at least `min_available`.
    case degraded
    /// Below `min_available` (for a `majority` purpose: quorum lost).
    case down

    /// The status of a purpose with `left` of its `replicas`, `required` of which must stay up.
    public static func of(left: Int, replicas: Int, required: Int) -> SimulationStatus {
        left < required ? .down : left < replicas ? .degraded : .up
    }

    private var rank: Int { self == .up ? 0 : self == .degraded ? 1 : 2 }
    public static func < (lhs: SimulationStatus, rhs: SimulationStatus) -> Bool { lhs.rank < rhs.rank }
}
