// HealthcheckDecoder: a purpose's `healthcheck:`, an HTTP request or a command, with its timings.
import Yams

/// Decodes `healthcheck:`; an `http` check without a `port` checks the purpose's first published tcp port.
struct HealthcheckDecoder {
    let reader: NodeReader

    static let keys = ["http", "port", "command", "interval", "timeout", "retries"]

    func decode(_ node: Node, of what: String, ports: [PortMapping]) -> Healthcheck? {
        let context = "healthcheck of \(what)"
        guard let entries = reader.mapping(node, context) else { return nil }
        reader.rejectUnknownKeys(entries, allowed: Self.keys, in: context)
        let field = entries.value(of:)
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
            if let ms = reader.duration(valueNode, "\(key) of \(context)") { check[keyPath: keyPath] = ms } else { ok = false }
        }
        if let retriesNode = field("retries") {
            if let retries = reader.integer(retriesNode, "retries of \(context)", in: 1...100) { check.retries = retries } else { ok = false }
        }
        return ok ? check : nil
    }
}
