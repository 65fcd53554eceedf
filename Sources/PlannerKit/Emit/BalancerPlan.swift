// A balancer's routes with their backends: what its configuration needs.

import PlannerSpec

/// What a balancer's configuration needs: its routes with their backends.
public struct BalancerPlan: Sendable, Hashable {
    public struct ResolvedRoute: Sendable, Hashable {
        public var route: Route
        public var backends: [Backend]
        /// In development backends are service names, resolved by Docker's DNS when they come up.
        public var resolveAtRuntime: Bool
    }

    public var balancer: Balancer
    public var routes: [ResolvedRoute]

    public init(_ balancer: Balancer, topology: Topology, resolution: EndpointResolution) {
        self.balancer = balancer
        let development: Bool = { if case .development = resolution { return true } else { return false } }()
        routes = balancer.routes.map { route in
            let backends = topology.purpose(named: route.purpose).map { resolution.backends(of: $0, port: route.port, in: topology) } ?? []
            return ResolvedRoute(route: route, backends: backends, resolveAtRuntime: development)
        }
    }
}
