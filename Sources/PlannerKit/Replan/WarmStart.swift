// The warm start: keep what the new rules allow of the deployed placement, place only what is missing.

import PlannerSpec

/// Re-placement from the deployed placement, on the heuristic's state (so every rule is checked as the
/// heuristic checks it). In order: keep every replica on a host that still exists and is still eligible
/// (up to the purpose's per-host cap); stop the replicas a scale-down removes, from the fullest hosts and
/// domains first so the rest stay balanced; evict what breaks a rule (a conflict, capacity, survival),
/// stateless purposes and the largest replicas first so the fewest leave; place the missing replicas one
/// by one where the strategy likes them best; what has no room then is placed by the heuristic's repair by
/// ejection. Last, replicas placed away from their old host are moved back where the rules allow.
///
/// The problem must be canonical (hosts and purposes by name, `Replanner`): every loop and tie then
/// follows names, never file order.
struct WarmStart {
    let problem: PlacementProblem
    /// Per purpose, its deployed replicas on the problem's hosts (hosts that are gone are left out).
    let old: [[Int: Int]]
    /// Per purpose, whether its replicas keep data on their host (evicted last).
    let stateful: [Bool]
    let stepLimit: Int

    /// The state after keeping and evicting, before the missing replicas are placed.
    func kept() -> HeuristicSolver {
        var state = HeuristicSolver(problem, stepLimit: stepLimit, lowerBound: .hostsUsed(0))
        for d in problem.demands.indices {
            let eligible = state.classSets[problem.demands[d].eligibleClass]!
            for (h, n) in old[d].sorted(by: { $0.key < $1.key }) where eligible.contains(h) {
                let keep = min(n, problem.demands[d].perHostCap)
                if keep > 0 { state.add(d, h, keep) }
            }
            scaleDown(d, &state)
        }
        for h in problem.hosts.indices {
            evictConflicts(on: h, &state)
            evictOverCapacity(on: h, &state)
        }
        for d in problem.demands.indices { evictForSurvival(d, &state) }
        return state
    }

    /// Stops replicas beyond the purpose's count: from the host with the most of them, then the fullest
    /// zone and rack, then the busiest host, then by name.
    func scaleDown(_ d: Int, _ state: inout HeuristicSolver) {
        var total = state.placed[d].values.reduce(0, +)
        while total > problem.demands[d].replicas {
            let zoneCounts = domainCounts(d, .zone, state), rackCounts = domainCounts(d, .rack, state)
            let victim = state.placed[d].keys.min { a, b in
                let ka = [-(state.placed[d][a] ?? 0), -(zoneCounts[problem.hosts[a].zone] ?? 0),
                          -(rackCounts[problem.hosts[a].rack] ?? 0)]
                let kb = [-(state.placed[d][b] ?? 0), -(zoneCounts[problem.hosts[b].zone] ?? 0),
                          -(rackCounts[problem.hosts[b].rack] ?? 0)]
                if ka != kb { return ka.lexicographicallyPrecedes(kb) }
                let ua = state.utilisation(a), ub = state.utilisation(b)
                return ua != ub ? ua > ub : a < b
            }!
            state.add(d, victim, -1)
            total -= 1
        }
    }

    func domainCounts(_ d: Int, _ domain: FailureBudget.Domain, _ state: HeuristicSolver) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for (h, n) in state.placed[d] { counts[problem.domainIndex(domain, of: h), default: 0] += n }
        return counts
    }

    /// Two purposes that may not share a host: the one with fewer replicas there leaves (stateless first).
    func evictConflicts(on h: Int, _ state: inout HeuristicSolver) {
        while true {
            let present = state.onHost[h].sorted()
            var pair: (Int, Int)? = nil
            outer: for a in present {
                for b in present where b > a && state.conflictSets[a].contains(b) {
                    pair = (a, b)
                    break outer
                }
            }
            guard let (a, b) = pair else { return }
            func key(_ d: Int) -> (Int, Int, Int) { (stateful[d] ? 1 : 0, state.placed[d][h] ?? 0, d) }
            let victim = key(a) < key(b) ? a : b
            state.add(victim, h, -(state.placed[victim][h] ?? 0))
        }
    }

    /// Evicts one replica at a time until the host's capacity holds: stateless first, then the one that
    /// frees most of what overflows (so the fewest leave), then by name.
    func evictOverCapacity(on h: Int, _ state: inout HeuristicSolver) {
        let host = problem.hosts[h]
        while state.cpuUsed[h] > host.cpu || state.memoryUsed[h] > host.memory {
            let cpuOver = state.cpuUsed[h] > host.cpu, memoryOver = state.memoryUsed[h] > host.memory
            func share(_ d: Int) -> Double {
                let demand = problem.demands[d]
                return max(cpuOver ? Double(demand.cpu) / Double(max(1, host.cpu)) : 0,
                           memoryOver ? Double(demand.memory) / Double(max(1, host.memory)) : 0)
            }
            guard let victim = state.onHost[h].min(by: { a, b in
                if stateful[a] != stateful[b] { return !stateful[a] }
                let sa = share(a), sb = share(b)
                return sa != sb ? sa > sb : a < b
            }) else { return }
            state.add(victim, h, -1)
        }
    }

    /// Evicts from the fullest domain until the k fullest domains hold no more than the purpose may lose.
    func evictForSurvival(_ d: Int, _ state: inout HeuristicSolver) {
        let demand = problem.demands[d]
        for domain in FailureBudget.Domain.allCases {
            let k = demand.survive[domain]
            guard k > 0 else { continue }
            while true {
                let counts = domainCounts(d, domain, state)
                guard SurvivalMath.largestSum(Array(counts.values), k: k) > demand.tolerableLoss,
                      let fullest = counts.min(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key })?.key,
                      let host = state.placed[d].filter({ problem.domainIndex(domain, of: $0.key) == fullest })
                          .min(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key })?.key
                else { break }
                state.add(d, host, -1)
            }
        }
    }

    /// The warm start's placement, or nil when the missing replicas found no room even by repair.
    func solve() -> (assignment: [[HostCount]]?, steps: Int) {
        var state = kept()
        var pending: [Int] = []
        for d in state.purposeOrder() {
            let missing = problem.demands[d].replicas - state.placed[d].values.reduce(0, +)
            for _ in 0..<max(0, missing) {
                if let h = bestHost(for: d, state) { state.add(d, h, 1) } else { pending.append(d) }
            }
        }
        if !pending.isEmpty {
            guard state.repair(&pending, budget: HeuristicSolver.repairSteps) else { return (nil, state.steps) }
        }
        moveBack(&state)
        return (state.assignment, state.steps)
    }

    /// The eligible host that may take one more replica of d and that the strategy likes best: spread the
    /// lowest utilisation after it, binpack a host in use with the least room left; then by name.
    func bestHost(for d: Int, _ state: HeuristicSolver) -> Int? {
        let demand = problem.demands[d]
        var best: (key: (Int, Double), host: Int)? = nil
        for h in demand.eligible where state.canAdd(d, h, exact: true) {
            let after = state.utilisation(h, cpu: demand.cpu, memory: demand.memory)
            let key: (Int, Double) = problem.strategy == .spread ? (0, after) : (state.onHost[h].isEmpty ? 1 : 0, -after)
            if best == nil || key < best!.key { best = (key, h) }
        }
        return best?.host
    }

    /// Moves replicas placed away from their old host back to a host they left, where every rule allows it.
    func moveBack(_ state: inout HeuristicSolver) {
        for d in problem.demands.indices {
            var progress = true
            while progress {
                progress = false
                let eligible = state.classSets[problem.demands[d].eligibleClass]!
                let surplus = state.placed[d].filter { $0.value > (old[d][$0.key] ?? 0) }.keys.sorted()
                let deficit = old[d].filter { eligible.contains($0.key) && (state.placed[d][$0.key] ?? 0) < $0.value }
                    .keys.sorted()
                search: for from in surplus {
                    for to in deficit where to != from {
                        state.add(d, from, -1)
                        if state.canAdd(d, to, exact: true) {
                            state.add(d, to, 1)
                            progress = true
                            break search
                        }
                        state.add(d, from, 1)
                    }
                }
            }
        }
    }

    /// Loads a placement (the full solver's) into the heuristic's state and moves replicas back.
    func movedBack(_ assignment: [[HostCount]]) -> [[HostCount]] {
        var state = HeuristicSolver(problem, stepLimit: stepLimit, lowerBound: .hostsUsed(0))
        for (d, row) in assignment.enumerated() { for entry in row where entry.count > 0 { state.add(d, entry.host, entry.count) } }
        moveBack(&state)
        return state.assignment
    }
}
