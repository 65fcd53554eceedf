// One failure set that takes purposes down, every unit in it needed.

/// One failure set of at most k units that takes a purpose down, with every unit in it needed:
/// leave any one out and fewer purposes go down.
public struct SimulationFailureSet: Sendable, Hashable {
    public var units: [String]
    /// Purposes it takes down, beyond those already down before it.
    public var down: [String]
    /// Purposes below their full count but still at their minimum.
    public var degraded: [String]
    public var capacityLost: SimulationResources

    public init(units: [String], down: [String], degraded: [String], capacityLost: SimulationResources) {
        self.units = units
        self.down = down
        self.degraded = degraded
        self.capacityLost = capacityLost
    }
}
