import PlannerSpec

/// Everything `planner check` establishes about a spec.
public struct CheckResult: Sendable {
    public var diagnostics: [Diagnostic]
    public var topology: Topology?
    public var solver: SolverResult?
    /// The verified placement, when there is one.
    public var placement: PlacementCounts?

    /// True when the spec is well formed, placed, and every rule holds.
    public var isPlaced: Bool { placement != nil && !diagnostics.contains { $0.severity == .error } }
    public var hasInputErrors: Bool { diagnostics.contains { $0.severity == .error && $0.code.kind == .input } }

    public var hostsUsed: Int {
        guard let placement else { return 0 }
        return Set(placement.values.flatMap { $0.filter { $0.value > 0 }.keys }).count
    }
}

public enum Checker {
    /// Validates, places, verifies, and explains a failure to place.
    public static func check(_ spec: LoadedSpec, limits: SolverLimits = .init()) -> CheckResult {
        var result = CheckResult(diagnostics: spec.diagnostics, topology: spec.topology)
        guard spec.isWellFormed, let topology = spec.topology else { return result }
        let problem = PlacementProblem(topology)
        let explainer = Explainer(topology: topology, problem: problem, subSearchSteps: max(1, limits.steps / 20))
        let precheck = explainer.precheck()
        defer { result.diagnostics.sort() }
        guard precheck.isEmpty else {
            result.diagnostics += precheck
            return result
        }
        let solved = Solver(problem, limits: limits).solve()
        result.solver = solved
        switch solved.status {
        case .optimal, .feasible:
            let placement = names(solved.assignment!, problem)
            let violations = Verifier.violations(of: placement, in: topology)
            if violations.isEmpty {
                result.placement = placement
            } else {
                result.diagnostics += violations.map {
                    .error(.verifierRejected, "internal error: the verifier rejected the solver's placement: \($0)", at: nil)
                }
            }
        case .infeasible:
            result.diagnostics += explainer.explainCombination()
        case .unknown:
            let why = solved.stoppedByClock ? "the time limit (--time-limit) ran out after \(solved.steps) search steps"
                : "the search used all \(solved.steps) steps it may take (--steps)"
            let fix = solved.stoppedByClock ? "raise --time-limit" : "raise --steps"
            result.diagnostics.append(.error(.undecided, "could not decide whether a placement exists: \(why) before one was "
                                             + "found or ruled out; \(fix), or loosen the tightest purposes",
                                             at: topology.locations.this))
        }
        return result
    }

    /// Counts by name, zero counts left out.
    public static func names(_ assignment: [[HostCount]], _ problem: PlacementProblem) -> PlacementCounts {
        var placement: PlacementCounts = [:]
        for (d, row) in assignment.enumerated() {
            var perHost: [String: Int] = [:]
            for entry in row where entry.count > 0 { perHost[problem.hosts[entry.host].name] = entry.count }
            placement[problem.demands[d].name] = perHost
        }
        return placement
    }

    /// Replicas left after the worst allowed failure, per purpose: r minus the largest loss over
    /// its failure domains, each at its own budget.
    public static func worstCase(of purpose: Purpose, in topology: Topology, placement: PlacementCounts,
                                 hostsByName: [String: Host]? = nil)
        -> (remaining: Int, domain: FailureBudget.Domain?, lost: [String]) {
        let perHost = placement[purpose.name] ?? [:]
        let hosts = hostsByName ?? Dictionary(topology.hosts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var worst = (remaining: purpose.replicas, domain: FailureBudget.Domain?.none, lost: [String]())
        for domain in FailureBudget.Domain.allCases where purpose.survive[domain] > 0 {
            var perDomain: [String: Int] = [:]
            for (name, count) in perHost where count > 0 {
                if let key = hosts[name]?.domain(domain) { perDomain[key, default: 0] += count }
            }
            let fullest = perDomain.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(purpose.survive[domain])
            let remaining = purpose.replicas - fullest.reduce(0) { $0 + $1.value }
            // Ties go to the larger domain: losing a zone is the more telling scenario.
            if remaining <= worst.remaining { worst = (remaining, domain, fullest.map(\.key)) }
        }
        return worst
    }
}
