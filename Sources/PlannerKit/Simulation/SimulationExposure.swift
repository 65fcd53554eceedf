// How exposed one purpose is to the failure of any k units.

/// How exposed one purpose is to the failure of any k units (hosts, racks or zones).
public struct SimulationExposure: Sendable, Hashable {
    public var name: String
    /// A load balancer (`balancers:`) rather than a purpose.
    public var isBalancer: Bool
    public var replicas: Int
    public var required: Int
    public var isMajority: Bool
    public var acceptsSinglePointOfFailure: Bool
    /// The purpose's own `survive` budget for this domain.
    public var budget: Int
    /// Replicas left before the analysed failures (after any `--fail`).
    public var left: Int
    /// Replicas left after the worst k units fail, and the status then.
    public var worstLeft: Int
    public var worstStatus: SimulationStatus
    /// The units of that worst case: the (up to) k holding the most of its replicas.
    public var worstUnits: [String]
    /// A smallest set of units whose loss takes it down: empty when it is already down,
    /// nil when no set of units does (every unit failing still leaves `required`).
    public var cut: [String]?
    /// Units of this domain it survives, any of them, worst case: cut size − 1; nil when no set of units takes it down.
    public var survives: Int?
    /// Arbitrary host failures it survives, worst case (the same, counted in hosts).
    public var survivesHosts: Int?
    /// Hosts whose failure takes it down soonest (its smallest host cut).
    public var hostCut: [String]?

    /// Whether the analysed k is beyond what the spec asks of the purpose.
    public func isBeyondBudget(k: Int) -> Bool { k > budget }
}
