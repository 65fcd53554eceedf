/// Price and dive: a placement under the configuration LP's limits, found by rounding its solution.
extension ConfigurationLP {
    /// Solves of the LP one dive may take, and configurations it tries per host it fixes.
    static let diveSolves = 40
    static let diveBranching = 2

    /// A placement under the limits, or nil. Fixes the configuration the LP weighs most (ties: the
    /// lower host), solves again on what is left, until every replica is held; where the LP excludes
    /// the rest, it takes the next-weighed configuration instead (`diveBranching` per level), within
    /// `diveSolves` LPs in all. A rounding heuristic for column generation (as in branch and price,
    /// without the branching being complete): each level removes one host, so a dive that never
    /// backs up solves at most one LP per host. Checks the exact survival rule for k ≥ 2 at the end,
    /// which the LP relaxes.
    func dive() -> [[HostCount]]? {
        var solves = 0
        func descend(_ state: ConfigurationLP) -> [Configuration]? {
            if state.remaining.allSatisfy({ $0 == 0 }) { return state.fixed }
            guard solves < ConfigurationLP.diveSolves else { return nil }
            solves += 1
            let solution = state.solve()
            guard solution.verdict == .admitted else { return nil }
            let ranked = solution.weighted.sorted { a, b in
                a.weight != b.weight ? a.weight > b.weight : a.configuration.host < b.configuration.host
            }
            for candidate in ranked.prefix(ConfigurationLP.diveBranching) {
                var next = state
                next.fix(candidate.configuration)
                next.seeds = solution.weighted.map(\.configuration)
                if let found = descend(next) { return found }
                if solves >= ConfigurationLP.diveSolves { return nil }
            }
            return nil
        }
        guard let configurations = descend(self) else { return nil }
        var assignment = Array(repeating: [HostCount](), count: problem.demands.count)
        for configuration in configurations {
            for (d, n) in configuration.counts where n > 0 { assignment[d].append(HostCount(host: configuration.host, count: n)) }
        }
        for d in assignment.indices { assignment[d].sort { $0.host < $1.host } }
        return survives(assignment) ? assignment : nil
    }

    /// The exact k-largest survival rule per purpose, for hosts, racks and zones.
    func survives(_ assignment: [[HostCount]]) -> Bool {
        for (d, row) in assignment.enumerated() {
            let demand = problem.demands[d]
            let budgets: [(k: Int, domain: (Int) -> Int)] = [
                (demand.survive.hosts, { $0 }),
                (demand.survive.racks, { problem.hosts[$0].rack }),
                (demand.survive.zones, { problem.hosts[$0].zone }),
            ]
            for (k, domain) in budgets where k > 0 {
                var perDomain: [Int: Int] = [:]
                for entry in row where domain(entry.host) >= 0 { perDomain[domain(entry.host), default: 0] += entry.count }
                if SurvivalMath.largestSum(Array(perDomain.values), k: k) > demand.tolerableLoss { return false }
            }
        }
        return true
    }
}
