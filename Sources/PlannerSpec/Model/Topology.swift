/// A validated topology: what `planner` places. Every field keeps where it came from,
/// so later stages (the solver's explanations, lints) can point back at the file.
public struct Topology: Sendable {
    public var name: String
    public var registry: String?
    public var strategy: Strategy
    public var failures: FailureBudget
    public var hosts: [Host]
    public var purposes: [Purpose]
    /// Where each top-level key was written.
    public var locations: Locations
    /// Load balancers (`balancers:`); each is also in `purposes`, under the same name, so it is placed like one.
    public var balancers: [Balancer] = []
    /// `logging:`, for `planner plan`.
    public var logging: LoggingConfig? = nil

    public init(name: String, registry: String? = nil, strategy: Strategy = .spread,
                failures: FailureBudget = .init(), hosts: [Host], purposes: [Purpose],
                locations: Locations = .init()) {
        self.name = name
        self.registry = registry
        self.strategy = strategy
        self.failures = failures
        self.hosts = hosts
        self.purposes = purposes
        self.locations = locations
    }

    public func host(named name: String) -> Host? { hosts.first { $0.name == name } }
    public func purpose(named name: String) -> Purpose? { purposes.first { $0.name == name } }

    /// Hosts a purpose may run on by its labels and host list, in file order.
    public func eligibleHosts(for purpose: Purpose) -> [Host] { hosts.filter(purpose.placement.admits) }
}
