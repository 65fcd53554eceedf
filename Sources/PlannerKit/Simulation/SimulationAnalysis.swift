// Every set of k units of one domain failing (--any), and how the model analyses it.

import Foundation
import PlannerSpec

/// Every set of k units of one domain failing, on top of any hosts already failed.
public struct SimulationAnalysis: Sendable {
    public var domain: FailureBudget.Domain
    public var k: Int
    /// Hosts already failed (`--fail`) before the analysed failures.
    public var after: [String]
    /// The units that may fail: every unit with a surviving host.
    public var units: [String]
    /// C(units, k): the scenarios analysed; nil when past Int.
    public var scenarioCount: Int?
    public var purposes: [SimulationExposure]
    /// Failure sets that take purposes down, worst first (most purposes down, then fewest units,
    /// then most degraded); at most the limit asked for.
    public var failureSets: [SimulationFailureSet]
    /// All such failure sets found.
    public var failureSetCount: Int
    /// Enumeration stopped at its limit: `failureSets` and the count are partial (the per-purpose figures never are).
    public var isTruncated: Bool
    /// The clock (`--time-limit`), not the work budget, stopped the enumeration: a rerun may list other sets.
    public var stoppedByClock: Bool
    /// The purposes with the smallest cut: the first to go.
    public var weakest: [String]

    /// Purposes down in the worst case of some k-set (including any already down).
    public var downPurposes: [SimulationExposure] { purposes.filter { $0.worstStatus == .down } }
    public var isDown: Bool { purposes.contains { $0.worstStatus == .down } }
    /// Most purposes that one set of k units takes down together (beyond those already down).
    public var mostDownTogether: Int { failureSets.first?.down.count ?? 0 }
}

extension SimulationModel {
    /// Analyses every set of `k` units of `domain` failing, after `base` hosts (indices) have failed.
    ///
    /// Per purpose everything is analytic: the worst k units are those holding the most of its replicas,
    /// and its minimal cut is the fewest of them, largest first, whose replicas exceed what it can lose.
    /// Only the failure sets that take something down are enumerated, and only from the sets that take
    /// one purpose down (a set whose every unit is needed is a union of such sets).
    ///
    /// - Parameters:
    ///   - limit: most failure sets returned (all are counted).
    ///   - enumerationLimit: most candidate sets examined before stopping (`isTruncated`).
    ///   - workLimit: most units of enumeration work before stopping (`isTruncated`); deterministic.
    ///   - deadline: a safety net on the clock (`stoppedByClock`).
    public func analyse(_ domain: FailureBudget.Domain, k: Int, after base: [Int] = [], limit: Int = 20,
                        enumerationLimit: Int = 2_000_000, workLimit: Int = .max,
                        deadline: Date? = nil) throws(SimulationInputError) -> SimulationAnalysis {
        let failed = Set(base)
        let allUnits = units(domain)
        guard !allUnits.isEmpty else {
            throw SimulationInputError("no host in the spec names a \(domain.rawValue), so there are no \(domain.plural) to fail")
        }
        let live = allUnits.compactMap { unit -> (name: String, hosts: [Int])? in
            let hosts = unit.hosts.filter { !failed.contains($0) }
            return hosts.isEmpty ? nil : (unit.name, hosts)
        }
        guard k >= 1 else { throw SimulationInputError("the number of \(domain.plural) to fail must be at least 1") }
        guard k <= live.count else {
            throw SimulationInputError("cannot fail \(k) \(domain.plural): " + (failed.isEmpty ? "the spec has" : "there are")
                                       + " only \(live.count) \(live.count == 1 ? domain.rawValue : domain.plural)"
                                       + (failed.isEmpty ? "" : " left"))
        }
        let purposeCount = topology.purposes.count
        let baseLost = lost(on: failed)
        let left = topology.purposes.indices.map { topology.purposes[$0].replicas - baseLost[$0] }
        let tolerable = left.indices.map { left[$0] - required[$0] }

        // Replicas per unit per purpose, both ways round; a purpose's units sorted largest first.
        var unitShares = Array(repeating: [SimulationShare](), count: live.count)
        var purposeShares = Array(repeating: [SimulationShare](), count: purposeCount)
        var scratch = Array(repeating: 0, count: purposeCount)
        for (u, unit) in live.enumerated() {
            var touched: [Int] = []
            for h in unit.hosts {
                for share in hostShares[h] {
                    if scratch[share.index] == 0 { touched.append(share.index) }
                    scratch[share.index] += share.count
                }
            }
            touched.sort()
            for p in touched {
                unitShares[u].append(SimulationShare(index: p, count: scratch[p]))
                purposeShares[p].append(SimulationShare(index: u, count: scratch[p]))
                scratch[p] = 0
            }
        }
        for p in purposeShares.indices { purposeShares[p].sort(by: Self.largestFirst) }

        // Host-level cuts, whatever the domain: "survives N arbitrary host failures".
        var hostCounts = Array(repeating: [SimulationShare](), count: purposeCount)
        for (h, shares) in hostShares.enumerated() where !failed.contains(h) {
            for share in shares { hostCounts[share.index].append(SimulationShare(index: h, count: share.count)) }
        }

        var exposures: [SimulationExposure] = []
        var cutSizes: [Int?] = []
        for (p, purpose) in topology.purposes.enumerated() {
            let shares = purposeShares[p]
            let worst = shares.prefix(k)
            let worstLeft = left[p] - worst.reduce(0) { $0 + $1.count }
            let cutSize = SimulationMath.cutSize(sortedCounts: shares.map(\.count), tolerable: tolerable[p])
            cutSizes.append(cutSize)
            let hosts = hostCounts[p].sorted(by: Self.largestFirst)
            let hostCutSize = SimulationMath.cutSize(sortedCounts: hosts.map(\.count), tolerable: tolerable[p])
            exposures.append(SimulationExposure(
                name: purpose.name, isBalancer: isBalancer[p], replicas: purpose.replicas, required: required[p],
                isMajority: purpose.minAvailable == .majority, acceptsSinglePointOfFailure: purpose.survive.isNone,
                budget: purpose.survive[domain], left: left[p], worstLeft: worstLeft,
                worstStatus: .of(left: worstLeft, replicas: purpose.replicas, required: required[p]),
                worstUnits: worst.map { live[$0.index].name },
                cut: cutSize.map { shares.prefix($0).map { live[$0.index].name } },
                survives: cutSize.map { max(0, $0 - 1) },
                survivesHosts: hostCutSize.map { max(0, $0 - 1) },
                hostCut: hostCutSize.map { hosts.prefix($0).map { topology.hosts[$0.index].name } }))
        }
        let smallestCut = cutSizes.compactMap { $0 }.min()
        let weakest = smallestCut.map { smallest in exposures.indices.filter { cutSizes[$0] == smallest }.map { exposures[$0].name } } ?? []

        var enumeration = FailureSetEnumeration(unitShares: unitShares, purposeShares: purposeShares, tolerable: tolerable,
                                                replicas: topology.purposes.map(\.replicas), left: left, k: k,
                                                limit: enumerationLimit, workLimit: workLimit, deadline: deadline)
        enumeration.run(cutSizes: cutSizes)
        let ranked = enumeration.ranked(limit: limit)
        let failureSets = ranked.map { candidate -> SimulationFailureSet in
            let outcome = enumeration.outcome(of: candidate.units)
            var capacity = SimulationResources()
            for u in candidate.units {
                for h in live[u].hosts { capacity = capacity + SimulationResources(cpu: topology.hosts[h].cpu, memory: topology.hosts[h].memory) }
            }
            return SimulationFailureSet(units: candidate.units.map { live[$0].name },
                                        down: outcome.down.map { topology.purposes[$0].name },
                                        degraded: outcome.degraded.map { topology.purposes[$0].name },
                                        capacityLost: capacity)
        }
        return SimulationAnalysis(
            domain: domain, k: k, after: failed.sorted().map { topology.hosts[$0].name }, units: live.map(\.name),
            scenarioCount: SimulationMath.binomial(live.count, k), purposes: exposures, failureSets: failureSets,
            failureSetCount: enumeration.minimal.count, isTruncated: enumeration.isTruncated,
            stoppedByClock: enumeration.stoppedByClock, weakest: weakest)
    }

    static func largestFirst(_ a: SimulationShare, _ b: SimulationShare) -> Bool {
        a.count != b.count ? a.count > b.count : a.index < b.index
    }
}
