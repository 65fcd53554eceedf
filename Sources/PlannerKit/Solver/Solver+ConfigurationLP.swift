// The orchestrator's use of the configuration LP: proofs that a placement is optimal, and better placements.

import Foundation
import PlannerSpec

extension Solver {
    /// Where the complete search fits: `.excluded` when the configuration LP shows that no placement
    /// does better than this one (`spread`: a lower peak; `binpack`: fewer hosts), which is then
    /// optimal whatever the search has left to do; `.unknown` when its work ran out (then trying
    /// again is not worth it) or it does not apply.
    func proofOfOptimality(_ placement: [[HostCount]], work: ConfigurationWork) -> ConfigurationLP.Verdict {
        guard fitsCompleteSearch else { return .unknown }
        var relaxation: ConfigurationLP
        switch problem.strategy {
        case .spread:
            guard let below = ConfigurationLP(problem: problem, below: placement) else { return .unknown }
            relaxation = below
        case .binpack:
            // Can one host fewer hold everything?
            guard case .hostsUsed(let used) = objective(of: placement), used > 0 else { return .unknown }
            relaxation = ConfigurationLP(problem: problem, cpuLimit: problem.hosts.map(\.cpu), memoryLimit: problem.hosts.map(\.memory))
            relaxation.hostBudget = used - 1
        }
        relaxation.meter = work
        return relaxation.verdict()
    }

    /// spread: whether the configuration LP strictly below each placement's peak has the same limits.
    func sameLimitsBelow(_ a: [[HostCount]], _ b: [[HostCount]]) -> Bool {
        guard let below = ConfigurationLP(problem: problem, below: a), let other = ConfigurationLP(problem: problem, below: b)
        else { return false }
        return below.cpuLimit == other.cpuLimit && below.memoryLimit == other.memoryLimit
    }

    /// After the heuristic, where the complete search fits: the configuration LP proves the placement
    /// optimal, or finds better ones (`spread`: a dive, failing it branch and price) until it proves
    /// one, finds none, or its work runs out. The placement kept and the LP's last verdict on it (nil without one).
    func improveWithConfigurationLP(_ start: [[HostCount]]?, work: ConfigurationWork, meter: ProgressMeter?,
                                    verdict known: ConfigurationLP.Verdict? = nil) -> (placement: [[HostCount]]?, verdict: ConfigurationLP.Verdict?) {
        guard var placement = start else { return (nil, nil) }
        var verdict: ConfigurationLP.Verdict? = known ?? proofOfOptimality(placement, work: work)
        while verdict == .admitted {
            guard let better = betterByDiving(placement, work: work) ?? betterByBranching(placement, work: work, proven: &verdict)
            else { break }
            placement = better
            meter?.searchFound(objective(of: better), steps: work.steps)
            verdict = proofOfOptimality(better, work: work)
        }
        meter?.searchFinished(steps: work.steps)
        return (placement, verdict)
    }

    /// `spread`: a placement with a lower peak than this one, by a dive on the configuration LP.
    func betterByDiving(_ placement: [[HostCount]], work: ConfigurationWork) -> [[HostCount]]? {
        guard problem.strategy == .spread, fitsCompleteSearch,
              var relaxation = ConfigurationLP(problem: problem, below: placement) else { return nil }
        relaxation.meter = work
        return relaxation.dive()
    }

    /// `spread`: a placement with a lower peak than this one by branch and price; when there is
    /// none, sets `verdict` to `.excluded` (this one is optimal), when it ran out, to `.unknown`.
    func betterByBranching(_ placement: [[HostCount]], work: ConfigurationWork,
                           proven verdict: inout ConfigurationLP.Verdict?) -> [[HostCount]]? {
        guard problem.strategy == .spread, fitsCompleteSearch,
              var relaxation = ConfigurationLP(problem: problem, below: placement) else { return nil }
        relaxation.meter = work
        switch relaxation.branchAndPrice() {
        case .found(let better): return better
        case .none: verdict = .excluded
        case .unknown: verdict = .unknown
        }
        return nil
    }
}
