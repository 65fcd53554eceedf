import PlannerSpec

/// binpack: the constructions that fill few hosts, and the pass that empties hosts afterwards.
extension HeuristicSolver {
    /// Opens the `initiallyOpen` largest hosts, then places each purpose (most constrained first) spread
    /// over the open hosts it may use; a replica that finds no room opens the next largest host that
    /// takes it. Spreading inside a set sized by the capacity bound keeps room everywhere for what
    /// comes later; opening on demand adds only the hosts that labels, conflicts and survival force.
    /// The fewest hosts over a small portfolio of openings (which hosts count as largest, how many start
    /// open, and whether they open before or after the purposes with conflicts); the two best are then
    /// emptied further by `closeHosts`. Falls back to spreading over every host when no opening places
    /// everything, and then to repair (unless `repairing` is false: the caller repairs itself). Each
    /// opening is O(R log H) for R replicas, so the portfolio stays cheap at scale.
    mutating func bestPacking(_ order: [Int], repairing: Bool = true) -> HeuristicSolver? {
        let bound = Int(lowerBound.scalar)
        var finalists: [HeuristicSolver] = []   // the best two, fewest hosts first
        var steps = self.steps
        for ranking in HostRanking.allCases {
            let ranked = hostOrder(ranking)
            for conflictsFirst in [false, true] {
                for share in [0.97, 1.0, 1.03, 1.06] {
                    var candidate = self
                    candidate.steps = steps
                    let placedAll = candidate.placeOpening(order, ranked: ranked, initiallyOpen: Int((Double(bound) * share).rounded(.up)),
                                                           conflictsFirst: conflictsFirst)
                    steps = candidate.steps
                    guard placedAll else { continue }
                    let position = finalists.firstIndex { candidate.hostsUsed < $0.hostsUsed } ?? finalists.count
                    if position < 2 {
                        finalists.insert(candidate, at: position)
                        if finalists.count > 2 { finalists.removeLast() }
                    }
                }
            }
        }
        if finalists.isEmpty {
            var spread = self
            spread.steps = steps
            if !spread.placeEachPurpose(order) {
                spread.restart(from: self)
                guard repairing, spread.placeAndRepair(order) else { return nil }
            }
            finalists = [spread]
        }
        var best: HeuristicSolver? = nil
        for var finalist in finalists {
            finalist.steps = steps
            finalist.closeHosts()
            if finalist.hostsUsed > bound {
                finalist.closeByRepair(budget: min(HeuristicSolver.repairSteps, max(0, (stepLimit - finalist.steps) / 4)))
            }
            steps = finalist.steps
            if best == nil || finalist.hostsUsed < best!.hostsUsed { best = finalist }
        }
        best!.steps = steps
        return best
    }

    /// Opens the `initiallyOpen` largest hosts, then places each purpose (most constrained first) spread
    /// over the open hosts it may use; a replica that finds no room opens the next largest host that
    /// takes it. Spreading inside a set sized by the capacity bound keeps room everywhere for what
    /// comes later; opening on demand adds only the hosts that labels, conflicts and survival force.
    /// With `conflictsFirst`, the purposes with conflicts are placed before any host is opened for the
    /// others, so that they pick the hosts their labels and conflicts need.
    mutating func placeOpening(_ order: [Int], ranked: [Int], initiallyOpen: Int, conflictsFirst: Bool) -> Bool {
        openingRank = Array(repeating: 0, count: problem.hosts.count)
        for (rank, h) in ranked.enumerated() { openingRank[h] = rank }
        openHosts = HostSet(conflictsFirst ? [] : Array(ranked.prefix(initiallyOpen)), capacity: problem.hosts.count)
        var widened = !conflictsFirst
        for d in order {
            if !widened && problem.demands[d].conflicts.isEmpty {
                widened = true
                var none: [MinHeap<HostKey>] = [], noneSkipped: [[HostKey]] = []
                var opened = problem.hosts.indices.filter { openHosts!.contains($0) }.count
                for h in ranked where opened < initiallyOpen && !openHosts!.contains(h) {
                    open(h, placing: -1, heaps: &none, skipped: &noneSkipped)
                    opened += 1
                }
            }
            if !placePurpose(d) { return false }
        }
        return true
    }

    /// Which hosts count as largest when opening: by the share of the total demand they can hold (cpu
    /// and memory each relative to what all purposes need, so neither unit dominates), or by raw size
    /// (cores plus GiB, which favours memory-rich hosts). Neither wins everywhere.
    enum HostRanking: CaseIterable { case demandShare, rawSize }

    /// Hosts largest first by `ranking`, zones taking turns among equals.
    func hostOrder(_ ranking: HostRanking) -> [Int] {
        var rankInZone: [Int] = Array(repeating: 0, count: problem.hosts.count)
        var seen: [Int: Int] = [:]
        for h in problem.hosts.indices {
            let zone = problem.hosts[h].zone
            rankInZone[h] = seen[zone, default: 0]
            seen[zone, default: 0] += 1
        }
        let cpuDemand = max(1, problem.demands.reduce(0.0) { $0 + Double($1.cpu) * Double($1.replicas) })
        let memoryDemand = max(1, problem.demands.reduce(0.0) { $0 + Double($1.memory) * Double($1.replicas) })
        let worth = problem.hosts.map { host -> Double in
            switch ranking {
            case .demandShare: return Double(host.cpu) / cpuDemand + Double(host.memory) / memoryDemand
            case .rawSize: return Double(host.cpu) / 1000 + Double(host.memory) / Double(1 << 30)
            }
        }
        return problem.hosts.indices.sorted { a, b in
            if worth[a] != worth[b] { return worth[a] > worth[b] }
            return (rankInZone[a], a) < (rankInZone[b], b)
        }
    }

    /// Empties hosts, least loaded first, into the other hosts in use: the host's replicas (largest
    /// first) are spread over the open hosts as in construction; if one finds no room, every move of
    /// the attempt is taken back and the host stays. O(used · (replicas on a host) · log H) per pass.
    mutating func closeHosts() {
        let inUse = problem.hosts.indices.filter { !onHost[$0].isEmpty }
        openHosts = HostSet(inUse, capacity: problem.hosts.count)
        openingAllowed = false
        probeLimit = 1_024
        defer { openingAllowed = true; probeLimit = .max }
        let mean = meanHost
        func load(_ h: Int) -> Double { Double(cpuUsed[h]) / mean.cpu + Double(memoryUsed[h]) / mean.memory }
        for _ in 0..<2 {
            let before = hostsUsed
            let order = problem.hosts.indices.filter { !onHost[$0].isEmpty }.sorted { (load($0), $0) < (load($1), $1) }
            for h in order where tick() && !onHost[h].isEmpty { _ = tryToEmpty(h) }
            if hostsUsed == before { break }
        }
    }

    /// Moves every replica off h onto the other open hosts, or changes nothing.
    mutating func tryToEmpty(_ h: Int) -> Bool {
        let removed = onHost[h].map { (purpose: $0, count: placed[$0][h]!) }.sorted { a, b in
            let sa = size(a.purpose), sb = size(b.purpose)
            return sa != sb ? sa > sb : a.purpose < b.purpose
        }
        openHosts!.remove(h)
        for (d, n) in removed { add(d, h, -n) }
        journal = []
        defer { journal = nil }
        for (d, n) in removed where !placeSpread(d, exact: true, count: n) {
            for (moved, target) in journal!.reversed() { add(moved, target, -1) }
            openHosts!.insert(h)
            for (d, n) in removed { add(d, h, n) }
            refresh(h)
            return false
        }
        return true
    }

    /// A replica's size on the scale of the first host (any fixed scale orders them), to move the hardest to fit first.
    func size(_ d: Int) -> Double {
        let demand = problem.demands[d]
        return Double(demand.cpu) / Double(max(1, problem.hosts[0].cpu)) + Double(demand.memory) / Double(max(1, problem.hosts[0].memory))
    }
}
