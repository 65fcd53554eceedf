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

/// Branch and price: a complete search for a placement under the limits, on the configuration LP.
extension ConfigurationLP {
    /// LPs one branch and price may solve.
    static let branchAndPriceNodes = 200

    enum SearchOutcome {
        /// A placement under the limits.
        case found([[HostCount]])
        /// None exists: every branch's LP excluded its part.
        case none
        /// The node or work limit ran out first.
        case unknown
    }

    /// Depth-first branch and price (Barnhart et al., 1998): solve the LP; where it admits the
    /// limits, take the count x of a purpose on a host from its solution; if some x is fractional,
    /// branch on the one nearest a half (at most ⌊x⌋, at least ⌈x⌉, the nearer first); if all are
    /// whole, they are a placement unless a host holds two conflicting purposes (branch on one of
    /// them: absent, present) or it breaks the exact survival rule (then give up: the LP cannot say).
    /// Complete within `branchAndPriceNodes` LPs: `.none` is a proof.
    func branchAndPrice() -> SearchOutcome {
        var solves = 0, incomplete = false
        let hostCount = problem.hosts.count
        func visit(_ node: ConfigurationLP) -> [[HostCount]]? {
            guard solves < ConfigurationLP.branchAndPriceNodes else {
                incomplete = true
                return nil
            }
            solves += 1
            let solution = node.solve()
            switch solution.verdict {
            case .excluded: return nil
            case .unknown:
                incomplete = true
                return nil
            case .admitted: break
            }
            var counts: [Int: Double] = [:]
            for (configuration, weight) in solution.weighted {
                for (d, n) in configuration.counts { counts[node.pairKey(d, configuration.host), default: 0] += weight * Double(n) }
            }
            var children: [ConfigurationLP] = []
            var nearestHalf = 1e-6
            for (key, x) in counts.sorted(by: { $0.key < $1.key }) {
                let fraction = x - x.rounded(.down), distance = min(fraction, 1 - fraction)
                guard distance > nearestHalf else { continue }
                nearestHalf = distance
                let below = Int(x.rounded(.down))
                var down = node, up = node
                down.restrict(key, most: below)
                up.restrict(key, least: below + 1)
                children = fraction >= 0.5 ? [up, down] : [down, up]
            }
            if children.isEmpty {
                var assignment = Array(repeating: [HostCount](), count: problem.demands.count)
                for (key, x) in counts.sorted(by: { $0.key < $1.key }) where x.rounded() > 0 {
                    assignment[key / hostCount].append(HostCount(host: key % hostCount, count: Int(x.rounded())))
                }
                guard let (d, h) = node.conflict(in: assignment) else {
                    if node.survives(assignment), node.holdsEverything(assignment) { return assignment }
                    incomplete = true
                    return nil
                }
                var absent = node, present = node
                absent.restrict(node.pairKey(d, h), most: 0)
                present.restrict(node.pairKey(d, h), least: 1)
                children = [absent, present]
            }
            for var child in children {
                child.seeds = solution.configurations
                if let found = visit(child) { return found }
            }
            return nil
        }
        if let found = visit(self) { return .found(found) }
        return incomplete ? .unknown : .none
    }

    /// Every replica placed, no host over its limits: the rounded LP solution is a placement.
    func holdsEverything(_ assignment: [[HostCount]]) -> Bool {
        var cpu = [Int64](repeating: 0, count: problem.hosts.count), memory = cpu
        for (d, row) in assignment.enumerated() {
            guard row.reduce(0, { $0 + $1.count }) == problem.demands[d].replicas else { return false }
            for entry in row {
                cpu[entry.host] += problem.demands[d].cpu * Int64(entry.count)
                memory[entry.host] += problem.demands[d].memory * Int64(entry.count)
            }
        }
        return problem.hosts.indices.allSatisfy { cpu[$0] <= cpuLimit[$0] && memory[$0] <= memoryLimit[$0] }
    }

    /// Narrows the bounds on one count.
    mutating func restrict(_ key: Int, least: Int = 0, most: Int = .max) {
        let old = countBounds[key] ?? (least: 0, most: .max)
        countBounds[key] = (least: max(old.least, least), most: min(old.most, most))
    }

    /// A purpose and host where the host holds the purpose and one it conflicts with, if any.
    func conflict(in assignment: [[HostCount]]) -> (purpose: Int, host: Int)? {
        var present = Array(repeating: Set<Int>(), count: problem.hosts.count)
        for (d, row) in assignment.enumerated() { for entry in row { present[entry.host].insert(d) } }
        for (h, purposes) in present.enumerated() {
            for d in purposes.sorted() where problem.demands[d].conflicts.contains(where: purposes.contains) { return (d, h) }
        }
        return nil
    }
}
