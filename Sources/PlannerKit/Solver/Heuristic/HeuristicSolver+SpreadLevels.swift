// spread: packing under a ceiling, which balances cpu against memory, and the portfolio of
// improvement runs built on it.

import PlannerSpec

extension HeuristicSolver {
    /// The order in which a level probe packs the purposes.
    enum LevelOrder: CaseIterable {
        /// Purposes limited to some hosts (labels, host lists) first, then the rest; largest replicas
        /// first within each group. Scarce hosts go to the purposes that need them, and big replicas
        /// find room before small ones fragment it (first-fit decreasing).
        case restrictedThenLargest
        /// As above, with purposes that have conflicts counted as restricted.
        case constrainedThenLargest
        /// The construction's own order (`purposeOrder`).
        case mostConstrained
        /// Largest replicas first, whatever their rules.
        case largest
    }

    /// Hosts up to which `improveByPortfolio` makes several runs (each ends with exchanges and repair,
    /// which grow fast with the hosts).
    static let portfolioHosts = 100

    /// Probes per bisection of `levelSpread`: the interval shrinks 256-fold.
    static let levelProbes = 8

    /// Improvement runs from the constructed placement, the best kept (ties: the earlier run).
    /// Up to `portfolioHosts` hosts, where a run is cheap, one run per level order and one without
    /// levels; above, one run whose probes try the orders in turn. Each run ends with the exchange and
    /// repair searches (which stop themselves above `swapSearchHosts` and `repairHosts`); the best
    /// run's placement then goes through `leximaxSearch`. The steps of every run count.
    mutating func improveByPortfolio(_ order: [Int], from empty: HeuristicSolver) {
        let small = problem.hosts.count <= HeuristicSolver.portfolioHosts
        let portfolio: [[LevelOrder]] = small
            ? LevelOrder.allCases.map { [$0] } + [[]]
            : [[.restrictedThenLargest, .constrainedThenLargest, .mostConstrained]]
        let constructed = self
        meter?.heuristicFound(.peakUtilisation(peakUtilisation), steps: steps)
        var best: HeuristicSolver? = nil
        for (index, orders) in portfolio.enumerated() {
            var run = constructed
            run.steps = steps
            run.levelSpread(order, from: empty, orders: orders)
            run.improveSpread()
            run.swapSpread()
            run.lowerPeak(budget: min(HeuristicSolver.repairSteps, (stepLimit - run.steps) / (2 * (portfolio.count - index))))
            run.swapSpread()
            steps = run.steps
            stoppedByClock = run.stoppedByClock
            if best == nil || run.peakUtilisation < best!.peakUtilisation { best = run }
            if stoppedByClock || steps >= stepLimit { break }
        }
        resume(from: best!)
        if !defersLeximax { finishSpread() }
    }

    /// The last improvement of `spread`: `leximaxSearch` with what is left of its share of the steps;
    /// without `kicking` (the peak is known to be optimal) only its first descent, which keeps the
    /// peak and lowers the hosts under it.
    mutating func finishSpread(kicking: Bool = true) {
        leximaxSearch(budget: min(HeuristicSolver.leximaxSteps, stepLimit - steps), kicking: kicking)
    }

    /// Bisection on the peak utilisation between the lower bound and the peak found so far: each probe
    /// caps every host at the level (cpu and memory both at level × capacity) and packs every purpose
    /// again from scratch with the packing score, which fills a host's cpu and memory at the same pace
    /// and so sends memory-heavy replicas to memory-rich hosts. Spreading by utilisation alone fills
    /// whichever resource a host is short of first and strands the other, where the linear relaxation
    /// balances both. A probe tries the
    /// `orders` in turn; one that places everything becomes the placement, and when none does the floor
    /// rises (a heuristic verdict, not a proof). Each attempt is one construction, O(R log H) for R replicas.
    mutating func levelSpread(_ order: [Int], from empty: HeuristicSolver, orders: [LevelOrder]) {
        guard !orders.isEmpty else { return }
        let orderings = orders.map { levelOrder($0, order) }
        var low = lowerBound.scalar
        var high = peakUtilisation
        for _ in 0..<HeuristicSolver.levelProbes where high - low > 1e-4 * high && !stoppedByClock && steps < stepLimit {
            let level = (low + high) / 2
            var found: HeuristicSolver? = nil
            for ordering in orderings where found == nil && !stoppedByClock {
                var probe = empty
                probe.steps = steps
                probe.cap(at: level)
                probe.openEveryHost()
                probe.parking = problem.hosts.count > HeuristicSolver.parkingHosts
                let placedAll = probe.placeEachPurpose(ordering)
                steps = probe.steps + 1
                stoppedByClock = probe.stoppedByClock || probe.pastDeadline
                meter?.heuristicRunning(steps: steps)   // a construction does not tick: keep the progress line alive
                if placedAll { found = probe }
            }
            if var probe = found, probe.peakUtilisation < high {
                probe.steps = steps
                probe.uncap()
                high = probe.peakUtilisation
                self = probe
                meter?.heuristicFound(.peakUtilisation(high), steps: steps)
            } else {
                low = level
            }
        }
    }

    func levelOrder(_ kind: LevelOrder, _ order: [Int]) -> [Int] {
        let demands = problem.demands, hosts = problem.hosts.count
        func restricted(_ d: Int) -> Bool { demands[d].eligible.count < hosts }
        func constrained(_ d: Int) -> Bool { restricted(d) || !demands[d].conflicts.isEmpty }
        switch kind {
        case .restrictedThenLargest: return bySize(order.filter(restricted)) + bySize(order.filter { !restricted($0) })
        case .constrainedThenLargest: return order.filter(constrained) + bySize(order.filter { !constrained($0) })
        case .mostConstrained: return order
        case .largest: return bySize(order)
        }
    }

    /// Largest replicas first (by their share of the average host), as first-fit decreasing packs;
    /// ties keep the given order.
    func bySize(_ order: [Int]) -> [Int] {
        let mean = meanHost
        func size(_ d: Int) -> Double {
            Utilisation.of(cpu: Double(problem.demands[d].cpu), memory: Double(problem.demands[d].memory),
                           cpuCapacity: mean.cpu, memoryCapacity: mean.memory)
        }
        return order.enumerated().sorted { a, b in
            let sa = size(a.element), sb = size(b.element)
            return sa != sb ? sa > sb : a.offset < b.offset
        }.map(\.element)
    }

    /// Every host's cpu and memory limited to `level` times its capacity, for a probe.
    mutating func cap(at level: Double) {
        for (h, host) in problem.hosts.enumerated() {
            cpuLimit[h] = min(host.cpu, Int64((Double(host.cpu) * level).rounded(.down)))
            memoryLimit[h] = min(host.memory, Int64((Double(host.memory) * level).rounded(.down)))
        }
    }

    /// Back to full capacity and every host usable, with the heaps rebuilt on next use.
    mutating func uncap() {
        openHosts = nil
        cpuLimit = problem.hosts.map(\.cpu)
        memoryLimit = problem.hosts.map(\.memory)
        dropHeaps()
    }

    /// Forgets the heaps (and the parked hosts); the next placement builds them again.
    mutating func dropHeaps() {
        parking = false
        parked = [:]
        buckets = [:]
        slotPositions = [:]
        bucketOf = Array(repeating: [], count: problem.hosts.count)
    }

    /// The average host's cpu and memory, in floating point (the sums of hostile capacities overflow 64 bits).
    var meanHost: (cpu: Double, memory: Double) {
        let hosts = Double(max(1, problem.hosts.count))
        return (problem.hosts.reduce(0.0) { $0 + Double($1.cpu) } / hosts, problem.hosts.reduce(0.0) { $0 + Double($1.memory) } / hosts)
    }

    /// Every host usable, a replica going where it keeps cpu and memory filling together (`packingScore`).
    mutating func openEveryHost() {
        openHosts = HostSet(Array(problem.hosts.indices), capacity: problem.hosts.count)
        openingRank = Array(problem.hosts.indices)
    }

    /// The highest utilisation of any host.
    var peakUtilisation: Double { problem.hosts.indices.map { utilisation($0) }.max() ?? 0 }
}
