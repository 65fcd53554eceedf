// The configuration LP: its model, its column generation and the verdict it reaches.

import Foundation

/// The configuration LP (Gilmore and Gomory's cutting-stock LP, 1961), used to prove that no
/// placement keeps every host under given cpu and memory limits (`spread`: strictly below a
/// placement's peak, `init(problem:below:)`), or that none uses fewer hosts than a placement
/// (`binpack`, with `hostBudget`); its dives and branch and price also find `spread` placements
/// under the limits.
///
/// Each host takes a convex combination of *configurations*: count vectors of purposes that fit on
/// it together under the limits, within per-host caps, eligibility and conflicts. Together they must
/// hold every replica, and each rack and zone a purpose survives at most r − m of them. Each host's
/// configurations are whole, so this is far stronger than the relaxation that splits replicas
/// (`relaxedPeak`).
///
/// Column generation: the master LP (`DenseSimplex`) over the configurations found so far maximises
/// the replicas held; its duals price a new configuration for each host, found by a branch and
/// bound (a bounded knapsack in two resources with conflicts: `price`). The proof does not rest on
/// the LP's arithmetic: for any duals u, w ≥ 0 every placement holds at most the Lagrangian bound
///   Σ_d r_d·u_d + Σ_(d, domain) (r_d − m_d)·w_(d, domain) + Σ_h max(0, max over configurations of h
///   of Σ_d n_d·(1 − u_d − w_(d, rack h) − w_(d, zone h))),
/// with each host's maximum taken from its pricing search (exact when the search ends, else its
/// fractional bound), so the limits exclude every placement when that falls short of the replicas.
/// Host survival for k ≥ 2 (across hosts) is left out: a relaxation stays a valid proof.
/// With a host budget B (for `binpack`), one more row holds the configurations in use to B, and its
/// dual z adds B·z to the bound and takes z off each host's best configuration.
/// Each round costs one simplex on (purposes + hosts + domains) rows and one pricing per host.
struct ConfigurationLP {
    let problem: PlacementProblem
    /// What each host may hold, per resource.
    let cpuLimit: [Int64]
    let memoryLimit: [Int64]
    /// Replicas still to hold, per purpose: all of them, less what a dive has fixed.
    var remaining: [Int]
    /// Hosts whose configuration a dive has not fixed.
    var open: [Bool]
    /// Replicas fixed per (purpose, rack or zone): the domain's r − m holds them too.
    var fixedInDomain: [DomainRow: Int] = [:]
    /// The configurations a dive has fixed.
    var fixed: [Configuration] = []
    /// Branch and price's bounds on single counts, by `pairKey`: least and most replicas of a
    /// purpose on a host.
    var countBounds: [Int: (least: Int, most: Int)] = [:]
    /// The work of every LP solved for one placement problem (dives, proofs), with its limit.
    var meter: ConfigurationWork? = nil
    /// Configurations to start from, those that still fit (`fits`): column generation then needs
    /// fewer rounds.
    var seeds: [Configuration] = []
    /// At most this many hosts may hold anything (`binpack`: can fewer hosts than a placement's do?).
    var hostBudget: Int? = nil
    /// What the budget leaves for the open hosts (every fixed configuration holds something).
    var hostsLeft: Int? { hostBudget.map { max(0, $0 - fixed.count) } }

    init(problem: PlacementProblem, cpuLimit: [Int64], memoryLimit: [Int64]) {
        self.problem = problem
        self.cpuLimit = cpuLimit
        self.memoryLimit = memoryLimit
        remaining = problem.demands.map(\.replicas)
        open = Array(repeating: true, count: problem.hosts.count)
    }

    /// Limits on the work, all counted (not timed) so that the verdict is deterministic. Most rounds
    /// of column generation and configurations in the master LP.
    static let maxRounds = 60
    static let maxConfigurations = 1_200
    /// Nodes of one pricing search; once more when a round found nothing new and a search was cut short.
    static let pricingNodes = 20_000
    static let exactPricingNodes = 400_000
    /// Pricing nodes in all: room for the proofs the LP reaches, and an early stop for the LPs that
    /// will not reach one.
    static let maxPricingWork = 500_000

    /// A configuration: the host and its (purpose, count) pairs.
    struct Configuration: Hashable {
        var host: Int
        var counts: [Int: Int]
    }

    enum Verdict: Equatable {
        /// No placement fits under the limits.
        case excluded
        /// The configuration LP admits one (a placement may or may not exist).
        case admitted
        /// A round or pricing limit ran out, or the simplex gave up: nothing is known.
        case unknown
    }

    /// The verdict and, when admitted, the master LP's solution (configurations with positive
    /// weight) and every configuration it had.
    struct Solution {
        var verdict: Verdict
        var weighted: [(configuration: Configuration, weight: Double)] = []
        var configurations: [Configuration] = []
    }

    /// Rows of the master LP that hold per (purpose, domain): a rack or zone the purpose survives.
    struct DomainRow: Hashable {
        var purpose: Int
        var isZone: Bool
        var index: Int
    }

    func verdict() -> Verdict { solve().verdict }

    /// Column generation to a verdict (see the type's comment).
    func solve() -> Solution {
        let demands = problem.demands
        let total = remaining.reduce(0, +)
        guard total > 0 else { return Solution(verdict: .admitted) }
        // Domain rows, in a fixed order: every (purpose, rack or zone) with one of its eligible hosts.
        var domainRows: [DomainRow] = []
        for (d, demand) in demands.enumerated() where remaining[d] > 0 {
            if demand.survive.racks > 0 {
                for rack in Set(demand.eligible.map { problem.hosts[$0].rack }).filter({ $0 >= 0 }).sorted() {
                    domainRows.append(DomainRow(purpose: d, isZone: false, index: rack))
                }
            }
            if demand.survive.zones > 0 {
                for zone in Set(demand.eligible.map { problem.hosts[$0].zone }).filter({ $0 >= 0 }).sorted() {
                    domainRows.append(DomainRow(purpose: d, isZone: true, index: zone))
                }
            }
        }
        let domainRowIndex = Dictionary(uniqueKeysWithValues: domainRows.enumerated().map { ($1, $0) })
        let domainRoom = domainRows.map { problem.demands[$0.purpose].tolerableLoss - fixedInDomain[$0, default: 0] }
        let hostsOf = eligiblePurposes()
        // Start from the configurations given that still fit (a dive's parent, a higher peak's LP).
        var configurations = seeds.filter(fits)
        var known = Set(configurations)
        var coverDual = [Double](repeating: 0, count: demands.count)
        var hostDual = [Double](repeating: 0, count: problem.hosts.count)
        var domainDual = [Double](repeating: 0, count: domainRows.count)
        var budgetDual = 0.0
        var nodeLimit = ConfigurationLP.pricingNodes, work = 0
        var weighted: [(configuration: Configuration, weight: Double)] = []
        var solveMaster = !configurations.isEmpty
        for _ in 0..<ConfigurationLP.maxRounds {
            if meter?.exhausted == true { return Solution(verdict: .unknown) }
            if solveMaster {
                guard configurations.count <= ConfigurationLP.maxConfigurations,
                      let master = self.solveMaster(configurations, domainRows: domainRows, domainRoom: domainRoom,
                                                    domainRowIndex: domainRowIndex)
                else { return Solution(verdict: .unknown) }
                weighted = zip(configurations, master.values).filter { $0.1 > 1e-9 }.map { (configuration: $0.0, weight: $0.1) }
                // The configurations so far already hold every replica in the LP: it cannot exclude the limits.
                if master.held >= Double(total) - 1e-7 {
                    return Solution(verdict: .admitted, weighted: weighted, configurations: configurations)
                }
                // Duals of ≤ rows in a minimisation are ≤ 0; as multipliers they are their negations, kept ≥ 0.
                let duals = master.duals
                for d in demands.indices { coverDual[d] = max(0, -duals[d]) }
                for h in problem.hosts.indices { hostDual[h] = max(0, -duals[demands.count + h]) }
                for i in domainRows.indices { domainDual[i] = max(0, -duals[demands.count + problem.hosts.count + i]) }
                if hostBudget != nil { budgetDual = max(0, -duals[demands.count + problem.hosts.count + domainRows.count]) }
            }
            solveMaster = true
            // Price every host with the current duals (all zero at first: the most replicas a host holds).
            var bound = Double(0)
            for d in demands.indices { bound += Double(remaining[d]) * coverDual[d] }
            for i in domainRows.indices { bound += Double(domainRoom[i]) * domainDual[i] }
            // A host in use costs budgetDual: every placement uses at most hostBudget of them.
            if let budget = hostsLeft { bound += Double(budget) * budgetDual }
            var added = false, exact = true
            for h in problem.hosts.indices where open[h] {
                let values = hostsOf[h].map { d in
                    domainRowIndices(of: d, on: h, in: domainRowIndex).reduce(1 - coverDual[d]) { $0 - domainDual[$1] }
                }
                let best = price(host: h, purposes: hostsOf[h], values: values, nodeLimit: nodeLimit)
                // Branching demands more of this host than any configuration gives: nothing fits.
                if best.impossible { return Solution(verdict: .excluded) }
                if best.bound > best.value { exact = false }
                work += best.nodes
                meter?.charge(pricingNodes: best.nodes)
                if work > ConfigurationLP.maxPricingWork { return Solution(verdict: .unknown) }
                bound += max(0, best.bound - budgetDual)
                if best.value - budgetDual > hostDual[h] + 1e-9, !best.counts.isEmpty {
                    let configuration = Configuration(host: h, counts: best.counts)
                    if known.insert(configuration).inserted {
                        configurations.append(configuration)
                        added = true
                    }
                }
            }
            if bound < Double(total) - 1e-6 { return Solution(verdict: .excluded) }
            // No better configuration: the LP is solved and the bound did not exclude the limits.
            if !added {
                if exact, !weighted.isEmpty { return Solution(verdict: .admitted, weighted: weighted, configurations: configurations) }
                // A pricing cut short left the bound loose: once, price again with a larger search (same duals).
                guard nodeLimit < ConfigurationLP.exactPricingNodes else { return Solution(verdict: .unknown) }
                nodeLimit = ConfigurationLP.exactPricingNodes
                solveMaster = false
                continue
            }
        }
        return Solution(verdict: .unknown)
    }

    /// Fixes host `configuration.host` to hold exactly `configuration`.
    mutating func fix(_ configuration: Configuration) {
        let host = problem.hosts[configuration.host]
        open[configuration.host] = false
        fixed.append(configuration)
        for (d, n) in configuration.counts {
            remaining[d] -= n
            let demand = problem.demands[d]
            if demand.survive.racks > 0, host.rack >= 0 { fixedInDomain[DomainRow(purpose: d, isZone: false, index: host.rack), default: 0] += n }
            if demand.survive.zones > 0, host.zone >= 0 { fixedInDomain[DomainRow(purpose: d, isZone: true, index: host.zone), default: 0] += n }
        }
    }

    /// Whether a configuration may be a column now: its host is open, and it keeps within the
    /// limits and what is left of each purpose and domain.
    func fits(_ configuration: Configuration) -> Bool {
        let h = configuration.host
        guard open[h] else { return false }
        var cpu = Int64(0), memory = Int64(0)
        for (key, bounds) in countBounds where bounds.least > 0 && key % problem.hosts.count == h {
            guard (configuration.counts[key / problem.hosts.count] ?? 0) >= bounds.least else { return false }
        }
        for (d, n) in configuration.counts {
            guard n <= countCap(d, h), problem.demands[d].eligible.contains(h) || n == 0 else { return false }
            cpu += problem.demands[d].cpu * Int64(n)
            memory += problem.demands[d].memory * Int64(n)
        }
        return cpu <= cpuLimit[h] && memory <= memoryLimit[h]
    }

    /// Per open host, the purposes still to place that may use it and fit it alone under the limits.
    private func eligiblePurposes() -> [[Int]] {
        var hostsOf = Array(repeating: [Int](), count: problem.hosts.count)
        for (d, demand) in problem.demands.enumerated() where remaining[d] > 0 {
            for h in demand.eligible where open[h] && countCap(d, h) > 0 { hostsOf[h].append(d) }
        }
        return hostsOf
    }

    /// Most replicas of d on host h by its caps, the limits, what is left of d, and what its rack
    /// and zone may still take.
    func countCap(_ d: Int, _ h: Int) -> Int {
        let demand = problem.demands[d], host = problem.hosts[h]
        let byCPU = demand.cpu > 0 ? cpuLimit[h] / demand.cpu : Int64(Int.max)
        let byMemory = demand.memory > 0 ? memoryLimit[h] / demand.memory : Int64(Int.max)
        var cap = Int(min(Int64(demand.perHostCap), Int64(remaining[d]), byCPU, byMemory))
        if demand.survive.racks > 0, host.rack >= 0 {
            cap = min(cap, demand.tolerableLoss - fixedInDomain[DomainRow(purpose: d, isZone: false, index: host.rack), default: 0])
        }
        if demand.survive.zones > 0, host.zone >= 0 {
            cap = min(cap, demand.tolerableLoss - fixedInDomain[DomainRow(purpose: d, isZone: true, index: host.zone), default: 0])
        }
        if let bounds = countBounds[pairKey(d, h)] { cap = min(cap, bounds.most) }
        return max(0, cap)
    }

    /// The indices of the domain rows (its rack's, its zone's) that d on host h counts in.
    func domainRowIndices(of d: Int, on h: Int, in index: [DomainRow: Int]) -> [Int] {
        let host = problem.hosts[h]
        return [DomainRow(purpose: d, isZone: false, index: host.rack), DomainRow(purpose: d, isZone: true, index: host.zone)]
            .compactMap { index[$0] }
    }

    /// The key of (purpose, host) in `countBounds`.
    func pairKey(_ d: Int, _ h: Int) -> Int { d * problem.hosts.count + h }

    /// Fewest replicas of d that host h must hold (branch and price's lower bounds).
    func leastCount(_ d: Int, _ h: Int) -> Int { countBounds[pairKey(d, h)]?.least ?? 0 }
}
