// HostAddressCheck: a purpose that balancers forward to, or that `@{purpose:port}` names, needs host addresses.
import Yams

/// Backends and endpoint references are host addresses: every host the purpose may run on needs one.
/// Balancer routes and endpoint references both ask it, with their own reason.
struct HostAddressCheck {
    let reader: NodeReader
    let hosts: [Host]

    /// False, after reporting the hosts without one at `node`, when some host the purpose may use has no address.
    func addressesPresent(for purpose: Purpose, because reason: String, at node: Node) -> Bool {
        let missing = hosts.filter { purpose.placement.admits($0) && $0.address == nil }
        guard !missing.isEmpty else { return true }
        let names = missing.map(\.name)
        reader.error(.missingKey, "purpose '\(purpose.name)' may run on \(quotedList(names)), which \(names.count == 1 ? "has" : "have") "
                     + "no address, and \(reason); give \(names.count == 1 ? "it" : "each") an 'address:' "
                     + "(or keep the purpose off \(names.count == 1 ? "it" : "them") with placement)", at: node,
                     notes: missing.prefix(5).map { .init("host '\($0.name)' is here", at: $0.locations.this) })
        return false
    }
}
