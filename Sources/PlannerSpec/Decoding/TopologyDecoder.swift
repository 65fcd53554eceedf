// TopologyDecoder: the spec's top-level keys and its hosts; purposes, balancers and logging go to their own decoders.
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
    static let hostKeys = ["address", "cpu", "memory", "zone", "rack", "labels"]

    mutating func decode(_ root: Node) -> Topology? {
        guard let entries = reader.mapping(root, "the spec") else { return nil }
        reader.rejectUnknownKeys(entries, allowed: Self.topLevelKeys, in: "the spec")
        let locations = reader.locations(of: entries, mapping: root)
        let value = entries.value(of:)

        var name: String? = nil
        if let node = value("topology") {
            name = reader.decodeName(node, "the topology name")
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
                let hint = didYouMean(text, among: Strategy.allCases.map(\.rawValue))
                reader.error(.badValue, "strategy must be 'spread' or 'binpack', found '\(Names.printable(text))'\(hint)", at: node)
            }
        }
        let failures = value("failures").map { reader.decodeFailures($0, base: FailureBudget(), "failures") } ?? FailureBudget()

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
        let logging = value("logging").flatMap { LoggingDecoder(reader: reader).decode($0) }
        // Balancers join the purposes, so that they are placed, spread and survival-checked like any other.
        var balancers: [Balancer] = []
        if let node = value("balancers") {
            let decoded = BalancerDecoder(reader: reader, failures: failures, hosts: hosts, purposes: purposes,
                                          declaredPurposes: declaredPurposes).decode(node)
            declaredPurposes.formUnion(decoded.declared)
            purposes += decoded.purposes
            balancers = decoded.balancers
        }
        // Endpoint references may name a balancer, so they are checked once balancers are decoded.
        if let node = value("purposes") {
            EndpointReferenceCheck(reader: reader, hosts: hosts, purposes: purposes, declaredPurposes: declaredPurposes).run(node)
        }
        // Without a name the spec is already in error; the rest is still returned so that it is validated too.
        var topology = Topology(name: name ?? "", registry: registry, strategy: strategy, failures: failures,
                                hosts: hosts, purposes: purposes, locations: locations)
        topology.balancers = balancers
        topology.logging = logging
        return topology
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
            let field = fields.value(of:)
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
            if let cpu = reader.required(field("cpu"), "cpu", of: what, at: entry.keyNode,
                                         decode: { reader.cores($0, "cpu of \(what)") }) {
                host.cpu = cpu
            } else { complete = false }
            if let memory = reader.required(field("memory"), "memory", of: what, at: entry.keyNode,
                                            decode: { reader.bytes($0, "memory of \(what)") }) {
                host.memory = memory
            } else { complete = false }
            host.zone = field("zone").flatMap { reader.decodeName($0, "zone of \(what)") }
            host.rack = field("rack").flatMap { reader.decodeName($0, "rack of \(what)") }
            host.labels = field("labels").flatMap { reader.nameList($0, "labels of \(what)") }?.map(\.0) ?? []
            if complete { hosts.append(host) }
        }
        return hosts
    }

    private mutating func decodePurposes(_ node: Node, failures: FailureBudget) -> [Purpose] {
        guard let entries = reader.mapping(node, "purposes") else { return [] }
        if entries.isEmpty { reader.error(.badValue, "purposes is empty; list at least one purpose", at: node) }
        let decoder = PurposeDecoder(reader: reader, failures: failures)
        var purposes: [Purpose] = []
        for entry in entries {
            if let problem = Names.problem(with: entry.key) {
                reader.error(.invalidName, "purpose name '\(Names.printable(entry.key))' is not valid: \(problem)", at: entry.keyNode)
                continue
            }
            declaredPurposes.insert(entry.key)
            let (purpose, placement) = decoder.decode(name: entry.key, keyNode: entry.keyNode, entry.value)
            if let purpose {
                purposes.append(purpose)
            } else if let placement {
                incompletePlacements.append((entry.key, placement))
            }
        }
        return purposes
    }
}
