// The services of a generated compose file, field by field: what `diff` compares.

import Yams

/// The services of one host's compose file, read back from its text. Only what planner writes is
/// understood: `services:` maps service names to fields, `labels` name the purpose. Each field is kept
/// as a canonical text (the node re-serialised), so two files compare equal exactly when Compose sees
/// the same definition; `environment` is kept per variable so a change can name the variable.
public struct ComposeServices: Sendable, Equatable {
    public struct Service: Sendable, Equatable {
        /// The `planner.purpose` label; the service name when there is none (a hand-written file).
        public var purpose: String
        /// Field name → canonical text; `environment.NAME` per variable.
        public var fields: [String: String]
    }

    /// By service name.
    public var services: [String: Service]

    public init(services: [String: Service] = [:]) { self.services = services }

    /// Parses `text`; a file that is not a mapping with `services` gives no services, and a YAML error
    /// throws its message (the folder was edited by hand: diff says so rather than guessing).
    public static func parse(_ text: String) throws(SimulationInputError) -> ComposeServices {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch { throw SimulationInputError("not valid YAML: \(error)") }
        guard let services = root?.mapping?["services"]?.mapping else { return ComposeServices() }
        var result: [String: Service] = [:]
        for (key, body) in services {
            guard let name = key.string else { continue }
            var fields: [String: String] = [:]
            var purpose = name
            for (fieldKey, value) in body.mapping ?? [:] {
                guard let field = fieldKey.string else { continue }
                switch field {
                case "environment":
                    for (variable, setting) in value.mapping ?? [:] {
                        fields["environment." + (variable.string ?? "?")] = canonical(setting)
                    }
                case "labels":
                    if let label = value.mapping?["planner.purpose"]?.string { purpose = label }
                    fields[field] = canonical(value)
                default:
                    fields[field] = canonical(value)
                }
            }
            result[name] = Service(purpose: purpose, fields: fields)
        }
        return ComposeServices(services: result)
    }

    /// A node as text independent of its quoting style: scalars by value, sequences and mappings in order.
    static func canonical(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return JSONValue.quote(scalar.string)
        case .sequence(let items): return "[" + items.map(canonical).joined(separator: ",") + "]"
        case .mapping(let pairs): return "{" + pairs.map { canonical($0.key) + ":" + canonical($0.value) }.joined(separator: ",") + "}"
        case .alias: return "*"
        }
    }
}
