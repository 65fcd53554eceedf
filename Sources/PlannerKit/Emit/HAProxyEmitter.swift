import PlannerSpec

/// A value refused on its way into haproxy.cfg or nginx.conf. The spec layer validates names, addresses
/// and health paths already; the emitters check again so that no spec value can ever add a directive.
public struct EmitError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The checks both configuration emitters apply to every value they write.
enum ConfigValues {
    /// Names and addresses: letters, digits, `.`, `-`, `:` (IPv6), nothing that ends a directive.
    static func token(_ text: String, _ what: String) throws -> String {
        let ok = !text.isEmpty && text.unicodeScalars.count <= 253 && text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" || $0 == ":"
        }
        guard ok else { throw EmitError("\(what) '\(Names.printable(text))' cannot go into a balancer configuration") }
        return text
    }

    static func path(_ text: String) throws -> String {
        if let problem = HealthPaths.problem(with: text) {
            throw EmitError("health path '\(Names.printable(text))' cannot go into a balancer configuration: \(problem)")
        }
        return text
    }

    /// `<purpose>-<port>` per route; a second route to the same purpose and port (on another listen port)
    /// gets `<purpose>-<port>_<listen>`, so no two backends or upstreams share a name (`_` is in no purpose name).
    static func backendNames(_ routes: [Route]) throws -> [String] {
        var seen = Set<String>()
        return try routes.map { route in
            let base = "\(try token(route.purpose, "purpose name"))-\(try port(route.port))"
            let name = seen.contains(base) ? "\(base)_\(try port(route.listen))" : base
            seen.insert(name)
            return name
        }
    }

    static func port(_ value: Int) throws -> Int {
        guard (1...65535).contains(value) else { throw EmitError("\(value) is not a port") }
        return value
    }
}

/// haproxy.cfg for one balancer: one frontend per route, whose backend lists exactly the placed
/// replicas (host address and published port), each health-checked so a dead host leaves on its own.
public enum HAProxyEmitter {
    public static func config(_ plan: BalancerPlan, topology: Topology, specName: String) throws -> String {
        let name = try ConfigValues.token(plan.balancer.name, "balancer name")
        var lines = [
            GeneratedHeader.comment(specName: specName),
            "# balancer \(name) of topology \(try ConfigValues.token(topology.name, "topology name"))",
            "",
            "global",
            "    log stdout format raw local0",
            "    maxconn 4096",
        ]
        if plan.routes.contains(where: \.resolveAtRuntime) {
            lines += ["", "resolvers docker", "    nameserver dns 127.0.0.11:53", "    hold valid 10s"]
        }
        lines += [
            "",
            "defaults",
            "    log global",
            "    mode http",
            "    option httplog",
            "    option redispatch 1",
            "    retries 3",
            "    timeout connect 2s",
            "    timeout client 30s",
            "    timeout server 30s",
            "    timeout check 2s",
        ]
        let backends = try ConfigValues.backendNames(plan.routes.map(\.route))
        for (resolved, backend) in zip(plan.routes, backends) {
            let route = resolved.route
            let listen = try ConfigValues.port(route.listen)
            lines += ["", "frontend listen-\(listen)", "    bind :\(listen)", "    default_backend \(backend)"]
            lines += ["", "backend \(backend)"]
            let balance: String
            switch route.balance {
            case .roundrobin: balance = "roundrobin"
            case .leastconn: balance = "leastconn"
            case .source: balance = "source"
            }
            lines.append("    balance \(balance)")
            if let health = route.health {
                lines.append("    option httpchk GET \(try ConfigValues.path(health))")
            }
            let interval = Durations.render(route.checkInterval)
            var defaults = "    default-server inter \(interval) fastinter \(interval) downinter \(interval) fall 2 rise 2"
            defaults += resolved.resolveAtRuntime ? " resolvers docker init-addr last,libc,none" : " init-addr last,libc,none"
            lines.append(defaults)
            for backendServer in resolved.backends {
                let address = try ConfigValues.token(backendServer.address, "address")
                let server = try ConfigValues.token(backendServer.name, "server name")
                let endpoint = address.contains(":") ? "[\(address)]" : address
                lines.append("    server \(server) \(endpoint):\(try ConfigValues.port(backendServer.port)) check")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
