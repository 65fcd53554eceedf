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
        for (d, row) in assignment.enumerated() where row.reduce(0, { $0 + $1.count }) != problem.demands[d].replicas { return false }
        let (cpu, memory) = problem.usage(of: assignment)
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
