/// A load balancer in front of purposes. It is also placed as a purpose of the same name
/// (see `Topology.purposes`), so its replicas are counted, spread and survival-checked like any other.
public struct Balancer: Sendable, Hashable {
    public enum Kind: String, Sendable, CaseIterable {
        case haproxy, nginx

        /// The image used when the balancer names none.
        public var defaultImage: String {
            switch self {
            case .haproxy: return "haproxy:2.8"
            case .nginx: return "nginx:1.26"
            }
        }

        /// Where the generated configuration is mounted in the container.
        public var configPath: String {
            switch self {
            case .haproxy: return "/usr/local/etc/haproxy/haproxy.cfg"
            case .nginx: return "/etc/nginx/nginx.conf"
            }
        }

        /// The generated configuration's file name.
        public var configFile: String {
            switch self {
            case .haproxy: return "haproxy.cfg"
            case .nginx: return "nginx.conf"
            }
        }
    }

    public var name: String
    public var kind: Kind
    public var routes: [Route]
    public var locations: Locations

    public init(name: String, kind: Kind, routes: [Route], locations: Locations = .init()) {
        self.name = name
        self.kind = kind
        self.routes = routes
        self.locations = locations
    }

    public static let defaultCPU: Int64 = 500            // millicores
    public static let defaultMemory: Int64 = 256 << 20   // bytes
    public static let defaultReplicas = 2
}
