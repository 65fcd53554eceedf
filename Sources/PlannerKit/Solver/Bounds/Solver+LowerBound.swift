// Lower bounds on each strategy's objective, reported beside the result and used to stop early.

import PlannerSpec

extension Solver {
    /// A lower bound on the strategy's objective over every placement.
    public static func lowerBound(_ problem: PlacementProblem) -> Objective {
        switch problem.strategy {
        case .spread:
            return .peakUtilisation(spreadLowerBound(problem))
        case .binpack:
            func hostsFor(_ demand: Int64, _ capacities: [Int64]) -> Int {
                var remaining = demand, used = 0
                for capacity in capacities.sorted(by: >) where remaining > 0 {
                    remaining -= capacity
                    used += 1
                }
                return used
            }
            let cpu = problem.demands.reduce(Int64(0)) { $0.saturatingPlus($1.cpu.saturatingTimes($1.replicas)) }
            let memory = problem.demands.reduce(Int64(0)) { $0.saturatingPlus($1.memory.saturatingTimes($1.replicas)) }
            // Exact in integers for each resource alone; the surrogate (in floating point) between them.
            var bound = max(hostsFor(cpu, problem.hosts.map(\.cpu)), hostsFor(memory, problem.hosts.map(\.memory)))
            // Each purpose needs its fewest hosts; purposes that may not share a host need theirs apart.
            for d in problem.demands.indices { bound = max(bound, problem.fewestHosts(d) ?? 0) }
            let cliques = problem.conflictCliques()
            for clique in cliques { bound = max(bound, clique.hostsNeeded) }
            // Capacity and those needs together: the surrogate cover, alone and with each forced host set.
            bound = max(bound, problem.coverBound().hosts)
            for forced in problem.forcedHostSets(cliques: cliques) { bound = max(bound, problem.coverBound(forced: forced).hosts) }
            return .hostsUsed(bound)
        }
    }

    /// Distinct eligibility classes up to which the subset bound of `spreadLowerBound` is computed.
    static let subsetBoundClasses = 64

    /// A lower bound on the peak utilisation, the largest of:
    /// - total demand over total capacity, per resource (the average load);
    /// - per eligibility class E, the demand of the purposes that may only use hosts of E over E's
    ///   capacity (labelled purposes crowd their labelled hosts);
    /// - per purpose, its replica on the host it fits best (a replica sits on some host whole);
    /// - on small problems, the linear relaxation (`relaxedPeak`).
    /// O(P + H) plus O(C² · H / 64) for C ≤ `subsetBoundClasses` classes, plus the relaxation's simplex.
    static func spreadLowerBound(_ problem: PlacementProblem) -> Double {
        func load(_ purposes: [Int], _ hosts: [Int]) -> Double {
            var cpu = 0.0, memory = 0.0, capCPU = 0.0, capMemory = 0.0
            for d in purposes {
                cpu += Double(problem.demands[d].cpu) * Double(problem.demands[d].replicas)
                memory += Double(problem.demands[d].memory) * Double(problem.demands[d].replicas)
            }
            for h in hosts {
                capCPU += Double(problem.hosts[h].cpu)
                capMemory += Double(problem.hosts[h].memory)
            }
            return max(capCPU > 0 ? cpu / capCPU : 0, capMemory > 0 ? memory / capMemory : 0)
        }
        var bound = load(Array(problem.demands.indices), Array(problem.hosts.indices))
        for demand in problem.demands where demand.replicas > 0 {
            let best = demand.eligible.map { h in
                Utilisation.of(cpu: Double(demand.cpu), memory: Double(demand.memory),
                               cpuCapacity: Double(problem.hosts[h].cpu), memoryCapacity: Double(problem.hosts[h].memory))
            }.min() ?? 0
            bound = max(bound, best)
        }
        var classes: [Int: Int] = [:]   // class → a purpose of it
        for d in problem.demands.indices where classes[problem.demands[d].eligibleClass] == nil {
            classes[problem.demands[d].eligibleClass] = d
        }
        if let relaxed = relaxedPeak(problem) { bound = max(bound, relaxed) }
        guard classes.count > 1, classes.count <= subsetBoundClasses else { return bound }
        let representatives = classes.values.sorted()
        let sets = representatives.map { HostSet(problem.demands[$0].eligible, capacity: problem.hosts.count) }
        for (i, outer) in representatives.enumerated() {
            let within = representatives.indices.filter { j in
                problem.demands[representatives[j]].eligible.allSatisfy { sets[i].contains($0) }
            }
            let classIDs = Set(within.map { problem.demands[representatives[$0]].eligibleClass })
            let purposes = problem.demands.indices.filter { classIDs.contains(problem.demands[$0].eligibleClass) }
            bound = max(bound, load(purposes, problem.demands[outer].eligible))
        }
        return bound
    }
}
