/// Where a purpose may run: hosts with every label, among the hosts listed, away from the purposes it avoids.
public struct Placement: Sendable, Hashable {
    public var labels: [String]
    /// Nil: any host.
    public var hosts: [String]?
    public var avoid: [String]
    /// Where each listed name was written, keyed "labels.NAME", "hosts.NAME" or "avoid.NAME".
    public var itemLocations: [String: SourceLocation]

    public init(labels: [String] = [], hosts: [String]? = nil, avoid: [String] = [],
                itemLocations: [String: SourceLocation] = [:]) {
        self.labels = labels
        self.hosts = hosts
        self.avoid = avoid
        self.itemLocations = itemLocations
    }

    /// Whether a host passes the label and host filters (`avoid` depends on the placement of others).
    public func admits(_ host: Host) -> Bool {
        if let hosts, !hosts.contains(host.name) { return false }
        // A set, so a host or purpose with many labels costs linear time, not quadratic.
        return labels.isEmpty || Set(host.labels).isSuperset(of: labels)
    }
}
