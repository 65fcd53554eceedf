/// What runs: one image as replicas (one purpose per container), its resources and the rules of its placement.
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
