/// What a placement optimises, once every purpose survives its failures.
public enum Strategy: String, Sendable, CaseIterable {
    /// Minimise the highest utilisation of any host.
    case spread
    /// Minimise the number of hosts that run at least one container.
    case binpack
}
