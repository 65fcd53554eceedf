// How endpoint references and balancer routes resolve: on the placed hosts, or on a laptop.

import PlannerSpec

/// How endpoint references and balancer routes are resolved: on the placed hosts, or on one laptop
/// where every purpose runs once and is reached by its service name.
public enum EndpointResolution: Sendable {
    case placed(PlacementCounts)
    case development

    /// The backends of container port `port` of `purpose`.
    public func backends(of purpose: Purpose, port: Int, in topology: Topology) -> [Backend] {
        switch self {
        case .development:
            return [Backend(name: purpose.name, address: purpose.name, port: port)]
        case .placed(let placement):
            guard let mapping = purpose.ports.first(where: { $0.proto == .tcp && $0.containerPort == port }) else { return [] }
            let counts = placement[purpose.name] ?? [:]
            return topology.hosts.compactMap { host in
                guard (counts[host.name] ?? 0) > 0, let address = host.address else { return nil }
                return Backend(name: host.name, address: address, port: mapping.hostPort)
            }
        }
    }

    /// An environment value with every `@{purpose:port}` replaced by its comma-separated endpoints.
    public func resolve(_ value: String, in topology: Topology) -> String {
        guard value.contains("@"), case .success(let pieces) = EndpointReferences.parse(value) else { return value }
        return pieces.map { piece in
            switch piece {
            case .text(let text): return text
            case .reference(let name, let port):
                guard let purpose = topology.purpose(named: name) else { return "" }
                return backends(of: purpose, port: port, in: topology).map(\.endpoint).joined(separator: ",")
            }
        }.joined()
    }
}
