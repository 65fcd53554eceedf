/// One port a balancer listens on and the purpose it forwards to.
public struct Route: Sendable, Hashable {
    public enum Balance: String, Sendable, CaseIterable {
        case roundrobin, leastconn, source
    }

    /// The port the balancer listens on (published `listen:listen` on its hosts).
    public var listen: Int
    /// The purpose traffic goes to.
    public var purpose: String
    /// The purpose's container port; backends are its hosts' addresses with the published host port.
    public var port: Int
    /// The HTTP path health checks request; nil: a TCP connect check.
    public var health: String?
    public var balance: Balance
    /// Milliseconds between health checks (HAProxy `inter`; nginx `fail_timeout`).
    public var checkInterval: Int
    /// Keys of the route's mapping; `this` is the route itself.
    public var locations: Locations

    public init(listen: Int, purpose: String, port: Int, health: String? = nil, balance: Balance = .roundrobin,
                checkInterval: Int = 2000, locations: Locations = .init()) {
        self.listen = listen
        self.purpose = purpose
        self.port = port
        self.health = health
        self.balance = balance
        self.checkInterval = checkInterval
        self.locations = locations
    }
}
