/// The configuration LP (Gilmore and Gomory's cutting-stock LP, 1961), used to prove that no
/// `spread` placement keeps every host under given cpu and memory limits.
///
/// Each host takes a convex combination of *configurations*: count vectors of purposes that fit on
/// it together under the limits, within per-host caps, eligibility and conflicts. Together they must
/// hold every replica, and each rack and zone a purpose survives at most r − m of them. Each host's
/// configurations are whole, so this is far stronger than the relaxation that splits replicas
/// (`relaxedPeak`): on the bench's 10-host instances it shows that nothing beats the optimum, where
/// that relaxation, even with each host rounded down to the sums its replicas can make, cannot.
///
/// Column generation: the master LP (`DenseSimplex`) over the configurations found so far maximises
/// the replicas held; its duals price a new configuration for each host, found by an exact branch and
/// bound (a bounded knapsack in two resources with conflicts). The proof does not rest on the LP's
/// arithmetic: for any duals u, w ≥ 0 every placement holds at most the Lagrangian bound
///   Σ_d r_d·u_d + Σ_(d, domain) (r_d − m_d)·w_(d, domain) + Σ_h max(0, max over configurations of h
///   of Σ_d n_d·(1 − u_d − w_(d, rack h) − w_(d, zone h))),
/// computed with exact pricing, so the limits exclude every placement when that falls short of the
/// replicas. Host survival for k ≥ 2 (across hosts) is left out: a relaxation stays a valid proof.
/// Each round costs one simplex on (purposes + hosts + domains) rows and one pricing per host.
struct ConfigurationLP {
    let problem: PlacementProblem
    /// What each host may hold, per resource.
    let cpuLimit: [Int64]
    let memoryLimit: [Int64]

    /// Limits on the work, all counted (not timed) so that the verdict is deterministic. Most rounds
    /// of column generation and configurations in the master LP.
    static let maxRounds = 60
    static let maxConfigurations = 1_200
    /// Nodes of one pricing search; once more when a round found nothing new and a search was cut short.
    static let pricingNodes = 20_000
    static let exactPricingNodes = 400_000
    /// Pricing nodes in all. The bench's 10-host instances take 16,000–190,000; a 40-host one 1.9
    /// million (0.5 s) without reaching a verdict, so this stops it at about a tenth of a second.
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

    /// Rows of the master LP that hold per (purpose, domain): a rack or zone the purpose survives.
    private struct DomainRow: Hashable {
        var purpose: Int
        var isZone: Bool
        var index: Int
    }

    func verdict() -> Verdict {
        let demands = problem.demands
        let total = demands.reduce(0) { $0 + $1.replicas }
        guard total > 0 else { return .admitted }
        // Domain rows, in a fixed order: every (purpose, rack or zone) with one of its eligible hosts.
        var domainRows: [DomainRow] = []
        for (d, demand) in demands.enumerated() where demand.replicas > 0 {
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
        let hostsOf = eligiblePurposes()
        var configurations: [Configuration] = []
        var known: Set<Configuration> = []
        var coverDual = [Double](repeating: 0, count: demands.count)
        var hostDual = [Double](repeating: 0, count: problem.hosts.count)
        var domainDual = [Double](repeating: 0, count: domainRows.count)
        var nodeLimit = ConfigurationLP.pricingNodes, work = 0
        for _ in 0..<ConfigurationLP.maxRounds {
            // Price every host with the current duals (all zero at first: the most replicas a host holds).
            var bound = Double(0)
            for d in demands.indices { bound += Double(demands[d].replicas) * coverDual[d] }
            for (i, row) in domainRows.enumerated() { bound += Double(demands[row.purpose].tolerableLoss) * domainDual[i] }
            var added = false, exact = true
            for h in problem.hosts.indices {
                let values = hostsOf[h].map { d -> Double in
                    var value = 1 - coverDual[d]
                    if let i = domainRowIndex[DomainRow(purpose: d, isZone: false, index: problem.hosts[h].rack)] { value -= domainDual[i] }
                    if let i = domainRowIndex[DomainRow(purpose: d, isZone: true, index: problem.hosts[h].zone)] { value -= domainDual[i] }
                    return value
                }
                let best = price(host: h, purposes: hostsOf[h], values: values, nodeLimit: nodeLimit)
                if best.bound > best.value { exact = false }
                work += best.nodes
                if work > ConfigurationLP.maxPricingWork { return .unknown }
                bound += max(0, best.bound)
                if best.value > hostDual[h] + 1e-9, !best.counts.isEmpty {
                    let configuration = Configuration(host: h, counts: best.counts)
                    if known.insert(configuration).inserted {
                        configurations.append(configuration)
                        added = true
                    }
                }
            }
            if bound < Double(total) - 1e-6 { return .excluded }
            // No better configuration: the LP is solved and the bound did not exclude the limits.
            if !added {
                if exact { return .admitted }
                // A pricing cut short left the bound loose: once, price again with a larger search.
                guard nodeLimit < ConfigurationLP.exactPricingNodes else { return .unknown }
                nodeLimit = ConfigurationLP.exactPricingNodes
                continue
            }
            guard configurations.count <= ConfigurationLP.maxConfigurations,
                  let master = masterDuals(configurations, domainRows: domainRows, domainRowIndex: domainRowIndex)
            else { return .unknown }
            // The configurations so far already hold every replica in the LP: it cannot exclude the limits.
            if master.held >= Double(total) - 1e-7 { return .admitted }
            let duals = master.duals
            // Duals of ≤ rows in a minimisation are ≤ 0; as multipliers they are their negations, kept ≥ 0.
            for d in demands.indices { coverDual[d] = max(0, -duals[d]) }
            for h in problem.hosts.indices { hostDual[h] = max(0, -duals[demands.count + h]) }
            for i in domainRows.indices { domainDual[i] = max(0, -duals[demands.count + problem.hosts.count + i]) }
        }
        return .unknown
    }

    /// Per host, the purposes that may use it and fit it alone under the limits.
    private func eligiblePurposes() -> [[Int]] {
        var hostsOf = Array(repeating: [Int](), count: problem.hosts.count)
        for (d, demand) in problem.demands.enumerated() where demand.replicas > 0 {
            for h in demand.eligible where countCap(d, h) > 0 { hostsOf[h].append(d) }
        }
        return hostsOf
    }

    /// Most replicas of d on host h by its caps and the limits.
    private func countCap(_ d: Int, _ h: Int) -> Int {
        let demand = problem.demands[d]
        let byCPU = demand.cpu > 0 ? cpuLimit[h] / demand.cpu : Int64(Int.max)
        let byMemory = demand.memory > 0 ? memoryLimit[h] / demand.memory : Int64(Int.max)
        return max(0, Int(min(Int64(demand.perHostCap), Int64(demand.replicas), byCPU, byMemory)))
    }

    /// The master LP over the configurations: maximise the replicas held (minimise their negation)
    /// with each purpose held at most r times, each host one configuration in all, each domain row
    /// at most r − m. The replicas it holds and its duals, rows in that order; nil when the simplex
    /// does not reach an optimum.
    private func masterDuals(_ configurations: [Configuration], domainRows: [DomainRow],
                             domainRowIndex: [DomainRow: Int]) -> (held: Double, duals: [Double])? {
        let demands = problem.demands, hostCount = problem.hosts.count
        var rows = demands.map { DenseSimplex.Row(coefficients: [], relation: .lessOrEqual, bound: Double($0.replicas)) }
        rows += (0..<hostCount).map { _ in DenseSimplex.Row(coefficients: [], relation: .lessOrEqual, bound: 1) }
        rows += domainRows.map { DenseSimplex.Row(coefficients: [], relation: .lessOrEqual, bound: Double(demands[$0.purpose].tolerableLoss)) }
        var cost: [Double] = []
        for (j, configuration) in configurations.enumerated() {
            let host = problem.hosts[configuration.host]
            var held = 0
            for (d, n) in configuration.counts.sorted(by: { $0.key < $1.key }) {
                held += n
                rows[d].coefficients.append((j, Double(n)))
                if let i = domainRowIndex[DomainRow(purpose: d, isZone: false, index: host.rack)] {
                    rows[demands.count + hostCount + i].coefficients.append((j, Double(n)))
                }
                if let i = domainRowIndex[DomainRow(purpose: d, isZone: true, index: host.zone)] {
                    rows[demands.count + hostCount + i].coefficients.append((j, Double(n)))
                }
            }
            rows[demands.count + configuration.host].coefficients.append((j, 1))
            cost.append(-Double(held))
        }
        let solved = DenseSimplex.minimiseWithDuals(cost: cost, variables: configurations.count, rows: rows,
                                                    maxPivots: 20 * (rows.count + configurations.count))
        guard case .optimal(let value) = solved.outcome else { return nil }
        return (-value, solved.duals)
    }

    /// A priced configuration, and a bound on the best one (equal to its value when the search ended).
    struct Priced {
        var value: Double
        var counts: [Int: Int]
        var bound: Double
        /// Nodes the search visited: its work.
        var nodes: Int
    }

    /// Weights of cpu (the rest memory) in the surrogate knapsacks whose fractional optimum bounds
    /// the pricing: each is a relaxation of both resources at once, the extremes one resource alone.
    static let surrogateWeights: [Double] = [0, 0.25, 0.5, 0.75, 1]

    /// The configuration of host h with the greatest Σ values[i]·n over `purposes` (only those of
    /// positive value can help), by depth-first branch and bound: purposes in order of value per
    /// share of the host, most replicas first, bounded by the least fractional optimum of the
    /// surrogate knapsacks. After `nodeLimit` nodes it stops with the best so far, bounded
    /// by the root's fractional optimum.
    private func price(host h: Int, purposes: [Int], values: [Double], nodeLimit: Int) -> Priced {
        let demands = problem.demands
        let cpuRoom = cpuLimit[h], memoryRoom = memoryLimit[h]
        struct Item { var purpose: Int; var value: Double; var cap: Int; var cpu: Int64; var memory: Int64 }
        var items: [Item] = []
        for (i, d) in purposes.enumerated() where values[i] > 1e-12 {
            items.append(Item(purpose: d, value: values[i], cap: countCap(d, h), cpu: demands[d].cpu, memory: demands[d].memory))
        }
        /// An item's share of the host in the surrogate resource with cpu weight `weight`.
        func share(_ item: Item, _ weight: Double) -> Double {
            weight * Double(item.cpu) / Double(max(cpuRoom, 1)) + (1 - weight) * Double(item.memory) / Double(max(memoryRoom, 1))
        }
        items.sort { a, b in
            let ka = a.value / max(share(a, 0.5), 1e-12), kb = b.value / max(share(b, 0.5), 1e-12)
            return ka != kb ? ka > kb : a.purpose < b.purpose
        }
        // Per surrogate, the items by value per share (the fractional knapsack's order).
        let orders = ConfigurationLP.surrogateWeights.map { weight in
            items.indices.sorted { a, b in
                let ka = items[a].value / max(share(items[a], weight), 1e-12), kb = items[b].value / max(share(items[b], weight), 1e-12)
                return ka != kb ? ka > kb : a < b
            }
        }
        /// The least fractional optimum over the surrogates for items from `first` on: a bound on what they add.
        func fractional(from first: Int, cpu: Int64, memory: Int64) -> Double {
            var least = Double.infinity
            for (s, weight) in ConfigurationLP.surrogateWeights.enumerated() {
                var room = weight * Double(cpu) / Double(max(cpuRoom, 1)) + (1 - weight) * Double(memory) / Double(max(memoryRoom, 1))
                var total = 0.0
                for i in orders[s] where i >= first {
                    let item = items[i]
                    let most = min(item.cap, Int(cpu / max(item.cpu, 1)), Int(memory / max(item.memory, 1)))
                    guard most > 0 else { continue }
                    let size = share(item, weight)
                    let taken = size > 0 ? min(Double(most), room / size) : Double(most)
                    total += taken * item.value
                    room -= taken * size
                    if room <= 0 { break }
                }
                least = min(least, total)
            }
            return least
        }
        // Per item, the earlier items it conflicts with (the search decides items in order).
        let position = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1.purpose, $0) })
        let earlierConflicts = items.enumerated().map { i, item in
            demands[item.purpose].conflicts.compactMap { position[$0] }.filter { $0 < i }
        }
        var counts = [Int](repeating: 0, count: items.count)
        var best = 0.0, bestCounts: [Int: Int] = [:]
        var nodes = 0, exhausted = false
        func search(_ i: Int, cpu: Int64, memory: Int64, value: Double) {
            nodes += 1
            if nodes > nodeLimit { exhausted = true }
            if exhausted { return }
            if value > best + 1e-12 {
                best = value
                bestCounts = [:]
                for (j, n) in counts.enumerated() where n > 0 { bestCounts[items[j].purpose] = n }
            }
            guard i < items.count, value + fractional(from: i, cpu: cpu, memory: memory) > best + 1e-12 else { return }
            let item = items[i]
            var most = min(item.cap, Int(cpu / max(item.cpu, 1)), Int(memory / max(item.memory, 1)))
            if most > 0, earlierConflicts[i].contains(where: { counts[$0] > 0 }) { most = 0 }
            for n in stride(from: most, through: 0, by: -1) {
                counts[i] = n
                search(i + 1, cpu: cpu - Int64(n) * item.cpu, memory: memory - Int64(n) * item.memory,
                       value: value + Double(n) * item.value)
                if exhausted { break }
            }
            counts[i] = 0
        }
        search(0, cpu: cpuRoom, memory: memoryRoom, value: 0)
        let bound = exhausted ? max(best, fractional(from: 0, cpu: cpuRoom, memory: memoryRoom)) : best
        return Priced(value: best, counts: bestCounts, bound: bound, nodes: nodes)
    }
}

extension ConfigurationLP {
    /// The limits strictly below a placement's peak utilisation, computed exactly: the peak is the
    /// ratio used/capacity of some host and resource, and a host of capacity c may hold at most the
    /// largest whole amount x with x/c below it. Nil for an empty placement.
    init?(problem: PlacementProblem, below assignment: [[HostCount]]) {
        var cpu = [Int64](repeating: 0, count: problem.hosts.count), memory = cpu
        for (d, row) in assignment.enumerated() {
            for entry in row {
                cpu[entry.host] += problem.demands[d].cpu * Int64(entry.count)
                memory[entry.host] += problem.demands[d].memory * Int64(entry.count)
            }
        }
        // The peak as a fraction used/capacity, compared by cross-multiplying in 128 bits.
        var peak: (used: Int128, capacity: Int128) = (0, 1)
        for (h, host) in problem.hosts.enumerated() {
            for (used, capacity) in [(cpu[h], host.cpu), (memory[h], host.memory)] where capacity > 0 {
                if Int128(used) * peak.capacity > peak.used * Int128(capacity) { peak = (Int128(used), Int128(capacity)) }
            }
        }
        guard peak.used > 0 else { return nil }
        func below(_ capacity: Int64) -> Int64 { Int64((peak.used * Int128(capacity) - 1) / peak.capacity) }
        self.init(problem: problem, cpuLimit: problem.hosts.map { below($0.cpu) },
                  memoryLimit: problem.hosts.map { below($0.memory) })
    }
}
