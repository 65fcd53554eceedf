/// A machine containers may run on: its capacity, its failure domains and its labels.
public struct Host: Sendable, Hashable {
    public var name: String
    public var address: String?
    /// Millicores.
    public var cpu: Int64
    /// Bytes.
    public var memory: Int64
    public var zone: String?
    public var rack: String?
    public var labels: [String]
    public var locations: Locations

    public init(name: String, address: String? = nil, cpu: Int64, memory: Int64, zone: String? = nil,
                rack: String? = nil, labels: [String] = [], locations: Locations = .init()) {
        self.name = name
        self.address = address
        self.cpu = cpu
        self.memory = memory
        self.zone = zone
        self.rack = rack
        self.labels = labels
        self.locations = locations
    }

    /// The failure domain this host belongs to, if it names one.
    public func domain(_ domain: FailureBudget.Domain) -> String? {
        switch domain {
        case .host: return name
        case .rack: return rack
        case .zone: return zone
        }
    }
}
