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

/// Keys of a mapping mapped to where they were written (the key's own position); `this` is
/// where the entry itself is named (its key in the parent mapping, or the mapping for the root).
public struct Locations: Sendable, Hashable {
    public var this: SourceLocation?
    public var keys: [String: SourceLocation]

    public init(this: SourceLocation? = nil, keys: [String: SourceLocation] = [:]) {
        self.this = this
        self.keys = keys
    }

    /// The key's position, or the mapping's own when the key was left out.
    public subscript(key: String) -> SourceLocation? { keys[key] ?? this }
}

public enum Strategy: String, Sendable, CaseIterable {
    /// Minimise the highest utilisation of any host.
    case spread
    /// Minimise the number of hosts that run at least one container.
    case binpack
}

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

/// A published port: `host:container[/protocol]`.
public struct PortMapping: Sendable, Hashable, CustomStringConvertible {
    public enum TransportProtocol: String, Sendable { case tcp, udp }
    public var hostPort: Int
    public var containerPort: Int
    public var proto: TransportProtocol

    public init(hostPort: Int, containerPort: Int, proto: TransportProtocol = .tcp) {
        self.hostPort = hostPort
        self.containerPort = containerPort
        self.proto = proto
    }

    public var description: String {
        "\(hostPort):\(containerPort)" + (proto == .tcp ? "" : "/\(proto.rawValue)")
    }

    /// What must be unique on a host.
    public var hostSide: String { "\(hostPort)/\(proto.rawValue)" }
}

public enum MinAvailable: Sendable, Hashable, CustomStringConvertible {
    case count(Int)
    case majority

    /// Replicas that must stay up for `replicas` in all: `majority` is ⌊r/2⌋+1.
    public func resolved(replicas: Int) -> Int {
        switch self {
        case .count(let n): return n
        case .majority: return replicas / 2 + 1
        }
    }

    public var description: String {
        switch self {
        case .count(let n): return String(n)
        case .majority: return "majority"
        }
    }
}

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
        return labels.allSatisfy(host.labels.contains)
    }
}

public struct Purpose: Sendable, Hashable {
    public var name: String
    public var image: String
    public var processes: [String]
    public var replicas: Int
    /// Millicores per replica.
    public var cpu: Int64
    /// Bytes per replica.
    public var memory: Int64
    public var ports: [PortMapping]
    public var minAvailable: MinAvailable
    /// The topology's `failures`, overridden key by key by the purpose's `survive`.
    public var survive: FailureBudget
    public var maxPerHost: Int?
    public var placement: Placement
    public var env: [EnvVar]
    public var command: [String]?
    /// `command` was written as one string: Compose splits it into words (as a shell would, without running one).
    public var commandIsString: Bool = false
    public var volumes: [String]
    public var locations: Locations
    /// `healthcheck:`, for `planner plan`.
    public var healthcheck: Healthcheck? = nil
    /// `dev.sources:` bind mounts for `planner plan --dev`.
    public var devSources: [String] = []

    public init(name: String, image: String, processes: [String] = [], replicas: Int, cpu: Int64,
                memory: Int64, ports: [PortMapping] = [], minAvailable: MinAvailable = .count(1),
                survive: FailureBudget = .init(), maxPerHost: Int? = nil, placement: Placement = .init(),
                env: [EnvVar] = [], command: [String]? = nil, volumes: [String] = [],
                locations: Locations = .init()) {
        self.name = name
        self.image = image
        self.processes = processes
        self.replicas = replicas
        self.cpu = cpu
        self.memory = memory
        self.ports = ports
        self.minAvailable = minAvailable
        self.survive = survive
        self.maxPerHost = maxPerHost
        self.placement = placement
        self.env = env
        self.command = command
        self.volumes = volumes
        self.locations = locations
    }

    /// Replicas that must stay up.
    public var required: Int { minAvailable.resolved(replicas: replicas) }
    /// Replicas that may be lost at once: r − m.
    public var tolerableLoss: Int { replicas - required }
}

public struct EnvVar: Sendable, Hashable {
    public var name: String
    /// Empty for a secret: its value is never in the spec, nor anywhere planner writes or prints.
    public var value: String
    /// `NAME: { secret: true }`: the value comes from an env file on the host (`env_file:` in Compose).
    public var secret: Bool
    /// The host path of that env file when the spec names one (`file:`); nil: `Secrets.defaultFile`.
    public var secretFile: String?
    /// Where the variable's name was written.
    public var location: SourceLocation? = nil

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
        self.secret = false
        self.secretFile = nil
    }

    /// A secret variable, read on the host from `file` (nil: the default file of its purpose).
    public static func secret(_ name: String, file: String? = nil) -> EnvVar {
        var variable = EnvVar(name, "")
        variable.secret = true
        variable.secretFile = file
        return variable
    }
}
