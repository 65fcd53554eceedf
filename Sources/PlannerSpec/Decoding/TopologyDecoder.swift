import Foundation
import Yams

/// Decodes the node tree into a `Topology`, reporting every problem of shape and value in one pass.
///
/// Entries that fail to decode are left out of the result but their names are kept,
/// so that references to them do not cause a second, misleading error.
struct TopologyDecoder {
    let reader: NodeReader
    private(set) var declaredHosts: Set<String> = []
    private(set) var declaredPurposes: Set<String> = []
    /// Placement rules of purposes that did not decode in full, so their references are still checked.
    private(set) var incompletePlacements: [(purpose: String, placement: Placement)] = []

    init(reader: NodeReader) { self.reader = reader }

    static let topLevelKeys = ["topology", "registry", "strategy", "failures", "hosts", "purposes", "balancers", "logging"]
    static let failureKeys = ["hosts", "racks", "zones"]
    static let hostKeys = ["address", "cpu", "memory", "zone", "rack", "labels"]
    static let purposeKeys = ["image", "processes", "replicas", "cpu", "memory", "ports", "min_available", "survive",
                              "max_per_host", "placement", "env", "command", "volumes", "healthcheck", "dev"]
    static let placementKeys = ["labels", "hosts", "avoid"]

    mutating func decode(_ root: Node) -> Topology? {
        guard let entries = reader.mapping(root, "the spec") else { return nil }
        reader.rejectUnknownKeys(entries, allowed: Self.topLevelKeys, in: "the spec")
        let locations = reader.locations(of: entries, mapping: root)
        let value = { (key: String) in entries.first { $0.key == key }?.value }

        var name: String? = nil
        if let node = value("topology") {
            name = decodeName(node, "the topology name")
        } else {
            reader.report(.error(.missingKey, "missing key 'topology': name the topology (for example 'topology: shop-prod')",
                                 at: reader.location(root)))
        }
        let registry = value("registry").flatMap { reader.string($0, "registry") }
        var strategy = Strategy.spread
        if let node = value("strategy"), let text = reader.string(node, "strategy") {
            if let parsed = Strategy(rawValue: text) {
                strategy = parsed
            } else {
                let hint = closestMatch(to: text, among: Strategy.allCases.map(\.rawValue)).map { "; did you mean '\($0)'?" } ?? ""
                reader.error(.badValue, "strategy must be 'spread' or 'binpack', found '\(Names.printable(text))'\(hint)", at: node)
            }
        }
        let failures = value("failures").map { decodeFailures($0, base: FailureBudget(), "failures") } ?? FailureBudget()

        var hosts: [Host] = []
        if let node = value("hosts") {
            hosts = decodeHosts(node)
        } else {
            reader.report(.error(.missingKey, "missing key 'hosts': list the machines containers may run on",
                                 at: reader.location(root)))
        }
        var purposes: [Purpose] = []
        if let node = value("purposes") {
            purposes = decodePurposes(node, failures: failures)
        } else {
            reader.report(.error(.missingKey, "missing key 'purposes': list what runs (one purpose per container)",
                                 at: reader.location(root)))
        }
        // Balancers, logging and endpoint references (BalancerDecoder.swift): balancers join the purposes.
        let logging = value("logging").flatMap { decodeLogging($0) }
        var balancers: [Balancer] = []
        if let node = value("balancers") {
            let decoded = decodeBalancers(node, failures: failures, hosts: hosts, purposes: purposes)
            declaredPurposes.formUnion(decoded.declared)
            purposes += decoded.purposes
            balancers = decoded.balancers
        }
        if let node = value("purposes") { validateEndpointReferences(node, hosts: hosts, purposes: purposes) }
        // Without a name the spec is already in error; the rest is still returned so that it is validated too.
        var topology = Topology(name: name ?? "", registry: registry, strategy: strategy, failures: failures,
                                hosts: hosts, purposes: purposes, locations: locations)
        topology.balancers = balancers
        topology.logging = logging
        return topology
    }

    // MARK: - Pieces

    func decodeName(_ node: Node, _ what: String) -> String? {
        guard let text = reader.string(node, what) else { return nil }
        if let problem = Names.problem(with: text) {
            reader.error(.invalidName, "\(what) '\(Names.printable(text))' is not valid: \(problem)", at: node)
            return nil
        }
        return text
    }

    func decodeFailures(_ node: Node, base: FailureBudget, _ what: String) -> FailureBudget {
        guard let entries = reader.mapping(node, what) else { return base }
        reader.rejectUnknownKeys(entries, allowed: Self.failureKeys, in: what)
        var budget = base
        for entry in entries {
            guard let count = reader.integer(entry.value, "\(what).\(entry.key)", in: 0...1000) else { continue }
            switch entry.key {
            case "hosts": budget.hosts = count
            case "racks": budget.racks = count
            case "zones": budget.zones = count
            default: break
            }
        }
        return budget
    }

    private mutating func decodeHosts(_ node: Node) -> [Host] {
        guard let entries = reader.mapping(node, "hosts") else { return [] }
        if entries.isEmpty { reader.error(.badValue, "hosts is empty; list at least one host", at: node) }
        var hosts: [Host] = []
        for entry in entries {
            let what = "host '\(Names.printable(entry.key))'"
            if let problem = Names.problem(with: entry.key) {
                reader.error(.invalidName, "host name '\(Names.printable(entry.key))' is not valid: \(problem)", at: entry.keyNode)
                continue
            }
            declaredHosts.insert(entry.key)
            guard let fields = reader.mapping(entry.value, what) else { continue }
            reader.rejectUnknownKeys(fields, allowed: Self.hostKeys, in: what)
            let field = { (key: String) in fields.first { $0.key == key }?.value }
            var host = Host(name: entry.key, cpu: 0, memory: 0, locations: reader.locations(of: fields, mapping: entry.keyNode))
            var complete = true
            if let node = field("address") {
                if let address = reader.string(node, "address of \(what)") {
                    if let problem = Addresses.problem(with: address) {
                        reader.error(.badValue, "address '\(Names.printable(address))' of \(what) is not valid: \(problem)", at: node)
                    } else {
                        host.address = address
                    }
                }
            }
            if let cpu = required(field("cpu"), "cpu", of: what, at: entry.keyNode, decode: { cores($0, "cpu of \(what)") }) {
                host.cpu = cpu
            } else { complete = false }
            if let memory = required(field("memory"), "memory", of: what, at: entry.keyNode,
                                     decode: { bytes($0, "memory of \(what)") }) {
                host.memory = memory
            } else { complete = false }
            host.zone = field("zone").flatMap { decodeName($0, "zone of \(what)") }
            host.rack = field("rack").flatMap { decodeName($0, "rack of \(what)") }
            host.labels = field("labels").flatMap { reader.nameList($0, "labels of \(what)") }?.map(\.0) ?? []
            if complete { hosts.append(host) }
        }
        return hosts
    }

    private mutating func decodePurposes(_ node: Node, failures: FailureBudget) -> [Purpose] {
        guard let entries = reader.mapping(node, "purposes") else { return [] }
        if entries.isEmpty { reader.error(.badValue, "purposes is empty; list at least one purpose", at: node) }
        var purposes: [Purpose] = []
        for entry in entries {
            if let problem = Names.problem(with: entry.key) {
                reader.error(.invalidName, "purpose name '\(Names.printable(entry.key))' is not valid: \(problem)", at: entry.keyNode)
                continue
            }
            declaredPurposes.insert(entry.key)
            let (purpose, placement) = decodePurpose(name: entry.key, keyNode: entry.keyNode, entry.value, failures: failures)
            if let purpose {
                purposes.append(purpose)
            } else if let placement {
                incompletePlacements.append((entry.key, placement))
            }
        }
        return purposes
    }

    private func decodePurpose(name: String, keyNode: Node, _ node: Node, failures: FailureBudget) -> (Purpose?, Placement?) {
        let what = "purpose '\(name)'"
        guard let fields = reader.mapping(node, what) else { return (nil, nil) }
        reader.rejectUnknownKeys(fields, allowed: Self.purposeKeys, in: what)
        let field = { (key: String) in fields.first { $0.key == key }?.value }

        let image = required(field("image"), "image", of: what, at: keyNode) { decodeImage($0, of: what) }
        let replicas = required(field("replicas"), "replicas", of: what, at: keyNode) {
            reader.integer($0, "replicas of \(what)", in: 1...1_000_000)
        }
        let cpu = required(field("cpu"), "cpu", of: what, at: keyNode) { cores($0, "cpu of \(what)") }
        let memory = required(field("memory"), "memory", of: what, at: keyNode) { bytes($0, "memory of \(what)") }

        var minAvailable = MinAvailable.count(1)
        if let node = field("min_available") {
            if case .scalar(let scalar) = node, scalar.string == "majority" {
                minAvailable = .majority
            } else if case .scalar(let scalar) = node, scalar.string.lowercased() == "majority" {
                reader.error(.badValue, "min_available of \(what) must be a whole number or 'majority' (lower case), "
                             + "found '\(scalar.string)'", at: node)
            } else if case .scalar(let scalar) = node, scalar.style == .plain, Int(scalar.string) == nil, !reader.isNull(node) {
                reader.error(.wrongType, "min_available of \(what) must be a whole number or 'majority', "
                             + "found '\(Names.printable(scalar.string))'", at: node)
            } else if let count = reader.integer(node, "min_available of \(what)", in: 1...1_000_000) {
                minAvailable = .count(count)
                if let replicas, count > replicas {
                    reader.error(.badValue, "min_available \(count) of \(what) is more than its \(replicas) replicas; "
                                 + "lower it or add replicas", at: node)
                }
            }
        }
        let survive = field("survive").map { decodeFailures($0, base: failures, "survive of \(what)") } ?? failures
        let maxPerHost = field("max_per_host").flatMap { reader.integer($0, "max_per_host of \(what)", in: 1...1_000_000) }
        let processes = field("processes").flatMap { reader.stringList($0, "processes of \(what)") }?.map(\.0) ?? []
        let ports = field("ports").map { decodePorts($0, of: what) } ?? []
        let placement = field("placement").map { decodePlacement($0, of: what) } ?? Placement()
        let env = field("env").map { decodeEnv($0, of: what) } ?? []
        let command = field("command").flatMap { decodeCommand($0, of: what) }
        let volumes = field("volumes").map { decodeVolumes($0, of: what) } ?? []

        let healthcheck = field("healthcheck").flatMap { decodeHealthcheck($0, of: what, ports: ports) }
        let devSources = field("dev").map { decodeDev($0, of: what) } ?? []

        guard let image, let replicas, let cpu, let memory else { return (nil, placement) }
        var purpose = Purpose(name: name, image: image, processes: processes, replicas: replicas, cpu: cpu, memory: memory,
                              ports: ports, minAvailable: minAvailable, survive: survive, maxPerHost: maxPerHost,
                              placement: placement, env: env, command: command?.words, volumes: volumes,
                              locations: reader.locations(of: fields, mapping: keyNode))
        purpose.commandIsString = command?.isString ?? false
        purpose.healthcheck = healthcheck
        purpose.devSources = devSources
        return (purpose, placement)
    }

    private func decodePorts(_ node: Node, of what: String) -> [PortMapping] {
        guard let items = reader.sequence(node, "ports of \(what)") else { return [] }
        var ports: [PortMapping] = []
        var seen: [String: Node] = [:]
        for item in items {
            guard let text = reader.scalarText(item, "a port of \(what)") else { continue }
            switch Ports.parse(text) {
            case .failure(let problem):
                reader.error(.badValue, "port '\(Names.printable(text))' of \(what) is not valid: \(problem)", at: item)
            case .success(let port):
                if let first = seen[port.hostSide] {
                    reader.error(.duplicatePort, "\(what) publishes host port \(port.hostSide) twice", at: item,
                                 notes: [.init("first published here", at: reader.location(first))])
                    continue
                }
                seen[port.hostSide] = item
                ports.append(port)
            }
        }
        return ports
    }

    func decodePlacement(_ node: Node, of what: String) -> Placement {
        guard let entries = reader.mapping(node, "placement of \(what)") else { return Placement() }
        reader.rejectUnknownKeys(entries, allowed: Self.placementKeys, in: "placement of \(what)")
        let field = { (key: String) in entries.first { $0.key == key }?.value }
        var placement = Placement()
        func names(_ key: String) -> [String]? {
            guard let node = field(key), let items = reader.nameList(node, "placement.\(key) of \(what)") else { return nil }
            for (name, item) in items { placement.itemLocations["\(key).\(name)"] = reader.location(item) }
            return items.map(\.0)
        }
        placement.labels = names("labels") ?? []
        placement.hosts = names("hosts")
        placement.avoid = names("avoid") ?? []
        return placement
    }

    static let secretKeys = ["secret", "file"]

    /// `NAME: value`, or `NAME: { secret: true [, file: /host/path.env] }`. No message about a variable's
    /// value quotes it: a value written where a secret belongs may be one.
    private func decodeEnv(_ node: Node, of what: String) -> [EnvVar] {
        guard let entries = reader.mapping(node, "env of \(what)") else { return [] }
        var env: [EnvVar] = []
        for entry in entries {
            if let problem = EnvNames.problem(with: entry.key) {
                reader.error(.invalidName, "environment variable '\(Names.printable(entry.key))' of \(what) is not valid: \(problem)",
                             at: entry.keyNode)
                continue
            }
            var variable: EnvVar
            if case .mapping = entry.value {
                guard let secret = decodeSecret(entry.value, name: entry.key, of: what) else { continue }
                variable = secret
            } else if reader.isNull(entry.value) {
                variable = EnvVar(entry.key, "")
            } else if case .scalar(let scalar) = entry.value {
                if let problem = ContainerText.problem(with: scalar.string) {
                    reader.error(.badValue, "env \(entry.key) of \(what) is not valid: \(problem)", at: entry.value)
                    continue
                }
                variable = EnvVar(entry.key, scalar.string)
            } else {
                reader.error(.wrongType, "env \(entry.key) of \(what) must be a string or { secret: true }, found "
                             + "\(reader.describe(entry.value))", at: entry.value)
                continue
            }
            variable.location = reader.location(entry.keyNode)
            env.append(variable)
        }
        return env
    }

    private func decodeSecret(_ node: Node, name: String, of what: String) -> EnvVar? {
        let context = "env \(name) of \(what)"
        guard let fields = reader.mapping(node, context) else { return nil }
        var ok = true
        for entry in fields where !Self.secretKeys.contains(entry.key) {
            if ["value", "default"].contains(entry.key) {
                reader.error(.unknownKey, "a secret's value does not belong in the spec (\(context)): put \(name)=… in the env "
                             + "file on the hosts (see 'file'); the value is not shown here", at: entry.keyNode)
            } else {
                reader.error(.unknownKey, "unknown key '\(Names.printable(String(entry.key.prefix(40))))' in \(context); "
                             + "expected secret, file", at: entry.keyNode)
            }
            ok = false
        }
        let field = { (key: String) in fields.first { $0.key == key }?.value }
        if let flag = field("secret") {
            if case .scalar(let scalar) = flag, scalar.style == .plain, scalar.string == "true" {
                // the one accepted form
            } else {
                reader.error(.badValue, "secret of \(context) must be 'true'; the value itself goes in the env file on the "
                             + "hosts, never in the spec (what was written is not shown)", at: flag)
                ok = false
            }
        } else {
            reader.error(.missingKey, "\(context) is a mapping but has no 'secret: true'; write a plain value, or "
                         + "{ secret: true } for a value read from an env file on the hosts", at: node)
            ok = false
        }
        var file: String? = nil
        if let fileNode = field("file") {
            if let text = reader.string(fileNode, "file of \(context)") {
                if let problem = Secrets.pathProblem(text) {
                    reader.error(.badValue, "file '\(Names.printable(String(text.prefix(80))))' of \(context) is not valid: \(problem)",
                                 at: fileNode)
                    ok = false
                } else {
                    file = text
                }
            } else { ok = false }
        }
        return ok ? EnvVar.secret(name, file: file) : nil
    }

    func decodeImage(_ node: Node, of what: String) -> String? {
        guard let text = reader.string(node, "image of \(what)") else { return nil }
        if let problem = ImageNames.problem(with: text) {
            let shown = text.unicodeScalars.count > 80 ? String(text.prefix(80)) + "…" : text
            reader.error(.badValue, "image '\(Names.printable(shown))' of \(what) is not valid: \(problem)", at: node)
            return nil
        }
        return text
    }

    /// A list of words (run as they are), or one string (Compose splits it into words as a shell would).
    private func decodeCommand(_ node: Node, of what: String) -> (words: [String], isString: Bool)? {
        let isString: Bool = { if case .scalar = node, !reader.isNull(node) { return true } else { return false } }()
        guard let items = reader.stringList(node, "command of \(what)", acceptSingle: true) else { return nil }
        var words: [String] = []
        for (text, item) in items {
            if let problem = ContainerText.problem(with: text) {
                reader.error(.badValue, "command of \(what) is not valid: \(problem)", at: item)
                return nil
            }
            if isString, let problem = ContainerText.wordsProblem(with: text) {
                reader.error(.badValue, "command of \(what) is not valid: \(problem)", at: item)
                return nil
            }
            words.append(text)
        }
        return (words, isString)
    }

    private func decodeVolumes(_ node: Node, of what: String) -> [String] {
        guard let items = reader.stringList(node, "volumes of \(what)") else { return [] }
        var volumes: [String] = []
        for (text, item) in items {
            if let problem = VolumeMounts.problem(with: text) {
                let shown = text.unicodeScalars.count > 80 ? String(text.prefix(80)) + "…" : text
                reader.error(.badValue, "volume '\(Names.printable(shown))' of \(what) is not valid: \(problem)", at: item)
                continue
            }
            volumes.append(text)
        }
        return volumes
    }

    // MARK: - Helpers

    func required<T>(_ node: Node?, _ key: String, of what: String, at owner: Node, decode: (Node) -> T?) -> T? {
        guard let node else {
            reader.error(.missingKey, "missing key '\(key)' in \(what)", at: owner)
            return nil
        }
        return decode(node)
    }

    func cores(_ node: Node, _ what: String) -> Int64? {
        quantity(node, what, Quantity.millicores)
    }

    func bytes(_ node: Node, _ what: String) -> Int64? {
        quantity(node, what, Quantity.bytes)
    }

    private func quantity(_ node: Node, _ what: String, _ parse: (String) -> Result<Int64, QuantityError>) -> Int64? {
        guard let text = reader.scalarText(node, what) else { return nil }
        switch parse(text) {
        case .success(let value): return value
        case .failure(let error):
            let code: DiagnosticCode = { if case .unknownUnit = error { return .badUnit } else { return .badValue } }()
            reader.error(code, "\(what): \(error)", at: node)
            return nil
        }
    }
}

/// `host:container[/tcp|udp]`, or one port for both sides.
public enum Ports {
    public static func parse(_ text: String) -> Result<PortMapping, PortError> {
        var body = Substring(text)
        var proto = PortMapping.TransportProtocol.tcp
        if let slash = body.lastIndex(of: "/") {
            guard let parsed = PortMapping.TransportProtocol(rawValue: String(body[body.index(after: slash)...])) else {
                return .failure(.init("the protocol must be tcp or udp"))
            }
            proto = parsed
            body = body[..<slash]
        }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            return .failure(.init("write host:container, for example \"80:8080\" (binding to one address is not supported)"))
        }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 5, part.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(part) else {
                return .failure(.init("write host:container with numbers, for example \"80:8080\""))
            }
            guard (1...65535).contains(number) else { return .failure(.init("\(number) is not a port (1 to 65535)")) }
            numbers.append(number)
        }
        return .success(PortMapping(hostPort: numbers[0], containerPort: numbers.last!, proto: proto))
    }

    public struct PortError: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }
}

enum EnvNames {
    static func problem(with name: String) -> String? {
        guard let first = name.unicodeScalars.first else { return "a name must not be empty" }
        if name.unicodeScalars.count > 255 { return "too long" }
        let valid = name.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        if !valid || ("0"..."9").contains(first) { return "use letters, digits and '_', not starting with a digit" }
        return nil
    }
}

enum Addresses {
    /// An IPv4 address (four numbers 0…255), an IPv6 address, or a DNS name (labels of letters, digits
    /// and '-', not starting or ending with '-'). These go into balancer configurations and endpoint lists.
    static func problem(with text: String) -> String? {
        if text.count > 253 { return "too long" }
        let allowed = text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" || $0 == ":"
        }
        if !allowed { return "use an IP address or a host name (letters, digits, '.', '-', ':')" }
        if text.hasPrefix("-") || text.hasPrefix(".") { return "must start with a letter or digit" }
        if text.contains(":") {
            return isIPv6(text) ? nil : "not an IPv6 address (a ':' is only allowed in one)"
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
            if parts.count != 4 { return "an IPv4 address has four numbers, for example 10.0.0.1" }
            if parts.contains(where: { $0.count > 3 || (Int($0).map { $0 > 255 } ?? true) }) { return "an IPv4 address has numbers 0 to 255" }
            return nil
        }
        for label in parts {
            if label.isEmpty { return "a host name has no empty parts (no '..' and no trailing '.')" }
            if label.count > 63 { return "each part of a host name may be at most 63 characters" }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "a part of a host name cannot start or end with '-'" }
        }
        return nil
    }

    /// RFC 4291 text form, without a zone (`%eth0`) or an embedded IPv4 tail.
    static func isIPv6(_ text: String) -> Bool {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ part: String) -> [Substring]? {
            if part.isEmpty { return [] }
            let items = part.split(separator: ":", omittingEmptySubsequences: false)
            guard items.allSatisfy({ (1...4).contains($0.count) && $0.unicodeScalars.allSatisfy(\.properties.isASCIIHexDigit) }) else { return nil }
            return items
        }
        guard let head = groups(halves[0]) else { return false }
        if halves.count == 1 { return head.count == 8 }
        guard let tail = groups(halves[1]) else { return false }
        return head.count + tail.count <= 7
    }
}
