// Where one placed replica is reached, and the one address:port formatter.

/// Where a purpose's replicas can be reached: one per placed replica, in host file order.
public struct Backend: Sendable, Hashable {
    /// The host's name (or, in development, the service's).
    public var name: String
    /// A validated IP address or DNS name.
    public var address: String
    public var port: Int

    public init(name: String, address: String, port: Int) {
        self.name = name
        self.address = address
        self.port = port
    }

    /// `address:port`, with an IPv6 address in brackets.
    public var endpoint: String { Self.endpoint(address: address, port: port) }

    /// `address:port`, with an IPv6 address (the only kind with a colon) in brackets: the one formatter
    /// of endpoint references, haproxy.cfg and nginx.conf.
    public static func endpoint(address: String, port: Int) -> String {
        (address.contains(":") ? "[\(address)]" : address) + ":\(port)"
    }
}
