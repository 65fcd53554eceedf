// nginx.conf for one balancer.

import PlannerSpec

/// nginx.conf for one balancer: a complete configuration (events, http with one upstream and one
/// server per route). Open-source nginx has no active health checks: a backend that fails a connection
/// (or answers 502/503/504) is taken out for `check_interval` (`max_fails=1 fail_timeout=…`) and the
/// request is retried on the next one, so traffic leaves a dead host on its own.
public enum NginxEmitter {
    public static func config(_ plan: BalancerPlan, topology: Topology, specName: String) throws -> String {
        let name = try ConfigValues.token(plan.balancer.name, "balancer name")
        var lines = [
            GeneratedHeader.comment(specName: specName),
            "# balancer \(name) of topology \(try ConfigValues.token(topology.name, "topology name"))",
            "",
            "worker_processes auto;",
            "error_log stderr notice;",
            "",
            "events {",
            "    worker_connections 1024;",
            "}",
            "",
            "http {",
            "    access_log /dev/stdout;",
            "    proxy_connect_timeout 2s;",
            "    proxy_read_timeout 30s;",
        ]
        if plan.routes.contains(where: \.resolveAtRuntime) {
            lines.append("    resolver 127.0.0.11 valid=10s ipv6=off;")
        }
        let upstreams = try ConfigValues.backendNames(plan.routes.map(\.route))
        for (resolved, upstream) in zip(plan.routes, upstreams) {
            let route = resolved.route
            let listen = try ConfigValues.port(route.listen)
            let failTimeout = Durations.renderWholeSeconds(route.checkInterval)
            if let health = route.health { _ = try ConfigValues.path(health) }
            var proxyPass = "http://\(upstream)"
            if resolved.resolveAtRuntime {
                // Development: one backend, a service name resolved by Docker's DNS on each request.
                let backend = try resolved.backends.first.map {
                    Backend.endpoint(address: try ConfigValues.token($0.address, "address"), port: try ConfigValues.port($0.port))
                } ?? Backend.endpoint(address: "127.0.0.1", port: route.port)
                lines += ["", "    server {", "        listen \(listen);",
                          "        set $backend_\(listen) \"\(backend)\";"]
                proxyPass = "http://$backend_\(listen)"
            } else {
                lines += ["", "    upstream \(upstream) {"]
                switch route.balance {
                case .roundrobin: break
                case .leastconn: lines.append("        least_conn;")
                case .source: lines.append("        ip_hash;")
                }
                for backend in resolved.backends {
                    let address = try ConfigValues.token(backend.address, "address")
                    let endpoint = Backend.endpoint(address: address, port: try ConfigValues.port(backend.port))
                    lines.append("        server \(endpoint) max_fails=1 fail_timeout=\(failTimeout);")
                }
                lines += ["    }", "", "    server {", "        listen \(listen);"]
            }
            lines += [
                "        location / {",
                "            proxy_pass \(proxyPass);",
                "            proxy_next_upstream error timeout http_502 http_503 http_504;",
                "            proxy_next_upstream_tries 3;",
                "            proxy_set_header Host $host;",
                "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
                "        }",
                "    }",
            ]
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}
