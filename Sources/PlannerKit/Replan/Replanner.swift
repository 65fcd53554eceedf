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

    public init(topology: Topology, previous: PlacementCounts, limits: SolverLimits = .init()) {
        self.topology = topology
        self.previous = previous
        self.limits = limits
    }

    /// The topology with hosts and purposes in name order: what the re-plan places.
    public static func canonical(_ topology: Topology) -> Topology {
        var sorted = topology
        sorted.hosts.sort { $0.name < $1.name }
        sorted.purposes.sort { $0.name < $1.name }
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
            if let better = proof.placement, Verifier.violations(of: better, in: sorted).isEmpty {
                placement = better
                let assigned = FewestMovesSearch.assignment(better, problem)
                let objective = Solver(problem).objective(of: assigned)
                result.objective = objective
                result.status = objective.scalar <= lowerBound.scalar + 1e-12 ? .optimal : .feasible
            }
            report.proven = proof.complete
        }
        report.perPurpose = Moves.perPurpose(from: previous, to: placement)
        report.moves = report.perPurpose.values.reduce(0, +)
        if report.moves <= report.movesLowerBound { report.proven = true }
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

    /// Per purpose: of the replicas that stay running (fewer of the old and new counts), those that cannot
    /// stay where they were, because their host is gone or no longer eligible, or holds more than the new
    /// per-host cap allows.
    static func movesLowerBound(_ problem: PlacementProblem, old: [[Int: Int]], previous: PlacementCounts) -> Int {
        var bound = 0
        for (d, demand) in problem.demands.enumerated() {
            let oldTotal = (previous[demand.name] ?? [:]).values.reduce(0) { $0 + max(0, $1) }
            let eligible = Set(demand.eligible)
            let mayStay = old[d].reduce(0) { $0 + (eligible.contains($1.key) ? min($1.value, demand.perHostCap) : 0) }
            bound += max(0, min(oldTotal, demand.replicas) - min(demand.replicas, mayStay))
        }
        return bound
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

    /// `moves 3 (fewest possible)`, `moves 5 (at least 3 needed)`, or `moves 0`.
    public var summary: String {
        if moves == 0 { return "moves 0" }
        return "moves \(moves) " + (proven ? "(fewest possible)" : "(at least \(movesLowerBound) needed)")
    }
}
