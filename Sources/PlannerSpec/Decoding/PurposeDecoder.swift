// PurposeDecoder: one entry of `purposes:` with its ports, command, volumes and dev sources;
// `env` and `healthcheck` go to their own decoders.
import Yams

/// Decodes one purpose. One that lacks a required key is not returned, but its placement is,
/// so that the names the placement refers to are still checked.
struct PurposeDecoder {
    let reader: NodeReader
    /// The topology's `failures`, which a purpose's `survive` overrides key by key.
    let failures: FailureBudget

    static let keys = ["image", "processes", "replicas", "cpu", "memory", "ports", "min_available", "survive",
                       "max_per_host", "placement", "env", "command", "volumes", "healthcheck", "dev"]
    static let devKeys = ["sources"]

    func decode(name: String, keyNode: Node, _ node: Node) -> (Purpose?, Placement?) {
        let what = "purpose '\(name)'"
        guard let fields = reader.mapping(node, what) else { return (nil, nil) }
        reader.rejectUnknownKeys(fields, allowed: Self.keys, in: what)
        let field = fields.value(of:)

        let image = reader.required(field("image"), "image", of: what, at: keyNode) { reader.decodeImage($0, of: what) }
        let replicas = reader.required(field("replicas"), "replicas", of: what, at: keyNode) {
            reader.integer($0, "replicas of \(what)", in: 1...1_000_000)
        }
        let cpu = reader.required(field("cpu"), "cpu", of: what, at: keyNode) { reader.cores($0, "cpu of \(what)") }
        let memory = reader.required(field("memory"), "memory", of: what, at: keyNode) { reader.bytes($0, "memory of \(what)") }

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
        let survive = field("survive").map { reader.decodeFailures($0, base: failures, "survive of \(what)") } ?? failures
        let maxPerHost = field("max_per_host").flatMap { reader.integer($0, "max_per_host of \(what)", in: 1...1_000_000) }
        let processes = field("processes").flatMap { reader.stringList($0, "processes of \(what)") }?.map(\.0) ?? []
        let ports = field("ports").map { decodePorts($0, of: what) } ?? []
        let placement = field("placement").map { reader.decodePlacement($0, of: what) } ?? Placement()
        let env = field("env").map { EnvDecoder(reader: reader).decode($0, of: what) } ?? []
        let command = field("command").flatMap { decodeCommand($0, of: what) }
        let volumes = field("volumes").map { decodeVolumes($0, of: what) } ?? []

        let healthcheck = field("healthcheck").flatMap { HealthcheckDecoder(reader: reader).decode($0, of: what, ports: ports) }
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

    /// `dev.sources:`, bind mounts that only `plan --dev` writes.
    private func decodeDev(_ node: Node, of what: String) -> [String] {
        guard let entries = reader.mapping(node, "dev of \(what)") else { return [] }
        reader.rejectUnknownKeys(entries, allowed: Self.devKeys, in: "dev of \(what)")
        guard let sources = entries.value(of: "sources"),
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
}
