import Yams

/// The keys `planner plan` reads: `balancers` (each also placed as a purpose), `logging`, a purpose's
/// `healthcheck` and `dev`, and `@{purpose:port}` endpoint references in `env`. Every problem is a
/// diagnostic at its line, like the rest of the spec.
extension TopologyDecoder {
    static let balancerKeys = ["kind", "image", "replicas", "min_available", "survive", "cpu", "memory", "placement",
                               "max_per_host", "routes"]
    static let routeKeys = ["listen", "purpose", "port", "health", "balance", "check_interval"]
    static let healthcheckKeys = ["http", "port", "command", "interval", "timeout", "retries"]
    static let devKeys = ["sources"]
    static let loggingKeys = ["driver", "address"]

    // MARK: - logging

    func decodeLogging(_ node: Node) -> LoggingConfig? {
        guard let entries = reader.mapping(node, "logging") else { return nil }
        reader.rejectUnknownKeys(entries, allowed: Self.loggingKeys, in: "logging")
        let field = { (key: String) in entries.first { $0.key == key }?.value }
        var config = LoggingConfig()
        var ok = true
        if let node = field("driver") {
            if let text = reader.string(node, "logging.driver") {
                if let driver = LoggingConfig.Driver(rawValue: text) {
                    config.driver = driver
                } else {
                    reader.error(.badValue, "logging.driver must be 'syslog', found '\(Names.printable(text))'", at: node)
                    ok = false
                }
            } else { ok = false }
        } else {
            reader.error(.missingKey, "missing key 'driver' in logging (write 'driver: syslog')", at: node)
            ok = false
        }
        if let node = field("address"), let text = reader.string(node, "logging.address") {
            if let problem = Self.syslogAddressProblem(text) {
                reader.error(.badValue, "logging.address '\(Names.printable(text))' is not valid: \(problem)", at: node)
                ok = false
            } else {
                config.address = text
            }
        }
        return ok ? config : nil
    }

    static func syslogAddressProblem(_ text: String) -> String? {
        if text.hasPrefix("unix://") || text.hasPrefix("unixgram://") {
            let path = text.drop { $0 != "/" }.dropFirst(2)
            guard path.hasPrefix("/"), path.count > 1, path.unicodeScalars.allSatisfy({
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "/._-".unicodeScalars.contains($0)
            }) else { return "write unix:///path/to/socket (letters, digits, / . _ -)" }
            return nil
        }
        let schemes = ["udp://", "tcp://", "tcp+tls://"]
        guard let scheme = schemes.first(where: text.hasPrefix) else {
            return "write udp://HOST:PORT, tcp://HOST:PORT, tcp+tls://HOST:PORT or unix:///PATH"
        }
        let rest = text.dropFirst(scheme.count)
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
              (1...65535).contains(port), rest[rest.index(after: colon)...].allSatisfy(\.isNumber) else {
            return "add a port, for example udp://127.0.0.1:514"
        }
        var host = String(rest[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { return "name the host" }
        return Addresses.problem(with: host)
    }

    // MARK: - healthcheck and dev

    func decodeHealthcheck(_ node: Node, of what: String, ports: [PortMapping]) -> Healthcheck? {
        let context = "healthcheck of \(what)"
        guard let entries = reader.mapping(node, context) else { return nil }
        reader.rejectUnknownKeys(entries, allowed: Self.healthcheckKeys, in: context)
        let field = { (key: String) in entries.first { $0.key == key }?.value }
        var check = Healthcheck(test: .shell("true"))
        var ok = true
        switch (field("http"), field("command")) {
        case (let http?, nil):
            guard let path = reader.string(http, "http of \(context)") else { ok = false; break }
            if let problem = HealthPaths.problem(with: path) {
                reader.error(.badValue, "health path '\(Names.printable(path))' of \(what) is not valid: \(problem)", at: http)
                ok = false
            }
            var port = ports.first { $0.proto == .tcp }?.containerPort
            if let portNode = field("port") {
                port = reader.integer(portNode, "port of \(context)", in: 1...65535)
                if port == nil { ok = false }
            } else if port == nil {
                reader.error(.missingKey, "missing key 'port' in \(context): it publishes no tcp port to check", at: node)
                ok = false
            }
            if let port { check.test = .http(path: path, port: port) }
        case (nil, let command?):
            if case .scalar = command, !reader.isNull(command) {
                if let text = reader.string(command, "command of \(context)") { check.test = .shell(text) } else { ok = false }
            } else if let items = reader.stringList(command, "command of \(context)"), !items.isEmpty {
                check.test = .command(items.map(\.0))
            } else {
                if case .sequence = command { reader.error(.badValue, "command of \(context) must not be empty", at: command) }
                ok = false
            }
            if case .shell(let text) = check.test, let problem = ContainerText.problem(with: text) {
                reader.error(.badValue, "command of \(context) is not valid: \(problem)", at: command)
                ok = false
            } else if case .command(let words) = check.test, let problem = words.lazy.compactMap(ContainerText.problem).first {
                reader.error(.badValue, "command of \(context) is not valid: \(problem)", at: command)
                ok = false
            }
            if let portNode = field("port") {
                reader.error(.badValue, "port of \(context) only goes with 'http'", at: portNode)
                ok = false
            }
        case (_?, _?):
            reader.error(.badValue, "\(context) has both 'http' and 'command'; keep one", at: node)
            ok = false
        case (nil, nil):
            reader.error(.missingKey, "\(context) needs 'http: /path' or 'command: [...]'", at: node)
            ok = false
        }
        for (key, keyPath) in [("interval", \Healthcheck.interval), ("timeout", \Healthcheck.timeout)] {
            guard let valueNode = field(key) else { continue }
            if let ms = duration(valueNode, "\(key) of \(context)") { check[keyPath: keyPath] = ms } else { ok = false }
        }
        if let retriesNode = field("retries") {
            if let retries = reader.integer(retriesNode, "retries of \(context)", in: 1...100) { check.retries = retries } else { ok = false }
        }
        return ok ? check : nil
    }

    func decodeDev(_ node: Node, of what: String) -> [String] {
        guard let entries = reader.mapping(node, "dev of \(what)") else { return [] }
        reader.rejectUnknownKeys(entries, allowed: Self.devKeys, in: "dev of \(what)")
        guard let sources = entries.first(where: { $0.key == "sources" })?.value,
              let items = reader.stringList(sources, "dev.sources of \(what)") else { return [] }
        var result: [String] = []
        for (text, item) in items {
            switch DevSources.parse(text) {
            case .success: result.append(text)
            case .failure(let problem):
                reader.error(.badValue, "source '\(Names.printable(text))' of \(what) is not valid: \(problem)", at: item)
            }
        }
        return result
    }

    func duration(_ node: Node, _ what: String) -> Int? {
        guard let text = reader.string(node, what) else { return nil }
        guard let ms = Durations.parse(text) else {
            reader.error(.badValue, "\(what) must be a duration such as 500ms, 2s, 1m (at most 24h), found '\(Names.printable(text))'",
                         at: node)
            return nil
        }
        return ms
    }

    // MARK: - balancers

    /// Balancers, the purposes they are placed as, and every name declared (so references to a
    /// balancer that did not decode cause no second error).
    func decodeBalancers(_ node: Node, failures: FailureBudget, hosts: [Host], purposes: [Purpose])
        -> (balancers: [Balancer], purposes: [Purpose], declared: [String]) {
        guard let entries = reader.mapping(node, "balancers") else { return ([], [], []) }
        var balancers: [Balancer] = [], placed: [Purpose] = [], declared: [String] = []
        for entry in entries {
            if let problem = Names.problem(with: entry.key) {
                reader.error(.invalidName, "balancer name '\(Names.printable(entry.key))' is not valid: \(problem)", at: entry.keyNode)
                continue
            }
            if declaredPurposes.contains(entry.key) {
                let other = purposes.first { $0.name == entry.key }?.locations.this
                reader.error(.duplicateName, "balancer '\(entry.key)' has the name of a purpose; a balancer is placed as a "
                             + "purpose of its own name, so give it another name (for example '\(entry.key)-lb')",
                             at: entry.keyNode, notes: other.map { [.init("purpose '\(entry.key)' is here", at: $0)] } ?? [])
                continue
            }
            declared.append(entry.key)
            if let (balancer, purpose) = decodeBalancer(name: entry.key, keyNode: entry.keyNode, entry.value,
                                                        failures: failures, hosts: hosts, purposes: purposes) {
                balancers.append(balancer)
                placed.append(purpose)
            }
        }
        return (balancers, placed, declared)
    }

    private func decodeBalancer(name: String, keyNode: Node, _ node: Node, failures: FailureBudget, hosts: [Host],
                                purposes: [Purpose]) -> (Balancer, Purpose)? {
        let what = "balancer '\(name)'"
        guard let fields = reader.mapping(node, what) else { return nil }
        reader.rejectUnknownKeys(fields, allowed: Self.balancerKeys, in: what)
        let field = { (key: String) in fields.first { $0.key == key }?.value }
        var ok = true

        var kind = Balancer.Kind.haproxy
        if let node = field("kind") {
            if let text = reader.string(node, "kind of \(what)") {
                if let parsed = Balancer.Kind(rawValue: text) {
                    kind = parsed
                } else {
                    let hint = closestMatch(to: text, among: Balancer.Kind.allCases.map(\.rawValue)).map { "; did you mean '\($0)'?" } ?? ""
                    reader.error(.badValue, "kind of \(what) must be 'haproxy' or 'nginx', found '\(Names.printable(text))'\(hint)",
                                 at: node)
                    ok = false
                }
            } else { ok = false }
        } else {
            reader.error(.missingKey, "missing key 'kind' in \(what) (haproxy or nginx)", at: keyNode)
            ok = false
        }
        var image = kind.defaultImage
        if let node = field("image") {
            if let text = decodeImage(node, of: what) { image = text } else { ok = false }
        }
        var replicas = Balancer.defaultReplicas
        if let node = field("replicas") {
            if let count = reader.integer(node, "replicas of \(what)", in: 1...1_000_000) { replicas = count } else { ok = false }
        }
        var minAvailable = MinAvailable.count(1)
        if let node = field("min_available") {
            if case .scalar(let scalar) = node, scalar.string == "majority" {
                minAvailable = .majority
            } else if let count = reader.integer(node, "min_available of \(what)", in: 1...1_000_000) {
                minAvailable = .count(count)
                if count > replicas {
                    reader.error(.badValue, "min_available \(count) of \(what) is more than its \(replicas) replicas; "
                                 + "lower it or add replicas", at: node)
                    ok = false
                }
            } else { ok = false }
        }
        var cpu = Balancer.defaultCPU, memory = Balancer.defaultMemory
        if let node = field("cpu") { if let value = cores(node, "cpu of \(what)") { cpu = value } else { ok = false } }
        if let node = field("memory") { if let value = bytes(node, "memory of \(what)") { memory = value } else { ok = false } }
        let survive = field("survive").map { decodeFailures($0, base: failures, "survive of \(what)") } ?? failures
        let maxPerHost = field("max_per_host").flatMap { reader.integer($0, "max_per_host of \(what)", in: 1...1_000_000) }
        let placement = field("placement").map { decodePlacement($0, of: what) } ?? Placement()

        var routes: [Route] = []
        if let node = field("routes") {
            if let items = reader.sequence(node, "routes of \(what)") {
                if items.isEmpty { reader.error(.badValue, "routes of \(what) is empty; add at least one route", at: node) }
                var listening: [Int: Node] = [:]
                for item in items {
                    // Two routes on one port is a problem whatever else is wrong with either.
                    if case .mapping(let fields) = item, let listenNode = fields.first(where: { $0.key.string == "listen" })?.value,
                       case .scalar(let scalar) = listenNode, scalar.style == .plain, let listen = Int(scalar.string) {
                        if let first = listening[listen] {
                            reader.error(.duplicatePort, "\(what) has two routes on listen port \(listen); "
                                         + "one port goes to one purpose", at: listenNode,
                                         notes: [.init("first route on \(listen) here", at: reader.location(first))])
                            ok = false
                            continue
                        }
                        listening[listen] = listenNode
                    }
                    guard let route = decodeRoute(item, of: what, hosts: hosts, purposes: purposes) else { ok = false; continue }
                    routes.append(route)
                }
            } else { ok = false }
        } else {
            reader.error(.missingKey, "missing key 'routes' in \(what): list what it listens on and where it forwards",
                         at: keyNode)
            ok = false
        }
        guard ok, !routes.isEmpty else { return nil }
        let locations = reader.locations(of: fields, mapping: keyNode)
        let purpose = Purpose(name: name, image: image, processes: [kind.rawValue], replicas: replicas, cpu: cpu,
                              memory: memory, ports: routes.map { PortMapping(hostPort: $0.listen, containerPort: $0.listen) },
                              minAvailable: minAvailable, survive: survive, maxPerHost: maxPerHost, placement: placement,
                              locations: locations)
        return (Balancer(name: name, kind: kind, routes: routes, locations: locations), purpose)
    }

    private func decodeRoute(_ node: Node, of what: String, hosts: [Host], purposes: [Purpose]) -> Route? {
        let context = "a route of \(what)"
        guard let fields = reader.mapping(node, context) else { return nil }
        reader.rejectUnknownKeys(fields, allowed: Self.routeKeys, in: context)
        let field = { (key: String) in fields.first { $0.key == key }?.value }
        var ok = true
        let listen = required(field("listen"), "listen", of: context, at: node) {
            reader.integer($0, "listen of \(context)", in: 1...65535)
        }
        let purposeNode = field("purpose")
        let target = required(purposeNode, "purpose", of: context, at: node) { decodeName($0, "purpose of \(context)") }
        var route = Route(listen: listen ?? 0, purpose: target ?? "", port: 0,
                          locations: reader.locations(of: fields, mapping: node))
        if listen == nil || target == nil { ok = false }
        if let node = field("health"), let path = reader.string(node, "health of \(context)") {
            if let problem = HealthPaths.problem(with: path) {
                reader.error(.badValue, "health path '\(Names.printable(path))' of \(context) is not valid: \(problem)", at: node)
                ok = false
            } else {
                route.health = path
            }
        } else if field("health") != nil { ok = false }
        if let node = field("balance"), let text = reader.string(node, "balance of \(context)") {
            if let balance = Route.Balance(rawValue: text) {
                route.balance = balance
            } else {
                let hint = closestMatch(to: text, among: Route.Balance.allCases.map(\.rawValue)).map { "; did you mean '\($0)'?" } ?? ""
                reader.error(.badValue, "balance of \(context) must be roundrobin, leastconn or source, "
                             + "found '\(Names.printable(text))'\(hint)", at: node)
                ok = false
            }
        }
        if let node = field("check_interval") {
            if let ms = duration(node, "check_interval of \(context)") { route.checkInterval = ms } else { ok = false }
        }
        var port: Int? = nil
        if let node = field("port") {
            port = reader.integer(node, "port of \(context)", in: 1...65535)
            if port == nil { ok = false }
        }

        // The purpose it forwards to: known, publishing that port over tcp, on hosts with an address.
        guard let target, let purposeNode else { return nil }
        guard let purpose = purposes.first(where: { $0.name == target }) else {
            if !declaredPurposes.contains(target) {
                let hint = closestMatch(to: target, among: purposes.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
                reader.error(.unknownPurpose, "\(what) routes to '\(target)', which is not a purpose\(hint)", at: purposeNode)
            }
            return nil
        }
        let tcp = purpose.ports.filter { $0.proto == .tcp }
        if let wanted = port {
            if !tcp.contains(where: { $0.containerPort == wanted }) {
                let published = tcp.map { String($0.containerPort) }
                reader.error(.badValue, "\(what) routes to port \(wanted) of purpose '\(target)', which it does not publish "
                             + (published.isEmpty ? "(it publishes no tcp port)" : "(it publishes \(published.joined(separator: ", ")))")
                             + "; add \"HOSTPORT:\(wanted)\" to its ports", at: field("port")!,
                             notes: [.init("purpose '\(target)' is here", at: purpose.locations["ports"])])
                ok = false
            }
        } else if tcp.count == 1 {
            port = tcp[0].containerPort
        } else {
            reader.error(tcp.isEmpty ? .badValue : .missingKey,
                         tcp.isEmpty ? "\(what) routes to purpose '\(target)', which publishes no tcp port; publish one in its ports"
                            : "\(context) needs 'port': purpose '\(target)' publishes several tcp ports "
                            + "(\(tcp.map { String($0.containerPort) }.joined(separator: ", ")))",
                         at: purposeNode, notes: [.init("purpose '\(target)' is here", at: purpose.locations["ports"])])
            ok = false
        }
        if !addressesPresent(for: purpose, hosts: hosts, because: "\(what) forwards to it", at: purposeNode) { ok = false }
        guard ok, let port else { return nil }
        route.port = port
        if route.health == nil, let check = purpose.healthcheck, case .http(let path, let checked) = check.test, checked == port {
            route.health = path
        }
        return route
    }

    /// Backends and endpoint references are host addresses: every host the purpose may run on needs one.
    private func addressesPresent(for purpose: Purpose, hosts: [Host], because reason: String, at node: Node) -> Bool {
        let missing = hosts.filter { purpose.placement.admits($0) && $0.address == nil }
        guard !missing.isEmpty else { return true }
        let names = missing.map(\.name)
        reader.error(.missingKey, "purpose '\(purpose.name)' may run on \(quotedList(names)), which \(names.count == 1 ? "has" : "have") "
                     + "no address, and \(reason); give \(names.count == 1 ? "it" : "each") an 'address:' "
                     + "(or keep the purpose off \(names.count == 1 ? "it" : "them") with placement)", at: node,
                     notes: missing.prefix(5).map { .init("host '\($0.name)' is here", at: $0.locations.this) })
        return false
    }

    // MARK: - endpoint references

    /// Checks every `@{purpose:port}` in the purposes' `env` values against the decoded purposes.
    func validateEndpointReferences(_ purposesNode: Node, hosts: [Host], purposes: [Purpose]) {
        guard case .mapping(let mapping) = purposesNode else { return }
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode, case .mapping(let fields) = value else { continue }
            let what = "purpose '\(key.string)'"
            guard let env = fields.first(where: { $0.key.string == "env" })?.value, case .mapping(let variables) = env else { continue }
            for (nameNode, valueNode) in variables {
                guard case .scalar(let scalar) = valueNode, scalar.string.contains("@{") else { continue }
                let variable = nameNode.string ?? "?"
                switch EndpointReferences.parse(scalar.string) {
                case .failure(let problem):
                    reader.error(.badValue, "env \(variable) of \(what): \(problem)", at: valueNode)
                case .success(let pieces):
                    for case .reference(let target, let port) in pieces {
                        guard let purpose = purposes.first(where: { $0.name == target }) else {
                            if !declaredPurposes.contains(target) {
                                let hint = closestMatch(to: target, among: purposes.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
                                reader.error(.unknownPurpose, "env \(variable) of \(what) refers to '\(target)', which is not a purpose"
                                             + hint, at: valueNode)
                            }
                            continue
                        }
                        guard purpose.ports.contains(where: { $0.proto == .tcp && $0.containerPort == port }) else {
                            reader.error(.badValue, "env \(variable) of \(what) refers to port \(port) of '\(target)', which it "
                                         + "does not publish; an endpoint is a host address and a published host port",
                                         at: valueNode, notes: [.init("purpose '\(target)' is here", at: purpose.locations["ports"])])
                            continue
                        }
                        _ = addressesPresent(for: purpose, hosts: hosts, because: "env \(variable) of \(what) refers to it",
                                             at: valueNode)
                    }
                }
            }
        }
    }
}
