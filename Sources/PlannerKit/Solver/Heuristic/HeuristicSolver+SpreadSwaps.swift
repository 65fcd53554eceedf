// spread: after single moves stall, exchanges between the peak host and any other host.

import PlannerSpec

extension HeuristicSolver {
    /// Hosts up to which every host is a swap partner (the search is O(P_h · H · P_t) per move).
    static let swapSearchHosts = 200

    /// Lowers the peak by the best move or swap involving the most utilised host: a replica moves off
    /// it, or trades places with a replica of another purpose on another host, whichever leaves both
    /// hosts lowest. Candidates are ranked by arithmetic on capacities alone; only the best few are
    /// checked against every rule (by doing the change, and undoing it if a rule fails). Stops when
    /// the peak host has no improving move or the steps run out. Steepest descent, as in the
    /// exchange neighbourhoods of load-balancing local search (Fleszar and Hindi, 2002).
    mutating func swapSpread() {
        guard problem.hosts.count <= HeuristicSolver.swapSearchHosts else { return }
        while tick() {
            let h = problem.hosts.indices.max { (utilisation($0), $1) < (utilisation($1), $0) }!
            let peak = utilisation(h)
            var candidates: [(value: Double, moved: Int, target: Int, back: Int)] = []
            for d in onHost[h] {
                let demand = problem.demands[d]
                for t in problem.hosts.indices where t != h && classSets[demand.eligibleClass]!.contains(t) {
                    let targetAfter = utilisation(t, cpu: demand.cpu, memory: demand.memory)
                    if targetAfter < peak - 1e-9 {
                        let value = max(targetAfter, utilisation(h, cpu: -demand.cpu, memory: -demand.memory))
                        if value < peak - 1e-9 { candidates.append((value, d, t, -1)) }
                    }
                    for e in onHost[t] where e != d && classSets[problem.demands[e].eligibleClass]!.contains(h) {
                        let other = problem.demands[e]
                        let value = max(utilisation(t, cpu: demand.cpu - other.cpu, memory: demand.memory - other.memory),
                                        utilisation(h, cpu: other.cpu - demand.cpu, memory: other.memory - demand.memory))
                        if value < peak - 1e-9 { candidates.append((value, d, t, e)) }
                    }
                }
            }
            candidates.sort { ($0.value, $0.moved, $0.target, $0.back) < ($1.value, $1.moved, $1.target, $1.back) }
            var improved = false
            for candidate in candidates.prefix(16) where tryExchange(candidate.moved, from: h, to: candidate.target, back: candidate.back) {
                improved = true
                break
            }
            if !improved { return }
        }
    }

    /// Moves one replica of d from h to t and, unless `back` is -1, one of `back` from t to h; keeps
    /// the change only if every rule holds (capacity, caps, conflicts, the exact survival rule).
    mutating func tryExchange(_ d: Int, from h: Int, to t: Int, back e: Int) -> Bool {
        if bucketOf[h].isEmpty, bucketOf[t].isEmpty { return tryExchangeWithoutHeaps(d, from: h, to: t, back: e) }
        add(d, h, -1)
        if e >= 0 { add(e, t, -1) }
        if canAdd(d, t, exact: true) {
            add(d, t, 1)
            if e < 0 || canAdd(e, h, exact: true) {
                if e >= 0 { add(e, h, 1) }
                return true
            }
            add(d, t, -1)
        }
        if e >= 0 { add(e, t, 1) }
        add(d, h, 1)
        return false
    }

    /// `tryExchange` where neither host is in a heap (the leximax search): the rules are checked
    /// before anything changes, which saves the four updates of a change that fails, the common case.
    /// A failed change leaves what doing and undoing it would: a purpose whose only replica on a
    /// host was taken off and put back is last in that host's list, so that every later step, and
    /// the answer, are the same as `tryExchange`'s.
    mutating func tryExchangeWithoutHeaps(_ d: Int, from h: Int, to t: Int, back e: Int) -> Bool {
        if exchangeAllowed(d, from: h, to: t, back: e) {
            add(d, h, -1)
            if e >= 0 { add(e, t, -1) }
            add(d, t, 1)
            if e >= 0 { add(e, h, 1) }
            return true
        }
        if e >= 0 { reinsert(e, on: t) }
        reinsert(d, on: h)
        return false
    }

    /// Whether moving one replica of d from h to t, and unless `back` is -1 one of `back` from t to
    /// h, keeps every rule; the placement must keep every rule now (as the searches' placements do).
    func exchangeAllowed(_ d: Int, from h: Int, to t: Int, back e: Int) -> Bool {
        let moved = problem.demands[d]
        let backCPU = e >= 0 ? problem.demands[e].cpu : 0, backMemory = e >= 0 ? problem.demands[e].memory : 0
        // d on t, with e's replica gone from t.
        guard canAdd(d, t, exact: true, removingFrom: h, ignoringRoom: true),
              (cpuUsed[t] - backCPU).saturatingPlus(moved.cpu) <= cpuLimit[t],
              (memoryUsed[t] - backMemory).saturatingPlus(moved.memory) <= memoryLimit[t] else { return false }
        let eLeavesT = e >= 0 && placed[e][t] == 1
        if placed[d][t] == nil, onHost[t].contains(where: { conflictSets[d].contains($0) && !($0 == e && eLeavesT) }) {
            return false
        }
        guard e >= 0 else { return true }
        // e on h, with d's replica gone from h.
        let back = problem.demands[e]
        guard canAdd(e, h, exact: true, removingFrom: t, ignoringRoom: true),
              (cpuUsed[h] - moved.cpu).saturatingPlus(back.cpu) <= cpuLimit[h],
              (memoryUsed[h] - moved.memory).saturatingPlus(back.memory) <= memoryLimit[h] else { return false }
        let dLeavesH = placed[d][h] == 1
        if placed[e][h] == nil, onHost[h].contains(where: { conflictSets[e].contains($0) && !($0 == d && dLeavesH) }) {
            return false
        }
        return true
    }

    /// What taking d's only replica off h and putting it back does to the order of `onHost[h]`;
    /// nothing when d has more than one replica there.
    mutating func reinsert(_ d: Int, on h: Int) {
        guard placed[d][h] == 1 else { return }
        onHost[h].removeAll { $0 == d }
        onHost[h].append(d)
    }
}
