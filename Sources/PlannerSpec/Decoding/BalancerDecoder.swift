// BalancerDecoder: `balancers:` and their routes; each balancer is also returned as a purpose of its own name.
import Yams

/// Decodes `balancers:`. A balancer is placed as a purpose of its own name, so it is counted, spread and
/// survival-checked like any other; its routes must lead to purposes that publish the port on hosts with an address.
struct BalancerDecoder {
    let reader: NodeReader
    /// The topology's `failures`, which a balancer's `survive` overrides key by key.
    let failures: FailureBudget
    let hosts: [Host]
    /// The purposes decoded so far: what routes may lead to.
    let purposes: [Purpose]
    /// Every purpose name written, decoded or not: a balancer may not take one, and a route to one that did not
    /// decode causes no second error.
    let declaredPurposes: Set<String>

    static let keys = ["kind", "image", "replicas", "min_available", "survive", "cpu", "memory", "placement",
                       "max_per_host", "routes"]
    static let routeKeys = ["listen", "purpose", "port", "health", "balance", "check_interval"]

    /// Balancers, the purposes they are placed as, and every name declared (so references to a
    /// balancer that did not decode cause no second error).
    func decode(_ node: Node) -> (balancers: [Balancer], purposes: [Purpose], declared: [String]) {
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
            if let (balancer, purpose) = decodeBalancer(name: entry.key, keyNode: entry.keyNode, entry.value) {
                balancers.append(balancer)
                placed.append(purpose)
            }
        }
        return (balancers, placed, declared)
    }

    private func decodeBalancer(name: String, keyNode: Node, _ node: Node) -> (Balancer, Purpose)? {
        let what = "balancer '\(name)'"
        guard let fields = reader.mapping(node, what) else { return nil }
        reader.rejectUnknownKeys(fields, allowed: Self.keys, in: what)
        let field = fields.value(of:)
        var ok = true

        var kind = Balancer.Kind.haproxy
        if let node = field("kind") {
            if let text = reader.string(node, "kind of \(what)") {
                if let parsed = Balancer.Kind(rawValue: text) {
                    kind = parsed
                } else {
                    let hint = didYouMean(text, among: Balancer.Kind.allCases.map(\.rawValue))
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
            if let text = reader.decodeImage(node, of: what) { image = text } else { ok = false }
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
        if let node = field("cpu") { if let value = reader.cores(node, "cpu of \(what)") { cpu = value } else { ok = false } }
        if let node = field("memory") { if let value = reader.bytes(node, "memory of \(what)") { memory = value } else { ok = false } }
        let survive = field("survive").map { reader.decodeFailures($0, base: failures, "survive of \(what)") } ?? failures
        let maxPerHost = field("max_per_host").flatMap { reader.integer($0, "max_per_host of \(what)", in: 1...1_000_000) }
        let placement = field("placement").map { reader.decodePlacement($0, of: what) } ?? Placement()

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
                    guard let route = decodeRoute(item, of: what) else { ok = false; continue }
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

    private func decodeRoute(_ node: Node, of what: String) -> Route? {
        let context = "a route of \(what)"
        guard let fields = reader.mapping(node, context) else { return nil }
        reader.rejectUnknownKeys(fields, allowed: Self.routeKeys, in: context)
        let field = fields.value(of:)
        var ok = true
        let listen = reader.required(field("listen"), "listen", of: context, at: node) {
            reader.integer($0, "listen of \(context)", in: 1...65535)
        }
        let purposeNode = field("purpose")
        let target = reader.required(purposeNode, "purpose", of: context, at: node) { reader.decodeName($0, "purpose of \(context)") }
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
                let hint = didYouMean(text, among: Route.Balance.allCases.map(\.rawValue))
                reader.error(.badValue, "balance of \(context) must be roundrobin, leastconn or source, "
                             + "found '\(Names.printable(text))'\(hint)", at: node)
                ok = false
            }
        }
        if let node = field("check_interval") {
            if let ms = reader.duration(node, "check_interval of \(context)") { route.checkInterval = ms } else { ok = false }
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
                let hint = didYouMean(target, among: purposes.map(\.name))
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
        if !HostAddressCheck(reader: reader, hosts: hosts).addressesPresent(for: purpose, because: "\(what) forwards to it",
                                                                  at: purposeNode) { ok = false }
        guard ok, let port else { return nil }
        route.port = port
        if route.health == nil, let check = purpose.healthcheck, case .http(let path, let checked) = check.test, checked == port {
            route.health = path
        }
        return route
    }
}
