// The linear relaxation of a spread placement, a lower bound on its peak solved by `DenseSimplex`.

import PlannerSpec

extension Solver {
    /// Most (purpose, host) pairs for which the linear relaxation is solved (its tableau grows with
    /// their square).
    static let relaxationPairs = 400

    /// The least peak utilisation of the linear relaxation of the placement: replicas may be split,
    /// but each (purpose, host) pair keeps its cap (capacity, `max_per_host`, ports, survival), each
    /// host its cpu and memory (both at once, which the per-resource averages miss), and each rack
    /// and zone a purpose must survive at most r − m replicas. A lower bound on the peak of every
    /// placement; above 1 it proves that none exists. Nil when the problem has more than
    /// `relaxationPairs` pairs or the simplex gives up. Solved by `DenseSimplex`.
    static func relaxedPeak(_ problem: PlacementProblem) -> Double? {
        var pairs: [(purpose: Int, host: Int, cap: Int)] = []
        for d in problem.demands.indices where problem.demands[d].replicas > 0 {
            for h in problem.demands[d].eligible {
                let cap = problem.staticCap(d, h)
                if cap > 0 { pairs.append((d, h, cap)) }
            }
            guard pairs.count <= relaxationPairs else { return nil }
        }
        guard !pairs.isEmpty else { return nil }
        let peak = pairs.count
        var rows: [DenseSimplex.Row] = []
        var byPurpose: [Int: [Int]] = [:], byHost: [Int: [Int]] = [:]
        for (i, pair) in pairs.enumerated() {
            byPurpose[pair.purpose, default: []].append(i)
            byHost[pair.host, default: []].append(i)
            rows.append(.init(coefficients: [(i, 1)], relation: .lessOrEqual, bound: Double(pair.cap)))
        }
        for d in problem.demands.indices where problem.demands[d].replicas > 0 {
            let demand = problem.demands[d]
            let own = byPurpose[d] ?? []
            rows.append(.init(coefficients: own.map { ($0, 1) }, relation: .equal, bound: Double(demand.replicas)))
            for domain in [FailureBudget.Domain.rack, .zone] where demand.survive[domain] > 0 && demand.tolerableLoss >= 0 {
                var perDomain: [Int: [Int]] = [:]
                for i in own {
                    let index = problem.domainIndex(domain, of: pairs[i].host)
                    if index >= 0 { perDomain[index, default: []].append(i) }
                }
                for index in perDomain.keys.sorted() {
                    rows.append(.init(coefficients: perDomain[index]!.map { ($0, 1) }, relation: .lessOrEqual,
                                      bound: Double(demand.tolerableLoss)))
                }
            }
        }
        for h in byHost.keys.sorted() {
            let host = problem.hosts[h], on = byHost[h]!
            rows.append(.init(coefficients: on.map { ($0, Double(problem.demands[pairs[$0].purpose].cpu) / Double(host.cpu)) } + [(peak, -1)],
                              relation: .lessOrEqual, bound: 0))
            rows.append(.init(coefficients: on.map { ($0, Double(problem.demands[pairs[$0].purpose].memory) / Double(host.memory)) } + [(peak, -1)],
                              relation: .lessOrEqual, bound: 0))
        }
        var cost = [Double](repeating: 0, count: pairs.count + 1)
        cost[peak] = 1
        switch DenseSimplex.minimise(cost: cost, variables: pairs.count + 1, rows: rows) {
        case .optimal(let value):
            // A hair below what the floating-point simplex reports, so rounding never overstates the bound.
            return max(0, value - 1e-9)
        case .infeasible, .unbounded, .gaveUp:
            return nil
        }
    }
}
