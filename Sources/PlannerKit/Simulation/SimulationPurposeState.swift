// What one purpose keeps after a named failure.

/// A purpose after a failure.
public struct SimulationPurposeState: Sendable, Hashable {
    public var name: String
    /// A load balancer (`balancers:`) rather than a purpose.
    public var isBalancer: Bool
    public var replicas: Int
    /// `min_available`, resolved.
    public var required: Int
    /// `min_available: majority`: down means quorum lost.
    public var isMajority: Bool
    /// `survive` is zero everywhere: a single point of failure the spec accepts.
    public var acceptsSinglePointOfFailure: Bool
    public var left: Int
    public var status: SimulationStatus
    /// Further host failures it survives from here, worst case; nil when no set of the surviving hosts takes it down.
    public var margin: Int?
    /// The smallest set of surviving hosts whose failure takes it down next (empty when already down or when none does).
    public var nextCut: [String]

    public var lost: Int { replicas - left }
}
