// Everything plan writes, as file contents by path: the emitters put together.

import PlannerSpec

/// Everything `planner plan` writes, as file contents keyed by path relative to the output folder.
/// Pure: the same topology, placement and spec give byte-identical files; only the writer touches disk.
public enum PlanEmitter {
    /// The deployment: `hosts/<host>/compose.yaml` for every host that runs something,
    /// `balancers/<name>/haproxy.cfg|nginx.conf`, and `placement.json`.
    public static func files(topology: Topology, placement: PlacementCounts, specName: String,
                             specBytes: [UInt8]) throws -> [String: String] {
        // Name order, never file order: reordering hosts or purposes in the spec changes no file.
        let topology = Replanner.canonical(topology)
        var files: [String: String] = [:]
        // What runs where, in name order, worked out once: asking every purpose about every host was
        // O(purposes × hosts) string lookups.
        var running: [String: [(purpose: Purpose, count: Int)]] = [:]
        for purpose in topology.purposes {
            for (host, count) in placement[purpose.name] ?? [:] { running[host, default: []].append((purpose, count)) }
        }
        let purposeNames = Set(topology.purposes.map(\.name))
        for host in topology.hosts {
            if let text = try ComposeEmitter.hostFile(for: host, running: running[host.name] ?? [], topology: topology,
                                                      placement: placement, specName: specName, purposeNames: purposeNames) {
                files["hosts/\(host.name)/compose.yaml"] = text
            }
        }
        try addBalancers(to: &files, topology: topology, resolution: .placed(placement), specName: specName)
        files["placement.json"] = PlacementFile.json(placement: placement, topology: topology, specName: specName,
                                                     specBytes: specBytes)
        return files
    }

    /// `plan --dev`: `compose.yaml` with one replica of every purpose, and the balancers' configurations
    /// pointing at service names. `sourceBase`: the spec's folder relative to the output folder.
    public static func developmentFiles(topology: Topology, specName: String, sourceBase: String) throws -> [String: String] {
        let topology = Replanner.canonical(topology)
        var files: [String: String] = [:]
        files["compose.yaml"] = try ComposeEmitter.developmentFile(topology: topology, specName: specName, sourceBase: sourceBase)
        try addBalancers(to: &files, topology: topology, resolution: .development, specName: specName)
        return files
    }

    private static func addBalancers(to files: inout [String: String], topology: Topology, resolution: EndpointResolution,
                                     specName: String) throws {
        for balancer in topology.balancers {
            let plan = BalancerPlan(balancer, topology: topology, resolution: resolution)
            let text: String
            switch balancer.kind {
            case .haproxy: text = try HAProxyEmitter.config(plan, topology: topology, specName: specName)
            case .nginx: text = try NginxEmitter.config(plan, topology: topology, specName: specName)
            }
            files["balancers/\(balancer.name)/\(balancer.kind.configFile)"] = text
        }
    }
}
