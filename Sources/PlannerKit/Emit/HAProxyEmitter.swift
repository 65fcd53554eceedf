// haproxy.cfg for one balancer.

import PlannerSpec

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
                let endpoint = Backend.endpoint(address: address, port: try ConfigValues.port(backendServer.port))
                lines.append("    server \(server) \(endpoint) check")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
