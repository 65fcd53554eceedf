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
