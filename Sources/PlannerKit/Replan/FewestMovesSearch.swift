// The proof on small instances: a complete search for the placement with the fewest moves.

import PlannerSpec

/// Depth first over purposes and their eligible hosts, the replica count per host as the choice (the old
/// count first), checking capacity, per-host caps and conflicts as it goes and survival when a purpose is
/// complete; a branch whose moves already exceed the best known is cut. Ends with the fewest moves (then
/// the best objective among them) or, past `nodeBudget`, with what it found and no proof.
struct FewestMovesSearch {
    let topology: Topology
    let problem: PlacementProblem
    let old: [[Int: Int]]
    let previous: PlacementCounts

    /// Where the search may run: a proof there takes well under a second.
    static let maxHosts = 8
    static let maxReplicas = 24
    static let nodeBudget = 300_000

    struct Proof {
        /// A placement with fewer moves (or as few and a better objective) than the one given, if any.
        var placement: PlacementCounts?
        /// The search was complete: nothing moves fewer than the best it ended with.
        var complete: Bool
    }

    var fits: Bool {
        problem.hosts.count <= Self.maxHosts && problem.demands.reduce(0) { $0 + $1.replicas } <= Self.maxReplicas
    }

    /// `bestKnown`: the moves of the placement in hand, which the search must beat. Nil when too large.
    func solve(bestKnown: Int, objective known: Double = .infinity) -> Proof? {
        guard fits else { return nil }
        let demands = problem.demands
        let hostCount = problem.hosts.count
        var cpu = [Int64](repeating: 0, count: hostCount), memory = cpu
        var counts = demands.map { _ in [Int](repeating: 0, count: hostCount) }
        var bestMoves = bestKnown, bestObjective = known
        var best: [[Int]]? = nil
        var nodes = 0
        var complete = true
        // Fixed per purpose: replicas on hosts that are gone or ineligible leave whatever is chosen.
        let fixedLeaving: [Int] = demands.indices.map { d in
            let oldTotal = (previous[demands[d].name] ?? [:]).values.reduce(0) { $0 + max(0, $1) }
            let onEligible = demands[d].eligible.reduce(0) { $0 + (old[d][$1] ?? 0) }
            return oldTotal - onEligible
        }
        let scaleDown: [Int] = demands.indices.map { d in
            max(0, (previous[demands[d].name] ?? [:]).values.reduce(0) { $0 + max(0, $1) } - demands[d].replicas)
        }

        func objective() -> Double {
            switch problem.strategy {
            case .binpack: return Double(cpu.filter { $0 > 0 }.count + (0..<hostCount).filter { cpu[$0] == 0 && memory[$0] > 0 }.count)
            case .spread:
                return (0..<hostCount).map {
                    Utilisation.of(cpu: Double(cpu[$0]), memory: Double(memory[$0]), cpuCapacity: Double(problem.hosts[$0].cpu),
                                   memoryCapacity: Double(problem.hosts[$0].memory))
                }.max() ?? 0
            }
        }

        func survives(_ d: Int) -> Bool {
            let demand = demands[d]
            for domain in FailureBudget.Domain.allCases where demand.survive[domain] > 0 {
                var perDomain: [Int: Int] = [:]
                for h in 0..<hostCount where counts[d][h] > 0 { perDomain[problem.domainIndex(domain, of: h), default: 0] += counts[d][h] }
                if SurvivalMath.largestSum(Array(perDomain.values), k: demand.survive[domain]) > demand.tolerableLoss { return false }
            }
            return true
        }

        func visit(_ d: Int, _ i: Int, _ remaining: Int, _ leaving: Int, _ movesBefore: Int) {
            nodes += 1
            if nodes > Self.nodeBudget { complete = false; return }
            if d == demands.count {
                let value = objective()
                if movesBefore < bestMoves || value < bestObjective - 1e-12 {
                    bestMoves = movesBefore
                    bestObjective = value
                    best = counts
                }
                return
            }
            let partial = movesBefore + max(0, leaving - scaleDown[d])
            if partial > bestMoves { return }
            let demand = demands[d]
            if i == demand.eligible.count {
                guard remaining == 0, survives(d) else { return }
                visit(d + 1, 0, d + 1 < demands.count ? demands[d + 1].replicas : 0,
                      d + 1 < demands.count ? fixedLeaving[d + 1] : 0, partial)
                return
            }
            let h = demand.eligible[i]
            let roomAfter = demand.eligible[(i + 1)...].count * demand.perHostCap
            let conflicted = demand.conflicts.contains { $0 < d && counts[$0][h] > 0 }
            let most = min(remaining, demand.perHostCap, conflicted ? 0 : remaining)
            let least = max(0, remaining - roomAfter)
            guard least <= most else { return }
            let was = old[d][h] ?? 0
            var choices = Array((least...most).reversed())
            if let k = choices.firstIndex(of: min(was, most)) { choices.insert(choices.remove(at: k), at: 0) }
            for n in choices {
                let addCPU = demand.cpu.saturatingTimes(n), addMemory = demand.memory.saturatingTimes(n)
                guard cpu[h].saturatingPlus(addCPU) <= problem.hosts[h].cpu,
                      memory[h].saturatingPlus(addMemory) <= problem.hosts[h].memory else { continue }
                cpu[h] += addCPU; memory[h] += addMemory; counts[d][h] = n
                visit(d, i + 1, remaining - n, leaving + max(0, was - n), movesBefore)
                cpu[h] -= addCPU; memory[h] -= addMemory; counts[d][h] = 0
                if !complete { return }
            }
        }
        visit(0, 0, demands.first?.replicas ?? 0, fixedLeaving.first ?? 0, 0)
        let placement = best.map { rows in
            var named: PlacementCounts = [:]
            for (d, row) in rows.enumerated() {
                var perHost: [String: Int] = [:]
                for (h, n) in row.enumerated() where n > 0 { perHost[problem.hosts[h].name] = n }
                named[demands[d].name] = perHost
            }
            return named
        }
        return Proof(placement: placement, complete: complete)
    }

    /// A placement by name as the solver's assignment for `problem`.
    static func assignment(_ placement: PlacementCounts, _ problem: PlacementProblem) -> [[HostCount]] {
        let hostIndex = Dictionary(uniqueKeysWithValues: problem.hosts.enumerated().map { ($1.name, $0) })
        return problem.demands.map { demand in
            (placement[demand.name] ?? [:]).compactMap { host, n in hostIndex[host].map { HostCount(host: $0, count: n) } }
                .filter { $0.count > 0 }.sorted { $0.host < $1.host }
        }
    }
}
