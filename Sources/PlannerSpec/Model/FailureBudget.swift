/// How many hosts, racks and zones may fail at once.
public struct FailureBudget: Sendable, Hashable {
    public var hosts: Int
    public var racks: Int
    public var zones: Int

    public init(hosts: Int = 1, racks: Int = 0, zones: Int = 0) {
        self.hosts = hosts
        self.racks = racks
        self.zones = zones
    }

    public static let none = FailureBudget(hosts: 0, racks: 0, zones: 0)

    /// Failure domains in the order they are reported.
    public enum Domain: String, Sendable, CaseIterable {
        case host, rack, zone
        public var plural: String { rawValue + "s" }
    }

    public subscript(domain: Domain) -> Int {
        switch domain {
        case .host: return hosts
        case .rack: return racks
        case .zone: return zones
        }
    }

    public var isNone: Bool { hosts == 0 && racks == 0 && zones == 0 }
}
