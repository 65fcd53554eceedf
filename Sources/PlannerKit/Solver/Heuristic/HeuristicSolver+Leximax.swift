// spread up to 2,000 hosts: iterated local search on the whole sorted vector of utilisations.

import PlannerSpec

extension HeuristicSolver {
    /// Hosts up to which `leximaxSearch` runs: a pass looks at every pair of hosts, O(H² · P_h²)
    /// for P_h purposes per host.
    static let leximaxHosts = 2_000

    /// Most steps of the `leximaxSearch` that ends spread's improvement: a fraction of a second at the
    /// largest sizes it runs at.
    static let leximaxSteps = 300_000

    /// Kicks in a row without a lower peak after which `leximaxSearch` gives up: longer than the
    /// waits before an improvement seen on the bench's small instances.
    static let staleKicks = 2_000
    /// ... and when the configuration LP follows (`defersLeximax`), whose dives and branch and price
    /// find what a longer wait would, sooner.
    static let staleKicksBeforeLP = 300

    /// Whether a change that leaves two hosts at `a` and `b` (from `oldA` and `oldB`) lowers the
    /// pair, compared highest first. Every other host keeps its utilisation, so this is exactly
    /// whether the whole vector of utilisations, sorted highest first, falls lexicographically (the
    /// leximax order, whose first term is the peak). A descent in that order lowers hosts just under
    /// the peak too, which makes room for the moves that lower the peak itself.
    static func lowersPair(_ a: Double, _ b: Double, from oldA: Double, _ oldB: Double) -> Bool {
        let (newHigh, newLow) = a >= b ? (a, b) : (b, a)
        let (oldHigh, oldLow) = oldA >= oldB ? (oldA, oldB) : (oldB, oldA)
        if newHigh < oldHigh - 1e-12 { return true }
        return newHigh <= oldHigh && newLow < oldLow - 1e-12
    }

    /// Iterated local search (Lourenço, Martin and Stützle, 2003) in the leximax order: a descent by
    /// moves and swaps between any two hosts (`leximaxDescent`), then from the best placement so far
    /// a kick of a few seeded random moves and another descent, kept when its peak is no higher
    /// (plateaus are where the search finds its way), abandoned otherwise. Runs `budget` steps (one
    /// step: one pair of hosts looked at, or one kick), less when the peak meets the lower bound or
    /// `staleKicks` kicks in a row find nothing lower; the best placement found stays. Without
    /// `kicking`, the first descent alone.
    mutating func leximaxSearch(budget: Int, kicking: Bool = true) {
        guard problem.hosts.count <= HeuristicSolver.leximaxHosts, problem.hosts.count > 1,
              peakUtilisation > lowerBound.scalar + 1e-12 else { return }
        let stop = min(stepLimit, steps + budget)
        // Its moves and swaps use no heaps: without them a move need not push the host into every
        // class's heap, and keeping the best placement copies no heaps (same placement, much faster).
        dropHeaps()
        random = SplitMix64(seed: 0x1E81_4A7C &+ UInt64(problem.hosts.count))
        let eligible = eligibleSets
        leximaxDescent(until: stop, eligible: eligible)
        var best = self, bestPeak = peakUtilisation
        var kicks = 0, lastBest = 0
        let patience = !kicking ? 0 : defersLeximax ? HeuristicSolver.staleKicksBeforeLP : HeuristicSolver.staleKicks
        while steps < stop, !stoppedByClock, kicks - lastBest < patience,
              bestPeak > lowerBound.scalar + 1e-12 {
            kicks += 1
            kick(moves: 1 + kicks % 3, eligible: eligible)
            leximaxDescent(until: stop, eligible: eligible)
            let peak = peakUtilisation
            if peak < bestPeak - 1e-12 {
                lastBest = kicks
                best = self
                bestPeak = peak
            } else if peak > bestPeak + 1e-12 {
                resume(from: best)
            }
        }
        resume(from: best)
    }

    /// Descends in the leximax order until no move or swap between two hosts lowers them, or the steps
    /// reach `stop`. Hosts are visited highest first, each with the hosts below it, nearest first;
    /// each pair is improved as far as it goes. `eligible`: `eligibleSets`.
    mutating func leximaxDescent(until stop: Int, eligible: [HostSet]) {
        var improved = true
        while improved {
            improved = false
            let byUtilisation = problem.hosts.indices.sorted { (utilisation($0), $1) > (utilisation($1), $0) }
            for (i, a) in byUtilisation.enumerated() {
                for b in byUtilisation[(i + 1)...] {
                    guard steps < stop, tick() else { return }
                    if improvePair(a, b, eligible: eligible) { improved = true }
                }
            }
        }
    }

    /// Moves and swaps between hosts a and b, each kept when it lowers the pair (`lowersPair`) and
    /// every rule holds; true when any was kept. Only load leaving the higher host can lower the pair,
    /// so a move goes from the higher host and a swap sends one of its replicas for one of the other's.
    /// `eligible`: per purpose, the hosts it may use.
    mutating func improvePair(_ a: Int, _ b: Int, eligible: [HostSet]) -> Bool {
        var any = false
        search: while true {
            let (high, low) = (utilisation(a), a) >= (utilisation(b), b) ? (a, b) : (b, a)
            let highNow = utilisation(high), lowNow = utilisation(low)
            let highCPU = Double(cpuUsed[high]), highMemory = Double(memoryUsed[high])
            let lowCPU = Double(cpuUsed[low]), lowMemory = Double(memoryUsed[low])
            let highHost = problem.hosts[high], lowHost = problem.hosts[low]
            let highCPUSize = Double(highHost.cpu), highMemorySize = Double(highHost.memory)
            let lowCPUSize = Double(lowHost.cpu), lowMemorySize = Double(lowHost.memory)
            // Both hosts' utilisations after `cpu` and `memory` move from the higher host to the lower
            // (by `Utilisation.of`, as `utilisation`, so that equal loads compare equal).
            func after(_ cpu: Double, _ memory: Double) -> (Double, Double) {
                (Utilisation.of(cpu: highCPU - cpu, memory: highMemory - memory, cpuCapacity: highCPUSize, memoryCapacity: highMemorySize),
                 Utilisation.of(cpu: lowCPU + cpu, memory: lowMemory + memory, cpuCapacity: lowCPUSize, memoryCapacity: lowMemorySize))
            }
            let partners = onHost[low].filter { eligible[$0].contains(high) }
            for d in onHost[high] where eligible[d].contains(low) {
                let moved = problem.demands[d]
                let movedCPU = Double(moved.cpu), movedMemory = Double(moved.memory)
                let (highAfter, lowAfter) = after(movedCPU, movedMemory)
                if HeuristicSolver.lowersPair(highAfter, lowAfter, from: highNow, lowNow),
                   tryExchange(d, from: high, to: low, back: -1) {
                    any = true
                    continue search
                }
                for e in partners where e != d {
                    let back = problem.demands[e]
                    let (highAfter, lowAfter) = after(movedCPU - Double(back.cpu), movedMemory - Double(back.memory))
                    if HeuristicSolver.lowersPair(highAfter, lowAfter, from: highNow, lowNow),
                       tryExchange(d, from: high, to: low, back: e) {
                        any = true
                        continue search
                    }
                }
            }
            return any
        }
    }

    /// `moves` seeded random moves of one replica to another host that takes it under every rule,
    /// whatever they do to the utilisations; the first from the peak host, the rest from any host.
    mutating func kick(moves: Int, eligible: [HostSet]) {
        let hosts = problem.hosts.count
        for move in 0..<moves {
            guard tick() else { return }
            let from = move == 0
                ? problem.hosts.indices.max { (utilisation($0), $1) < (utilisation($1), $0) }!
                : Int(random.nextUnit() * Double(hosts))
            guard !onHost[from].isEmpty else { continue }
            let d = onHost[from][Int(random.nextUnit() * Double(onHost[from].count))]
            let start = Int(random.nextUnit() * Double(hosts))
            for offset in 1..<hosts {
                let to = (start + offset) % hosts
                if to != from, eligible[d].contains(to),
                   tryExchange(d, from: from, to: to, back: -1) { break }
            }
        }
    }
}
