// The brute-force oracle: every placement of a tiny topology, checked by the verifier.

import PlannerKit
import PlannerSpec

/// Every placement of a tiny topology, checked by the verifier: the ground truth for the solver.
public enum BruteForce {
    public struct Answer {
        public var feasible: Bool
        /// The best objective over every valid placement, as the solver measures it.
        public var best: Double?
        /// A placement with that objective (the first found).
        public var bestPlacement: PlacementCounts? = nil
    }

    public static func solve(_ topology: Topology) -> Answer {
        var best: Double? = nil, bestPlacement: PlacementCounts? = nil
        forEachValidPlacement(of: topology) { placement in
            let value = objective(placement, topology)
            if best == nil || value < best! {
                best = value
                bestPlacement = placement
            }
        }
        return Answer(feasible: best != nil, best: best, bestPlacement: bestPlacement)
    }

    /// Calls `body` with every placement of `topology` that the verifier accepts, in a fixed order.
    public static func forEachValidPlacement(of topology: Topology, _ body: (PlacementCounts) -> Void) {
        let hostNames = topology.hosts.map(\.name)
        let options = topology.purposes.map { compositions(of: $0.replicas, into: hostNames.count) }
        var current: PlacementCounts = [:]
        func visit(_ index: Int) {
            if index == topology.purposes.count {
                if Verifier.violations(of: current, in: topology).isEmpty { body(current) }
                return
            }
            for option in options[index] {
                var perHost: [String: Int] = [:]
                for (h, n) in option.enumerated() where n > 0 { perHost[hostNames[h]] = n }
                current[topology.purposes[index].name] = perHost
                visit(index + 1)
            }
        }
        visit(0)
    }

    /// Written from the definitions on purpose, not with the solver's `Utilisation.of` or
    /// `Solver.objective(of:)`: the oracle shares no code with what it checks.
    public static func objective(_ placement: PlacementCounts, _ topology: Topology) -> Double {
        switch topology.strategy {
        case .binpack:
            return Double(Set(placement.values.flatMap { $0.filter { $0.value > 0 }.keys }).count)
        case .spread:
            return topology.hosts.map { host in
                var cpu: Int64 = 0, memory: Int64 = 0
                for purpose in topology.purposes {
                    let n = Int64(placement[purpose.name]?[host.name] ?? 0)
                    cpu += n * purpose.cpu
                    memory += n * purpose.memory
                }
                return max(Double(cpu) / Double(host.cpu), Double(memory) / Double(host.memory))
            }.max() ?? 0
        }
    }

    /// All ways to write n as an ordered sum of `parts` non-negative integers.
    public static func compositions(of n: Int, into parts: Int) -> [[Int]] {
        if parts == 1 { return [[n]] }
        return (0...n).flatMap { first in compositions(of: n - first, into: parts - 1).map { [first] + $0 } }
    }
}
