// Re-planning from the deployed placement: fewest moved replicas first, then the strategy's objective.

import PlannerSpec

/// Places a topology starting from the placement that is deployed (`previous`, by name).
///
/// It works on the canonical problem (hosts and purposes sorted by name, so reordering the file changes
/// nothing) and tries, in order: the warm start (`WarmStart`: keep what the rules allow, place what is
/// missing), and only when that cannot satisfy the rules, the full `Solver`, whose placement is then moved
/// back towards the deployed one where the rules allow. Every placement goes through the `Verifier`.
/// On small instances where the moves exceed the lower bound, `FewestMovesSearch` proves the fewest.
public struct Replanner {
    public let topology: Topology
    public let previous: PlacementCounts
    public var limits: SolverLimits
    /// `--rebalance`: the objective wins over moves (within its budget); nil: fewest moves first.
    public var rebalance: Rebalance?

    public init(topology: Topology, previous: PlacementCounts, limits: SolverLimits = .init(), rebalance: Rebalance? = nil) {
        self.topology = topology
        self.previous = previous
        self.limits = limits
        self.rebalance = rebalance
    }

    /// The topology with hosts, purposes and balancers in name order: what the re-plan places and `plan` writes.
    public static func canonical(_ topology: Topology) -> Topology {
        var sorted = topology
        sorted.hosts.sort { $0.name < $1.name }
        sorted.purposes.sort { $0.name < $1.name }
        sorted.balancers.sort { $0.name < $1.name }
        return sorted
    }

    /// A purpose keeps data on its host when it mounts a volume that is not read-only.
    public static func isStateful(_ purpose: Purpose) -> Bool {
        purpose.volumes.contains { !$0.hasSuffix(":ro") && !$0.contains(":ro,") }
    }

    /// The re-plan: a solver result indexed like `PlacementProblem(topology)` (so `check` reads it as it
    /// reads the solver's) and what it moves.
    public func solve() -> (result: SolverResult, report: ReplanReport) {
        let sorted = Replanner.canonical(topology)
        let problem = PlacementProblem(sorted)
        let hostIndex = Dictionary(uniqueKeysWithValues: problem.hosts.enumerated().map { ($1.name, $0) })
        let old: [[Int: Int]] = problem.demands.map { demand in
            var row: [Int: Int] = [:]
            for (host, n) in previous[demand.name] ?? [:] where n > 0 { if let h = hostIndex[host] { row[h] = n } }
            return row
        }
        let stateful = sorted.purposes.map(Replanner.isStateful)
        let warm = WarmStart(problem: problem, old: old, stateful: stateful, stepLimit: max(1, limits.steps / 4))
        let lowerBound = Solver.lowerBound(problem)
        let started = warm.solve()
        var steps = started.steps
        var assignment: [[HostCount]]? = nil
        var usedSolver = false
        if let found = started.assignment, Verifier.violations(of: CheckPipeline.names(found, problem), in: sorted).isEmpty {
            assignment = found
        }
        var result: SolverResult
        if let assignment {
            let objective = Solver(problem).objective(of: assignment)
            result = SolverResult(status: objective.scalar <= lowerBound.scalar + 1e-12 ? .optimal : .feasible,
                                  assignment: assignment, objective: objective, lowerBound: lowerBound, steps: steps,
                                  stoppedByClock: false)
        } else {
            usedSolver = true
            var rest = limits
            rest.steps = max(1, limits.steps - steps)
            result = Solver(problem, limits: rest).solve()
            steps += result.steps
            if let found = result.assignment {
                let back = warm.movedBack(found)
                if Verifier.violations(of: CheckPipeline.names(back, problem), in: sorted).isEmpty {
                    result.assignment = back
                    result.objective = Solver(problem).objective(of: back)
                    if let objective = result.objective, objective.scalar > lowerBound.scalar + 1e-12 { result.status = .feasible }
                }
            }
            result.steps = steps
        }
        var report = ReplanReport(moves: 0, movesLowerBound: Replanner.movesLowerBound(problem, old: old, previous: previous),
                                  proven: false, perPurpose: [:], dataLeftBehind: [], usedFullSolver: usedSolver)
        guard let placedSorted = result.assignment else { return (result, report) }
        var placement = CheckPipeline.names(placedSorted, problem)
        // The proof on small instances: the fewest moves, by a complete search, when the bound is not met.
        let moves = Moves.count(from: previous, to: placement)
        if moves > report.movesLowerBound,
           let proof = FewestMovesSearch(topology: sorted, problem: problem, old: old, previous: previous)
               .solve(bestKnown: moves, objective: result.objective?.scalar ?? .infinity) {
            var verified = true
            if let better = proof.placement {
                verified = Verifier.violations(of: better, in: sorted).isEmpty
                if verified {
                    placement = better
                    let assigned = FewestMovesSearch.assignment(better, problem)
                    let objective = Solver(problem).objective(of: assigned)
                    result.objective = objective
                    result.status = objective.scalar <= lowerBound.scalar + 1e-12 ? .optimal : .feasible
                }
            }
            // A search whose best the verifier rejects proved nothing about the placement kept.
            report.proven = proof.complete && verified
        }
        let fewest = Moves.count(from: previous, to: placement)
        if fewest <= report.movesLowerBound { report.proven = true }
        if let rebalance {
            let stable = FewestMovesSearch.assignment(placement, problem)
            let rebalanced = rebalanced(stable, moves: fewest, rebalance, problem: problem, sorted: sorted, old: old,
                                        stateful: stateful, steps: &steps)
            if rebalanced.moves != fewest || rebalanced.placement != placement {
                placement = rebalanced.placement
                let objective = Solver(problem).objective(of: FewestMovesSearch.assignment(placement, problem))
                result.objective = objective
                result.status = objective.scalar <= lowerBound.scalar + 1e-12 ? .optimal : .feasible
            }
            report.rebalance = RebalanceReport(before: rebalanced.before, after: result.objective ?? rebalanced.before,
                                               fewestMoves: fewest, fewestProven: report.proven,
                                               moves: rebalanced.moves, maxMoves: rebalance.maxMoves)
            if rebalanced.moves > fewest { report.proven = rebalanced.moves <= report.movesLowerBound }
            result.steps = steps
        }
        report.perPurpose = Moves.perPurpose(from: previous, to: placement)
        report.moves = report.perPurpose.values.reduce(0, +)
        for purpose in sorted.purposes where Replanner.isStateful(purpose) && (report.perPurpose[purpose.name] ?? 0) > 0 {
            for (host, count) in Moves.leftHosts(of: purpose.name, from: previous, to: placement) {
                report.dataLeftBehind.append(.init(purpose: purpose.name, host: host, replicas: count,
                                                   volumes: purpose.volumes.filter { !$0.hasSuffix(":ro") }))
            }
        }
        // Back to the topology's own indices.
        let original = PlacementProblem(topology)
        result.assignment = FewestMovesSearch.assignment(placement, original)
        return (result, report)
    }

    /// `--rebalance`: from the fewest-moves placement `stable`, the best objective within the budget, by
    /// the `Rebalancer`'s moves and by the full solver's placement moved back towards the deployed one
    /// (taken only when within the budget and leaving no stateful data behind that `stable` keeps); the
    /// better objective wins, then fewer moves, then the rebalancer's. Every candidate is verified.
    func rebalanced(_ stable: [[HostCount]], moves fewest: Int, _ rebalance: Rebalance, problem: PlacementProblem,
                    sorted: Topology, old: [[Int: Int]], stateful: [Bool], steps: inout Int)
        -> (placement: PlacementCounts, moves: Int, before: Objective) {
        let stablePlacement = CheckPipeline.names(stable, problem)
        let before = Solver(problem).objective(of: stable)
        var best = (placement: stablePlacement, moves: fewest, objective: before)
        if let budget = rebalance.maxMoves, budget < fewest { return (stablePlacement, fewest, before) }
        let budget = rebalance.maxMoves ?? Int.max
        let rebalancer = Rebalancer(problem: problem, old: old, stateful: stateful, stepLimit: max(1, limits.steps / 4))
        func consider(_ assignment: [[HostCount]]) {
            let named = CheckPipeline.names(assignment, problem)
            let moves = Moves.count(from: previous, to: named)
            let objective = Solver(problem).objective(of: assignment)
            guard moves <= budget, objective.scalar < best.objective.scalar - 1e-12
                    || (objective.scalar <= best.objective.scalar + 1e-12 && moves < best.moves),
                  Verifier.violations(of: named, in: sorted).isEmpty else { return }
            best = (named, moves, objective)
        }
        consider(rebalancer.improve(stable, moves: fewest, budget: rebalance.maxMoves).assignment)
        var rest = limits
        rest.steps = max(1, limits.steps - steps)
        let fresh = Solver(problem, limits: rest).solve()
        steps += fresh.steps
        if let found = fresh.assignment {
            let back = rebalancer.movedBack(found)
            let keep = Replanner.statefulLeftBehind(sorted, from: previous, to: stablePlacement)
            let leave = Replanner.statefulLeftBehind(sorted, from: previous, to: CheckPipeline.names(back, problem))
            if leave.allSatisfy({ purpose, hosts in hosts.allSatisfy { $0.value <= keep[purpose]?[$0.key] ?? 0 } }) {
                consider(back)
            }
        }
        return (best.placement, best.moves, before)
    }

    /// Per stateful purpose that moves, the replicas that leave each host (their data stays there).
    static func statefulLeftBehind(_ topology: Topology, from old: PlacementCounts, to new: PlacementCounts) -> [String: [String: Int]] {
        let moved = Moves.perPurpose(from: old, to: new)
        var left: [String: [String: Int]] = [:]
        for purpose in topology.purposes where isStateful(purpose) && (moved[purpose.name] ?? 0) > 0 {
            left[purpose.name] = Dictionary(uniqueKeysWithValues: Moves.leftHosts(of: purpose.name, from: old, to: new).map { ($0.host, $0.count) })
        }
        return left
    }

    /// A bound no valid placement beats, in two parts. Per purpose: of the replicas that stay running
    /// (fewer of the old and new counts), those that cannot stay where they were, because their host is
    /// gone or no longer eligible, or holds more than the new per-host cap allows. Per host: the fewest of
    /// the replicas that may stay there whose removal frees the capacity it lacks (the largest first) or
    /// parts two purposes that may no longer share it, less the stops a scale-down of those purposes
    /// still has to spend (a replica stopped is not a move).
    static func movesLowerBound(_ problem: PlacementProblem, old: [[Int: Int]], previous: PlacementCounts) -> Int {
        var bound = 0
        // Per purpose, the stops its scale-down has left once the replicas that cannot stay are stopped.
        var spareStops = [Int](repeating: 0, count: problem.demands.count)
        // Per host, the replicas of each purpose that may stay there.
        var staying = [[(d: Int, n: Int)]](repeating: [], count: problem.hosts.count)
        for (d, demand) in problem.demands.enumerated() {
            let oldTotal = (previous[demand.name] ?? [:]).values.reduce(0) { $0 + max(0, $1) }
            let eligible = Set(demand.eligible)
            var mayStay = 0
            for (h, n) in old[d].sorted(by: { $0.key < $1.key }) where eligible.contains(h) {
                let keep = min(n, demand.perHostCap)
                mayStay += keep
                if keep > 0 { staying[h].append((d, keep)) }
            }
            let forced = oldTotal - mayStay
            let stops = max(0, oldTotal - demand.replicas)
            bound += max(0, forced - stops)
            spareStops[d] = max(0, stops - forced)
        }
        var mustLeave = 0, freeStops = 0
        for (h, here) in staying.enumerated() where !here.isEmpty {
            let host = problem.hosts[h]
            func fewestToFree(_ excess: Int64, _ size: (PlacementProblem.Demand) -> Int64) -> Int {
                guard excess > 0 else { return 0 }
                var sizes: [Int64] = []
                for (d, n) in here { sizes += repeatElement(size(problem.demands[d]), count: n) }
                var freed: Int64 = 0, count = 0
                for s in sizes.sorted(by: >) where freed < excess {
                    freed += s
                    count += 1
                }
                return count
            }
            let cpu = here.reduce(Int64(0)) { $0.saturatingPlus(problem.demands[$1.d].cpu.saturatingTimes($1.n)) }
            let memory = here.reduce(Int64(0)) { $0.saturatingPlus(problem.demands[$1.d].memory.saturatingTimes($1.n)) }
            var leave = max(fewestToFree(cpu - host.cpu, { $0.cpu }), fewestToFree(memory - host.memory, { $0.memory }))
            for a in here.indices {
                for b in here.indices where b > a && problem.demands[here[a].d].conflicts.contains(here[b].d) {
                    leave = max(leave, min(here[a].n, here[b].n))
                }
            }
            guard leave > 0 else { continue }
            mustLeave += leave
            freeStops += here.reduce(0) { $0 + min(spareStops[$1.d], $1.n) }
        }
        return bound + max(0, mustLeave - freeStops)
    }
}

/// What a re-plan moves, and how sure it is that nothing moves fewer.
public struct ReplanReport: Sendable, Equatable {
    /// Replicas moved (see `Moves`).
    public var moves: Int
    /// No valid placement moves fewer.
    public var movesLowerBound: Int
    /// The moves are the fewest possible: they meet the lower bound or a complete search proved them.
    public var proven: Bool
    /// Moves per purpose, only those with some.
    public var perPurpose: [String: Int]
    /// Stateful purposes' replicas that leave a host: their data stays there.
    public var dataLeftBehind: [LeftBehind]
    /// The warm start could not satisfy the rules; the full solver placed everything.
    public var usedFullSolver: Bool
    /// With `--rebalance`: what the moves beyond the fewest bought.
    public var rebalance: RebalanceReport? = nil

    public struct LeftBehind: Sendable, Equatable, CustomStringConvertible {
        public var purpose: String
        public var host: String
        public var replicas: Int
        public var volumes: [String]

        public var description: String {
            "\(purpose) leaves \(host) (\(replicas) replica\(replicas == 1 ? "" : "s")): its data in "
                + volumes.joined(separator: ", ") + " stays on \(host)"
        }
    }

    /// `moves 3 (fewest possible)`, `moves 5 (at least 3 needed)`, or `moves 0`; rebalanced beyond the
    /// fewest, `moves 12 (rebalance; the fewest is 3)` or `moves 12 (rebalance; the fewest found is 5,
    /// at least 3 needed)`.
    public var summary: String {
        if let rebalance, moves > rebalance.fewestMoves {
            return "moves \(moves) (rebalance; " + (rebalance.fewestProven ? "the fewest is \(rebalance.fewestMoves))"
                : "the fewest found is \(rebalance.fewestMoves), at least \(movesLowerBound) needed)")
        }
        if moves == 0 { return "moves 0" }
        return "moves \(moves) " + (proven ? "(fewest possible)" : "(at least \(movesLowerBound) needed)")
    }
}
