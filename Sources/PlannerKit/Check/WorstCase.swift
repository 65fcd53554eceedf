// What a purpose keeps after the worst failure its budget allows, as check's survival table shows it.

import PlannerSpec

/// Replicas left after the worst allowed failure of one purpose: r minus the largest loss over its
/// failure domains, each at its own budget. For the report only: the verifier's survival rule is an
/// intentional twin of this, kept apart so that the verifier shares nothing with what it checks.
public struct WorstCase: Sendable, Hashable {
    public var remaining: Int
    /// The domain of the worst failure, nil when the purpose needs to survive none.
    public var domain: FailureBudget.Domain?
    /// The hosts, racks or zones that fail in it.
    public var lost: [String]

    public static func of(_ purpose: Purpose, in topology: Topology, placement: PlacementCounts,
                          hostsByName: [String: Host]? = nil) -> WorstCase {
        let perHost = placement[purpose.name] ?? [:]
        let hosts = hostsByName ?? Dictionary(topology.hosts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var worst = WorstCase(remaining: purpose.replicas, domain: nil, lost: [])
        for domain in FailureBudget.Domain.allCases where purpose.survive[domain] > 0 {
            var perDomain: [String: Int] = [:]
            for (name, count) in perHost where count > 0 {
                if let key = hosts[name]?.domain(domain) { perDomain[key, default: 0] += count }
            }
            let fullest = perDomain.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .prefix(purpose.survive[domain])
            let remaining = purpose.replicas - fullest.reduce(0) { $0 + $1.value }
            // Ties go to the larger domain: losing a zone is the more telling scenario.
            if remaining <= worst.remaining { worst = WorstCase(remaining: remaining, domain: domain, lost: fullest.map(\.key)) }
        }
        return worst
    }
}
