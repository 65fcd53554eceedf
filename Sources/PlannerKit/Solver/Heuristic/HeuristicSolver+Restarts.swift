// Tight clusters: place what fits, repair the rest, and restart from seeded random orders.

extension HeuristicSolver {
    /// Every purpose placed as far as it goes, then the rest by `repair` (small problems only).
    mutating func placeAndRepair(_ order: [Int]) -> Bool {
        guard problem.hosts.count <= HeuristicSolver.repairHosts else { return false }
        for d in order { _ = placePurpose(d) }
        var pending = unplacedReplicas(order)
        return repair(&pending, budget: min(HeuristicSolver.repairSteps / 2, max(1, (stepLimit - steps) / 2)))
    }

    /// One entry per replica not placed yet, purposes in `order`: the queue `repair` takes.
    func unplacedReplicas(_ order: [Int]) -> [Int] {
        order.flatMap { d in repeatElement(d, count: max(0, problem.demands[d].replicas - placed[d].values.reduce(0, +))) }
    }

    /// Most restarts of `restartAndRepair`, and the repair steps of each.
    static let restarts = 4
    static let restartRepairSteps = 5_000

    /// Tight clusters that one repair run leaves short: restarts from scratch, each packing the purposes
    /// in a seeded random order over every host and repairing what is left with a small budget (a
    /// failed repair run tends to circle in one region; a new order starts it elsewhere). Iterated
    /// construction with restarts; deterministic, as the orders come from the try's number.
    mutating func restartAndRepair(_ order: [Int], from empty: HeuristicSolver) -> Bool {
        guard problem.hosts.count <= HeuristicSolver.repairHosts else { return false }
        for attempt in 0..<HeuristicSolver.restarts where steps < stepLimit && !stoppedByClock {
            restart(from: empty)
            random = SplitMix64(seed: 0x5EED &+ UInt64(attempt) &* 0x9E37_79B9_7F4A_7C15)
            var shuffled = order
            for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, Int(random.nextUnit() * Double(i + 1))) }
            openEveryHost()
            let placedAll = placeEachPurpose(shuffled)
            openHosts = nil
            if placedAll { return true }
            var pending = unplacedReplicas(shuffled)
            if repair(&pending, budget: HeuristicSolver.restartRepairSteps) { return true }
        }
        return false
    }
}
