// EndpointReferenceCheck: every `@{purpose:port}` in an `env` value names a purpose that publishes that port.
import Yams

/// Checks every `@{purpose:port}` in the purposes' `env` values against the decoded purposes (balancers
/// included). It reads the node tree, not the decoded `EnvVar`s, so that each finding lands on its value.
struct EndpointReferenceCheck {
    let reader: NodeReader
    let hosts: [Host]
    let purposes: [Purpose]
    /// Every purpose and balancer name written, so a reference to one that did not decode causes no second error.
    let declaredPurposes: Set<String>

    func run(_ purposesNode: Node) {
        let addresses = HostAddressCheck(reader: reader, hosts: hosts)
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
                                let hint = didYouMean(target, among: purposes.map(\.name))
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
                        _ = addresses.addressesPresent(for: purpose, because: "env \(variable) of \(what) refers to it",
                                                       at: valueNode)
                    }
                }
            }
        }
    }
}
