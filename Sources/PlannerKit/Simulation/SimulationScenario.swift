// One named failure scenario (--fail), and how the model works it out.

import PlannerSpec

/// One named failure scenario: `--fail app3 --fail zone=b`.
public struct SimulationScenario: Sendable {
    /// What was asked for, as written.
    public var selectors: [FailureSelector]
    /// The hosts that fail, in file order.
    public var failedHosts: [String]
    public var purposes: [SimulationPurposeState]
    public var hostCount: Int
    public var replicasLost: Int
    /// cpu and memory of the failed hosts, and of every host.
    public var capacityLost: SimulationResources
    public var capacity: SimulationResources
    /// What the lost replicas asked for: the load to re-home.
    public var displaced: SimulationResources
    /// Unused cpu and memory on the hosts left.
    public var spare: SimulationResources

    public var down: [SimulationPurposeState] { purposes.filter { $0.status == .down } }
    public var degraded: [SimulationPurposeState] { purposes.filter { $0.status == .degraded } }
    public var isDown: Bool { purposes.contains { $0.status == .down } }
}

extension SimulationModel {
    /// The hosts (indices, file order) that `selectors` take out. Unknown names are errors with a suggestion.
    public func hosts(failing selectors: [FailureSelector]) throws(SimulationInputError) -> [Int] {
        var failed = Set<Int>()
        for selector in selectors {
            let units = units(selector.domain)
            if let unit = units.first(where: { $0.name == selector.name }) {
                failed.formUnion(unit.hosts)
                continue
            }
            throw unknown(selector, among: units.map(\.name))
        }
        return failed.sorted()
    }

    private func unknown(_ selector: FailureSelector, among names: [String]) -> SimulationInputError {
        let noun = selector.domain.rawValue
        let name = Names.printable(selector.name)
        if names.isEmpty { return SimulationInputError("unknown \(noun) '\(name)': no host in the spec names a \(noun)") }
        var message = "unknown \(noun) '\(name)'"
        if let other = FailureBudget.Domain.allCases.first(where: { domain in
            domain != selector.domain && units(domain).contains { $0.name == selector.name }
        }) {
            return SimulationInputError(message + "; '\(name)' is a \(other.rawValue): write '\(FailureSelector(other, selector.name))'")
        }
        // One letter is "close" to every other one-letter name: no suggestion then, the list says it all.
        if selector.name.count > 1, let close = closestMatch(to: selector.name, among: names) {
            message += "; did you mean '\(FailureSelector(selector.domain, close))'?"
        }
        if names.count <= 12 { message += " (the \(selector.domain.plural): \(names.joined(separator: ", ")))" }
        return SimulationInputError(message)
    }

    /// What happens to every purpose when `hosts` (indices) fail.
    public func scenario(failing hosts: [Int], selectors: [FailureSelector] = []) -> SimulationScenario {
        let failed = Set(hosts)
        let lost = lost(on: failed)
        var capacity = SimulationResources(), capacityLost = SimulationResources()
        var displaced = SimulationResources(), spare = SimulationResources()
        for (h, host) in topology.hosts.enumerated() {
            let size = SimulationResources(cpu: host.cpu, memory: host.memory)
            capacity = capacity + size
            let used = used(on: h)
            if failed.contains(h) {
                capacityLost = capacityLost + size
                displaced = displaced + used
            } else {
                spare = spare + (size - used)
            }
        }
        // Further host failures: per purpose, its surviving hosts by count, largest first.
        var surviving = Array(repeating: [(host: Int, count: Int)](), count: topology.purposes.count)
        for (h, shares) in hostShares.enumerated() where !failed.contains(h) {
            for share in shares { surviving[share.index].append((h, share.count)) }
        }
        var states: [SimulationPurposeState] = []
        for (p, purpose) in topology.purposes.enumerated() {
            let left = purpose.replicas - lost[p]
            let byCount = surviving[p].sorted { $0.count != $1.count ? $0.count > $1.count : $0.host < $1.host }
            let cut = SimulationMath.cutSize(sortedCounts: byCount.map(\.count), tolerable: left - required[p])
            states.append(SimulationPurposeState(
                name: purpose.name, isBalancer: isBalancer[p], replicas: purpose.replicas, required: required[p],
                isMajority: purpose.minAvailable == .majority, acceptsSinglePointOfFailure: purpose.survive.isNone,
                left: left, status: .of(left: left, replicas: purpose.replicas, required: required[p]),
                margin: cut.map { max(0, $0 - 1) },
                nextCut: byCount.prefix(cut ?? 0).map { topology.hosts[$0.host].name }))
        }
        return SimulationScenario(
            selectors: selectors, failedHosts: failed.sorted().map { topology.hosts[$0].name }, purposes: states,
            hostCount: topology.hosts.count, replicasLost: lost.reduce(0, +), capacityLost: capacityLost,
            capacity: capacity, displaced: displaced, spare: spare)
    }
}
