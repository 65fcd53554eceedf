// `--rebalance`: the strategy's objective wins over moves, within a budget of moves when one is given.

import PlannerSpec

/// What `plan --rebalance [--max-moves N]` asks of a re-plan.
public struct Rebalance: Sendable, Equatable {
    /// At most this many moves in all (those the rules force included); nil: as many as the objective wants.
    public var maxMoves: Int?

    public init(maxMoves: Int? = nil) {
        self.maxMoves = maxMoves
    }
}

/// What a rebalance bought: the objective of the fewest-moves re-plan against the rebalanced one.
public struct RebalanceReport: Sendable, Equatable {
    /// The objective of the fewest-moves re-plan.
    public var before: Objective
    /// The objective of the placement kept.
    public var after: Objective
    /// Moves of the fewest-moves re-plan, and whether they are proven the fewest.
    public var fewestMoves: Int
    public var fewestProven: Bool
    /// Moves of the placement kept.
    public var moves: Int
    public var maxMoves: Int?

    /// The budget is below what the rules force: nothing within it satisfies them (as far as is known).
    public var overBudget: Bool { maxMoves.map { $0 < fewestMoves } ?? false }

    /// `peak 81% → 64% for 12 moves`, `6 hosts used → 5 for 4 moves`, or why nothing was bought.
    public var summary: String {
        if after < before {
            return "\(Self.describe(before, against: after)) → \(Self.describe(after, against: before, short: true)) "
                + "for \(moves) move\(moves == 1 ? "" : "s")"
                + (fewestMoves > 0 ? " (\(fewestMoves) of them needed anyway)" : "")
        }
        let budget = maxMoves.map { " within \($0) move\($0 == 1 ? "" : "s")" } ?? ""
        return "\(Self.describe(after, against: after)) is the best found\(budget); no moves bought"
    }

    /// Percentages to the unit, or to a tenth where the unit would hide the difference.
    static func describe(_ objective: Objective, against other: Objective, short: Bool = false) -> String {
        switch objective {
        case .peakUtilisation(let u):
            var decimals = 0
            if case .peakUtilisation(let v) = other, u != v, (u * 100).rounded() == (v * 100).rounded() { decimals = 1 }
            return (short ? "" : "peak ") + String(format: "%.\(decimals)f%%", u * 100)
        case .hostsUsed(let n):
            return short ? "\(n)" : "\(n) host\(n == 1 ? "" : "s") used"
        }
    }
}

/// Improves a placement's objective with moves, on the heuristic's state (every rule checked as the
/// heuristic checks it), never moving a stateful purpose's replica: a rebalance is not a rule that forces
/// one. spread: move one replica off the fullest host to where it ends lowest, while that lowers the host;
/// binpack: empty the least used host into the others. Each step's moves are counted against the deployed
/// placement (a replica that goes back to a host it left costs nothing); the best objective seen is
/// kept, with the fewest moves among equals. Works on the canonical problem (`Replanner`).
struct Rebalancer {
    let problem: PlacementProblem
    let old: [[Int: Int]]
    let stateful: [Bool]
    let stepLimit: Int

    func load(_ assignment: [[HostCount]]) -> HeuristicSolver {
        var state = HeuristicSolver(problem, stepLimit: stepLimit, lowerBound: .hostsUsed(0))
        for (d, row) in assignment.enumerated() { for entry in row where entry.count > 0 { state.add(d, entry.host, entry.count) } }
        return state
    }

    /// The change in moves when one replica of d goes from `from` to `to`.
    func cost(_ d: Int, from: Int, to: Int, _ state: HeuristicSolver) -> Int {
        let leaves = (state.placed[d][from] ?? 0) <= (old[d][from] ?? 0) ? 1 : 0
        let returns = (state.placed[d][to] ?? 0) < (old[d][to] ?? 0) ? 1 : 0
        return leaves - returns
    }

    func objective(_ state: HeuristicSolver) -> Objective {
        switch problem.strategy {
        case .binpack: return .hostsUsed(state.hostsUsed)
        case .spread: return .peakUtilisation(problem.hosts.indices.map { state.utilisation($0) }.max() ?? 0)
        }
    }

    /// The best placement found from `start` (which moves `moves`) with at most `budget` moves in all.
    func improve(_ start: [[HostCount]], moves: Int, budget: Int?) -> (assignment: [[HostCount]], moves: Int) {
        var state = load(start)
        var spent = moves
        var best = (assignment: start, moves: moves, objective: objective(state))
        let limit = budget ?? Int.max
        var rounds = 0
        let maxRounds = max(1, stepLimit)
        while rounds < maxRounds {
            rounds += 1
            let stepped: Bool
            switch problem.strategy {
            case .spread: stepped = lowerPeak(&state, &spent, limit)
            case .binpack: stepped = emptyOneHost(&state, &spent, limit)
            }
            guard stepped else { break }
            let now = objective(state)
            if now.scalar < best.objective.scalar - 1e-12 { best = (state.assignment, spent, now) }
        }
        return (best.assignment, best.moves)
    }

    /// One replica off the fullest host (the first by name among equals) to the eligible host where it ends
    /// lowest, below that peak; then the cheaper move, then by purpose and host name.
    func lowerPeak(_ state: inout HeuristicSolver, _ spent: inout Int, _ limit: Int) -> Bool {
        var peak = -1.0, p = -1
        for h in problem.hosts.indices {
            let u = state.utilisation(h)
            if u > peak + 1e-12 { peak = u; p = h }
        }
        guard p >= 0 else { return false }
        var best: (key: (Double, Int, Int, Int), d: Int, h: Int, cost: Int)? = nil
        for d in state.onHost[p].sorted() where !stateful[d] {
            let demand = problem.demands[d]
            for h in demand.eligible where h != p {
                let c = cost(d, from: p, to: h, state)
                guard spent + c <= limit else { continue }
                let after = state.utilisation(h, cpu: demand.cpu, memory: demand.memory)
                guard after < peak - 1e-12, state.canAdd(d, h, exact: true, removingFrom: p) else { continue }
                let key = (after, c, d, h)
                if best == nil || key < best!.key { best = (key, d, h, c) }
            }
        }
        guard let best else { return false }
        state.add(best.d, p, -1)
        state.add(best.d, best.h, 1)
        spent += best.cost
        return true
    }

    /// Empties the used host that takes the fewest moves to empty (then the fewest replicas, then by name)
    /// into hosts already in use, each replica to the fullest that may take it.
    func emptyOneHost(_ state: inout HeuristicSolver, _ spent: inout Int, _ limit: Int) -> Bool {
        var best: (key: (Int, Int, Int), state: HeuristicSolver, spent: Int)? = nil
        for p in problem.hosts.indices where !state.onHost[p].isEmpty && !state.onHost[p].contains(where: { stateful[$0] }) {
            let replicas = state.onHost[p].reduce(0) { $0 + (state.placed[$1][p] ?? 0) }
            var trial = state
            var trialSpent = spent
            var emptied = true
            outer: for d in state.onHost[p].sorted() {
                let demand = problem.demands[d]
                for _ in 0..<(state.placed[d][p] ?? 0) {
                    var target: (key: (Double, Int), h: Int)? = nil
                    for h in demand.eligible where h != p && !trial.onHost[h].isEmpty
                        && trial.canAdd(d, h, exact: true, removingFrom: p) {
                        let key = (-trial.utilisation(h, cpu: demand.cpu, memory: demand.memory), h)
                        if target == nil || key < target!.key { target = (key, h) }
                    }
                    guard let target else { emptied = false; break outer }
                    trialSpent += cost(d, from: p, to: target.h, trial)
                    trial.add(d, p, -1)
                    trial.add(d, target.h, 1)
                }
            }
            guard emptied, trialSpent <= limit else { continue }
            let key = (trialSpent - spent, replicas, p)
            if best == nil || key < best!.key { best = (key, trial, trialSpent) }
        }
        guard let best else { return false }
        state = best.state
        spent = best.spent
        return true
    }

    /// Moves replicas of `assignment` back to hosts they left, where every rule allows it and the objective
    /// does not get worse: the full solver's placement, as close to the deployed one as it stays as good.
    func movedBack(_ assignment: [[HostCount]]) -> [[HostCount]] {
        var state = load(assignment)
        let target = objective(state).scalar
        for d in problem.demands.indices {
            let demand = problem.demands[d]
            var progress = true
            while progress {
                progress = false
                let eligible = state.classSets[demand.eligibleClass]!
                let surplus = state.placed[d].filter { $0.value > (old[d][$0.key] ?? 0) }.keys.sorted()
                let deficit = old[d].filter { eligible.contains($0.key) && (state.placed[d][$0.key] ?? 0) < $0.value }.keys.sorted()
                search: for from in surplus {
                    for to in deficit where to != from && state.canAdd(d, to, exact: true, removingFrom: from) {
                        switch problem.strategy {
                        case .spread:
                            guard state.utilisation(to, cpu: demand.cpu, memory: demand.memory) <= target + 1e-12 else { continue }
                        case .binpack:
                            let empties = state.placed[d][from] == 1 && state.onHost[from].count == 1
                            guard !state.onHost[to].isEmpty || empties else { continue }
                        }
                        state.add(d, from, -1)
                        state.add(d, to, 1)
                        progress = true
                        break search
                    }
                }
            }
        }
        return state.assignment
    }
}
