// Per purpose the fewest hosts it needs, and cliques of purposes that need theirs apart: bounds on binpack's hosts.

import PlannerSpec

extension PlacementProblem {
    /// The fewest hosts that can hold every replica of `d` on an otherwise empty cluster, by per-host
    /// caps, capacity and the host survival rule; nil when even all eligible hosts cannot.
    /// Binary search over the largest hosts first (the rule is monotone in the hosts added): O(H log H · L/k).
    public func fewestHosts(_ d: Int) -> Int? { fewest[d] }

    func computeFewestHosts(_ d: Int) -> Int? {
        let demand = demands[d]
        let histogram = capHistogram(d)
        let hostCount = histogram.reduce(0) { $0 + $1.count }
        if hostCount > 256 {
            // Many hosts: the two closed-form bounds (survival spread, largest per-host cap) instead of the search.
            guard SurvivalMath.maxPlaceable(histogram: histogram, k: demand.survive.hosts, tolerableLoss: demand.tolerableLoss)
                    >= demand.replicas else { return nil }
            let bySurvival = SurvivalMath.fewestDomains(replicas: demand.replicas, required: demand.replicas - demand.tolerableLoss,
                                                        k: demand.survive.hosts) ?? demand.replicas
            return max(bySurvival, (demand.replicas + histogram[0].cap - 1) / histogram[0].cap)
        }
        let caps = histogram.flatMap { Array(repeating: $0.cap, count: $0.count) }
        func enough(_ u: Int) -> Bool {
            SurvivalMath.maxPlaceable(caps: Array(caps.prefix(u)), k: demand.survive.hosts,
                                      tolerableLoss: demand.tolerableLoss) >= demand.replicas
        }
        guard enough(caps.count) else { return nil }
        var low = 1, high = caps.count
        while low < high {
            let middle = (low + high) / 2
            if enough(middle) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Groups of purposes that pairwise may not share a host, so they need disjoint hosts: for each
    /// purpose, a clique grown greedily from it (largest host need first). Conflicts are symmetric,
    /// so a candidate may join when it is in every member's conflict set: the intersection of those
    /// sets is kept as a bit set, O(P/64) words per member added, O(E·P/64) in all for E conflicts.
    /// Returns each clique with the hosts its members need in all.
    public func conflictCliques() -> [(members: [Int], hostsNeeded: Int)] {
        let need = demands.indices.map { fewestHosts($0) ?? 0 }
        let byNeed = demands.indices.sorted { need[$0] != need[$1] ? need[$0] > need[$1] : $0 < $1 }
        let words = (demands.count + 63) / 64
        var conflictBits = Array(repeating: [UInt64](repeating: 0, count: words), count: demands.count)
        for (p, demand) in demands.enumerated() {
            for q in demand.conflicts { conflictBits[p][q >> 6] |= 1 << UInt64(q & 63) }
        }
        var cliques: [(members: [Int], hostsNeeded: Int)] = []
        var seen: Set<[Int]> = []
        var rank = Array(repeating: 0, count: demands.count)
        for (position, d) in byNeed.enumerated() { rank[d] = position }
        // A purpose that lies in a found clique as large as its closed neighbourhood can only grow that
        // clique again, so it is not tried as a start: one start, not P, when every purpose conflicts.
        var settled = [Bool](repeating: false, count: demands.count)
        for start in byNeed where !demands[start].conflicts.isEmpty && !settled[start] {
            var members = [start]
            // Purposes that conflict with every member so far; only these can join, largest need first.
            var common = conflictBits[start]
            for candidate in demands[start].conflicts.sorted(by: { rank[$0] < rank[$1] })
            where common[candidate >> 6] & (1 << UInt64(candidate & 63)) != 0 {
                members.append(candidate)
                for w in 0..<words { common[w] &= conflictBits[candidate][w] }
            }
            let key = members.sorted()
            guard members.count > 1, seen.insert(key).inserted else { continue }
            cliques.append((key, key.reduce(0) { $0 + need[$1] }))
            for m in key where demands[m].conflicts.count + 1 == key.count { settled[m] = true }
        }
        return cliques
    }
}
