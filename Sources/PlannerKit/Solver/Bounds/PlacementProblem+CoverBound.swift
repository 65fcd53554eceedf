// binpack's capacity bounds: how few hosts can hold all the cpu and memory, alone and when labels
// and conflicts force some of the hosts to come from a given set.

import PlannerSpec

extension PlacementProblem {
    /// At least `count` hosts in use must be among `hosts` (ascending host indices).
    struct ForcedHosts {
        var hosts: [Int]
        var count: Int
    }

    /// Total demand per resource, in floating point (sums of 64-bit products may overflow).
    var totalDemand: (cpu: Double, memory: Double) { totalDemand(of: demands.indices) }

    /// The same for some of the purposes.
    func totalDemand<Purposes: Sequence<Int>>(of purposes: Purposes) -> (cpu: Double, memory: Double) {
        purposes.reduce((0.0, 0.0)) { ($0.0 + Double(demands[$1].cpu) * Double(demands[$1].replicas),
                                       $0.1 + Double(demands[$1].memory) * Double(demands[$1].replicas)) }
    }

    /// Grid steps of the surrogate multiplier λ in `coverBound`.
    static let surrogateSteps = 100

    /// The surrogate cover bound on hosts used (the two capacity rows added with a multiplier, as in
    /// Martello and Toth's surrogate relaxation): the hosts in use hold all the cpu and all the memory,
    /// so for any λ in [0, 1] their weights λ·cpu/cpu demand + (1 − λ)·memory/memory demand add up to
    /// at least 1. The fewest hosts that reach 1 take the heaviest weights first; when `forced` says
    /// that at least n of them come from a set S, the fewest take the n heaviest of S, then the heaviest
    /// of all the rest (an exchange argument shows no choice reaches 1 with fewer). λ = 1 and λ = 0 are
    /// the plain cpu and memory bounds; a λ between them is stronger when hosts differ in shape, and
    /// the forced set is stronger when labels send many replicas to small hosts. The best λ on a grid
    /// of `surrogateSteps` (any λ gives a valid bound); that λ also ranks hosts for opening
    /// (`bestPacking`, through `hostOrder`). O(steps · Z log Z) for Z distinct host sizes, after O(H) grouping.
    func coverBound(forced: ForcedHosts? = nil) -> (hosts: Int, lambda: Double) {
        let demand = totalDemand
        var best = (hosts: 0, lambda: 0.5)
        guard demand.cpu > 0 || demand.memory > 0 else { return best }
        let sizes = hostShapes(hosts.indices)
        let position = Dictionary(uniqueKeysWithValues: sizes.enumerated().map { ([$1.cpu, $1.memory], $0) })
        var forcedCounts = Array(repeating: 0, count: sizes.count)
        for shape in hostShapes(forced?.hosts ?? []) { forcedCounts[position[[shape.cpu, shape.memory]]!] = shape.count }
        // A resource nobody asks for gives no inequality: only the other one's λ is meaningful.
        let lambdas = (0...PlacementProblem.surrogateSteps).map { Double($0) / Double(PlacementProblem.surrogateSteps) }
            .filter { (demand.cpu > 0 || $0 == 0) && (demand.memory > 0 || $0 == 1) }
        for lambda in lambdas {
            let weights = sizes.map { surrogateWeight(cpu: $0.cpu, memory: $0.memory, lambda: lambda, demand: demand) }
            let heaviest = sizes.indices.sorted { weights[$0] != weights[$1] ? weights[$0] > weights[$1] : $0 < $1 }
            var left = sizes.map(\.count)
            var reached = 0.0, count = 0
            var owed = forced?.count ?? 0
            for i in heaviest where owed > 0 {
                let taken = min(forcedCounts[i], owed)
                left[i] -= taken
                owed -= taken
                count += taken
                reached += Double(taken) * weights[i]
            }
            // The tolerance can only undercount by one host, which keeps the bound valid.
            for i in heaviest where reached < 1 - 1e-9 && weights[i] > 0 {
                let taken = min(left[i], Int(((1 - 1e-9 - reached) / weights[i]).rounded(.up)))
                reached += Double(taken) * weights[i]
                count += taken
            }
            // Short even with every host: capacity or labels are reported elsewhere; all hosts is the bound.
            if reached < 1 - 1e-9 || owed > 0 { count = hosts.count }
            if count > best.hosts { best = (count, lambda) }
        }
        return best
    }

    /// A host's share of the total demand it could hold, cpu weighted by λ and memory by 1 − λ.
    func surrogateWeight(cpu: Int64, memory: Int64, lambda: Double, demand: (cpu: Double, memory: Double)) -> Double {
        (demand.cpu > 0 ? lambda * Double(cpu) / demand.cpu : 0) + (demand.memory > 0 ? (1 - lambda) * Double(memory) / demand.memory : 0)
    }

    /// The hosts grouped by (cpu, memory) size, with how many there are of each, smallest first.
    func hostShapes<Hosts: Sequence<Int>>(_ members: Hosts) -> [(cpu: Int64, memory: Int64, count: Int)] {
        var counts: [[Int64]: Int] = [:]
        for h in members { counts[[hosts[h].cpu, hosts[h].memory], default: 0] += 1 }
        return counts.map { (cpu: $0.key[0], memory: $0.key[1], count: $0.value) }.sorted { ($0.cpu, $0.memory) < ($1.cpu, $1.memory) }
    }

    /// Per eligibility class S that is not every host, the fewest of S's hosts any placement uses: the
    /// purposes that may only use hosts of S each need their fewest hosts there, those of a conflict
    /// clique need theirs apart, and together they need S's capacity for their cpu and memory.
    /// O(C² · H / 64 + C · (P + cliques · P + H log H)) for C ≤ `Solver.subsetBoundClasses` classes
    /// (more classes are skipped: the bound stays valid, only weaker).
    func forcedHostSets(cliques: [(members: [Int], hostsNeeded: Int)]) -> [ForcedHosts] {
        var representative: [Int: Int] = [:]   // class → its first purpose
        for d in demands.indices where representative[demands[d].eligibleClass] == nil {
            representative[demands[d].eligibleClass] = d
        }
        guard representative.count <= Solver.subsetBoundClasses else { return [] }
        let need = demands.indices.map { fewestHosts($0) ?? 0 }
        var result: [ForcedHosts] = []
        for rep in representative.sorted(by: { $0.key < $1.key }).map(\.value) {
            let set = HostSet(demands[rep].eligible, capacity: hosts.count)
            guard demands[rep].eligible.count < hosts.count else { continue }
            let insideClass = representative.mapValues { other in demands[other].eligible.allSatisfy { set.contains($0) } }
            let inside = demands.indices.filter { insideClass[demands[$0].eligibleClass]! }
            var count = inside.map { need[$0] }.max() ?? 0
            for clique in cliques {
                count = max(count, clique.members.filter { insideClass[demands[$0].eligibleClass]! }.reduce(0) { $0 + need[$1] })
            }
            let demand = totalDemand(of: inside)
            count = max(count, fewestCovering(demand.cpu, demands[rep].eligible.map { Double(hosts[$0].cpu) }),
                        fewestCovering(demand.memory, demands[rep].eligible.map { Double(hosts[$0].memory) }))
            if count > 0 { result.append(ForcedHosts(hosts: demands[rep].eligible, count: count)) }
        }
        return result
    }

    /// The fewest of these capacities, largest first, whose sum reaches `demand` (all of them when none
    /// does). In floating point with a relative tolerance, so it may undercount by one, never overcount.
    private func fewestCovering(_ demand: Double, _ capacities: [Double]) -> Int {
        guard demand > 0 else { return 0 }
        var reached = 0.0, count = 0
        for capacity in capacities.sorted(by: >) where reached < demand * (1 - 1e-9) {
            reached += capacity
            count += 1
        }
        return count
    }
}
