// binpack: the constructions that fill few hosts, and the pass that empties hosts afterwards.

import PlannerSpec

extension HeuristicSolver {
    /// Hosts up to which binpack also tries its second purpose order and evens out cpu and memory by
    /// swaps: above, the two cost several times the rest of the solve for few hosts fewer, near the
    /// time limit, where the clock rather than the step count would end it.
    static let fullPortfolioHosts = 2_000
    /// Most rounds of evening out tilts and emptying again.
    static let tiltRounds = 6
    /// binpack's `evenOutTilts` rounds and partners (the defaults, 2 and 24, stay spread's).
    static let binpackSwapRounds = 40
    static let binpackSwapPartners = 200
    /// Above `repairHosts`, `closeByRepair` runs on the finalist with the fewest hosts only, for this
    /// many steps, and gives up on a host after `largeCloseAttemptSteps`: its steps scan the hosts in
    /// use, so it is kept short; most hosts it empties come within a few thousand steps, and most
    /// failed attempts use their whole allowance.
    static let largeCloseByRepairSteps = 20_000
    static let largeCloseAttemptSteps = 400

    /// The best of a portfolio of openings (`placeOpening`: the largest hosts open, more opened on
    /// demand), each then emptied. The portfolio varies which hosts count as largest (`hostOrder` with
    /// cpu and memory weighted alike, and with the λ of the strongest capacity bound, which weights the
    /// resource that binds; each wins on some bench instances), the purpose order (`order`, and up to
    /// `fullPortfolioHosts` hosts each of `otherOrders`), how many hosts start open, and whether they
    /// open before or after the purposes with conflicts. The hosts an opening uses say little about how
    /// many `closeHosts` can then empty (the opening with the fewest hosts often ends several hosts
    /// behind another), so the fewest of each (start-open share, conflicts first) pair is emptied
    /// (fewer above 2,000 hosts: `affordable`). The two that end with the fewest hosts have their cpu
    /// and memory evened out by swaps (`evenOutTilts`, up to `fullPortfolioHosts`) and are emptied
    /// again, for up to `tiltRounds` rounds, and go on to `closeByRepair` (both up to `repairHosts`,
    /// and for binpack the one with the fewest up to `closeByRepairHosts`).
    /// Falls back to spreading over every host when no opening places everything, and then to repair
    /// (unless `repairing` is false: the caller repairs itself). Each opening is O(R log H) for R replicas.
    mutating func bestPacking(_ order: [Int], alsoTrying otherOrders: [[Int]] = [], repairing: Bool = true) -> HeuristicSolver? {
        // Openings start from the capacity bound: the hosts that labels and conflicts force open on demand.
        let cover = problem.coverBound()
        let shares = [0.97, 1.0, 1.03, 1.06]
        var finalists: [HeuristicSolver?] = Array(repeating: nil, count: 2 * shares.count)   // per (conflicts first, share)
        var steps = self.steps
        for lambda in cover.lambda == 0.5 ? [0.5] : [0.5, cover.lambda] {
            let ranked = hostOrder(lambda: lambda)
            for purposes in [order] + (problem.hosts.count <= HeuristicSolver.fullPortfolioHosts ? otherOrders : []) {
                for (firstIndex, conflictsFirst) in [false, true].enumerated() {
                    for (shareIndex, share) in shares.enumerated() {
                        var candidate = self
                        candidate.steps = steps
                        let placedAll = candidate.placeOpening(purposes, ranked: ranked, initiallyOpen: Int((Double(cover.hosts) * share).rounded(.up)),
                                                               conflictsFirst: conflictsFirst)
                        steps = candidate.steps
                        let slot = firstIndex * shares.count + shareIndex
                        if placedAll, finalists[slot] == nil || candidate.hostsUsed < finalists[slot]!.hostsUsed { finalists[slot] = candidate }
                    }
                }
            }
        }
        // Emptying costs about O(H²) at scale: above 2,000 hosts only the openings with the fewest hosts
        // are emptied (2 at 8,000 hosts and more), to stay within seconds.
        let affordable = max(2, min(finalists.count, 16_000 / max(1, problem.hosts.count)))
        let chosen = finalists.compactMap { $0 }.enumerated()
            .sorted { ($0.element.hostsUsed, $0.offset) < ($1.element.hostsUsed, $1.offset) }
            .prefix(affordable).sorted { $0.offset < $1.offset }.map(\.element)
        var emptied: [HeuristicSolver] = []   // fewest hosts first, ties in portfolio order
        for var finalist in chosen {
            finalist.steps = steps
            finalist.closeHosts()
            steps = finalist.steps
            emptied.insert(finalist, at: emptied.firstIndex { finalist.hostsUsed < $0.hostsUsed } ?? emptied.count)
        }
        if emptied.isEmpty {
            var spread = self
            spread.steps = steps
            if !spread.placeEachPurpose(order) {
                spread.restart(from: self)
                guard repairing, spread.placeAndRepair(order) else { return nil }
            }
            spread.closeHosts()
            steps = spread.steps
            emptied = [spread]
        }
        var best: HeuristicSolver? = nil
        // spread packs only for a first placement in a tight cluster (`solve`): there the emptying
        // stays as light as it was tuned, one round of swaps and repair up to 200 hosts.
        let binpack = problem.strategy == .binpack, large = problem.hosts.count > HeuristicSolver.repairHosts
        for (rank, var finalist) in emptied.prefix(2).enumerated() {
            finalist.steps = steps
            if problem.hosts.count <= HeuristicSolver.fullPortfolioHosts {
                // Swaps open room that emptying uses, and emptying changes which swaps help.
                for _ in 0..<(binpack ? HeuristicSolver.tiltRounds : 1) {
                    let before = finalist.hostsUsed
                    if binpack {
                        finalist.evenOutTilts(rounds: HeuristicSolver.binpackSwapRounds, partners: HeuristicSolver.binpackSwapPartners)
                    } else {
                        finalist.evenOutTilts()
                    }
                    finalist.closeHosts()
                    if finalist.hostsUsed == before { break }
                }
            }
            if finalist.hostsUsed > Int(lowerBound.scalar), !large || (binpack && rank == 0) {
                let budget = large ? HeuristicSolver.largeCloseByRepairSteps : HeuristicSolver.repairSteps
                finalist.closeByRepair(budget: min(budget, max(0, (stepLimit - finalist.steps) / 4)),
                                       attemptSteps: large ? HeuristicSolver.largeCloseAttemptSteps : 2_000)
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

    /// Hosts largest first by their share of the total demand they could hold, λ·cpu + (1 − λ)·memory
    /// (`surrogateWeight`), zones taking turns among equals.
    func hostOrder(lambda: Double) -> [Int] {
        var rankInZone: [Int] = Array(repeating: 0, count: problem.hosts.count)
        var seen: [Int: Int] = [:]
        for h in problem.hosts.indices {
            let zone = problem.hosts[h].zone
            rankInZone[h] = seen[zone, default: 0]
            seen[zone, default: 0] += 1
        }
        let demand = problem.totalDemand
        let worth = problem.hosts.map { problem.surrogateWeight(cpu: $0.cpu, memory: $0.memory, lambda: lambda, demand: demand) }
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
        let smallest = (cpu: problem.demands.map(\.cpu).min() ?? 0, memory: problem.demands.map(\.memory).min() ?? 0)
        for _ in 0..<2 {
            let before = hostsUsed
            let order = problem.hosts.indices.filter { !onHost[$0].isEmpty }.sorted { (load($0), $0) < (load($1), $1) }
            // Hosts with room for the smallest replica; room only shrinks during a pass (moves fill
            // hosts, failed attempts are undone), so a host dropped from here never belongs back.
            var roomy: [Int] = []
            for (position, h) in order.enumerated() where tick() && !onHost[h].isEmpty {
                if position % 32 == 0 {
                    roomy = order.filter { cpuLimit[$0] - cpuUsed[$0] >= smallest.cpu && memoryLimit[$0] - memoryUsed[$0] >= smallest.memory }
                }
                if roomElsewhere(for: h, among: roomy) { _ = tryToEmpty(h) }
            }
            if hostsUsed == before { break }
        }
    }

    /// Whether each purpose on h, on its own, finds room for its replicas there on the other open hosts
    /// among `candidates` (capacity, per-host caps and conflicts; racks and zones not counted). Necessary
    /// for `tryToEmpty` to succeed, and far cheaper than its failures, which probe up to `probeLimit`
    /// hosts per purpose (and leave the heaps reordered, so skipping them may change which of equal
    /// hosts later moves pick).
    /// O(purposes on h · candidates), and most often it stops after a few candidates.
    func roomElsewhere(for h: Int, among candidates: [Int]) -> Bool {
        for d in onHost[h] {
            let demand = problem.demands[d], eligible = classSets[demand.eligibleClass]!
            var needed = Int64(placed[d][h] ?? 0)
            for t in candidates where t != h && openHosts!.contains(t) && eligible.contains(t) {
                if needed <= 0 { break }
                let byCPU = demand.cpu > 0 ? (cpuLimit[t] - cpuUsed[t]) / demand.cpu : needed
                let byMemory = demand.memory > 0 ? (memoryLimit[t] - memoryUsed[t]) / demand.memory : needed
                let byRoom = min(byCPU, byMemory)
                guard byRoom > 0 else { continue }
                let already = placed[d][t] ?? 0
                if already == 0 && conflicted(d, t) { continue }
                needed -= max(0, min(byRoom, Int64(demand.perHostCap - already)))
            }
            if needed > 0 { return false }
        }
        return true
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
