/// Pricing for the configuration LP: the best configuration of one host at given prices.
extension ConfigurationLP {
    /// A priced configuration, and a bound on the best one (equal to its value when the search ended).
    struct Priced {
        var value: Double
        var counts: [Int: Int]
        var bound: Double
        /// Nodes the search visited: its work.
        var nodes: Int
        /// The host must hold replicas (branch and price's lower bounds) that no configuration fits.
        var impossible = false
    }

    /// Weights of cpu (the rest memory) in the surrogate knapsacks whose fractional optimum bounds
    /// the pricing: each is a relaxation of both resources at once, the extremes one resource alone.
    static let surrogateWeights: [Double] = [0, 0.25, 0.5, 0.75, 1]

    /// The configuration of host h with the greatest Σ values[i]·n over `purposes` (only those of
    /// positive value can help), by depth-first branch and bound: purposes in order of value per
    /// share of the host, most replicas first, bounded by the least fractional optimum of the
    /// surrogate knapsacks. After `nodeLimit` nodes it stops with the best so far, bounded
    /// by the root's fractional optimum.
    func price(host h: Int, purposes: [Int], values: [Double], nodeLimit: Int) -> Priced {
        let demands = problem.demands
        let cpuRoom = cpuLimit[h], memoryRoom = memoryLimit[h]
        struct Item { var purpose: Int; var value: Double; var least: Int; var cap: Int; var cpu: Int64; var memory: Int64 }
        var items: [Item] = []
        for (i, d) in purposes.enumerated() where values[i] > 1e-12 || leastCount(d, h) > 0 {
            items.append(Item(purpose: d, value: values[i], least: leastCount(d, h), cap: countCap(d, h),
                              cpu: demands[d].cpu, memory: demands[d].memory))
        }
        // Purposes the host must hold come first, so that every node past them is a valid configuration.
        let forced = items.filter { $0.least > 0 }.count
        /// An item's share of the host in the surrogate resource with cpu weight `weight`.
        func share(_ item: Item, _ weight: Double) -> Double {
            weight * Double(item.cpu) / Double(max(cpuRoom, 1)) + (1 - weight) * Double(item.memory) / Double(max(memoryRoom, 1))
        }
        items.sort { a, b in
            if (a.least > 0) != (b.least > 0) { return a.least > 0 }
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
                for i in orders[s] where i >= first && items[i].value > 0 {
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
        var best = forced > 0 ? -Double.infinity : 0.0, bestCounts: [Int: Int] = [:]
        var nodes = 0, exhausted = false
        func search(_ i: Int, cpu: Int64, memory: Int64, value: Double) {
            nodes += 1
            if nodes > nodeLimit { exhausted = true }
            if exhausted { return }
            if i >= forced, value > best + 1e-12 {
                best = value
                bestCounts = [:]
                for (j, n) in counts.enumerated() where n > 0 { bestCounts[items[j].purpose] = n }
            }
            guard i < items.count, i < forced || value + fractional(from: i, cpu: cpu, memory: memory) > best + 1e-12 else { return }
            let item = items[i]
            var most = min(item.cap, Int(cpu / max(item.cpu, 1)), Int(memory / max(item.memory, 1)))
            if most > 0, earlierConflicts[i].contains(where: { counts[$0] > 0 }) { most = 0 }
            for n in stride(from: most, through: item.least, by: -1) {
                counts[i] = n
                search(i + 1, cpu: cpu - Int64(n) * item.cpu, memory: memory - Int64(n) * item.memory,
                       value: value + Double(n) * item.value)
                if exhausted { break }
            }
            counts[i] = 0
        }
        search(0, cpu: cpuRoom, memory: memoryRoom, value: 0)
        let bound = exhausted ? max(best, fractional(from: 0, cpu: cpuRoom, memory: memoryRoom)) : best
        var priced = Priced(value: best, counts: bestCounts, bound: bound, nodes: nodes)
        priced.impossible = !exhausted && best == -Double.infinity
        return priced
    }
}
