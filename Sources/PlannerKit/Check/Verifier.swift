// The independent verifier: every rule of the spec checked on a placement, straight from the Topology.

import PlannerSpec

/// Checks a placement against every rule of the spec, straight from the `Topology`.
///
/// An intentional twin of the solver: it shares no code with the solver or `PlacementProblem` and
/// re-derives eligibility, capacity, conflicts and survival itself, so a bug in one is caught by the
/// other. `check`, `plan`, `simulate --placement` and the tests all run it on every placement they use.
public enum Verifier {
    public struct Violation: Hashable, Sendable, CustomStringConvertible {
        public enum Rule: String, Sendable { case replicas, eligibility, capacity, ports, avoid, maxPerHost, survival, unknownName }
        public var rule: Rule
        public var message: String
        public var description: String { "\(rule.rawValue): \(message)" }
    }

    public static func violations(of placement: PlacementCounts, in topology: Topology) -> [Violation] {
        var found: [Violation] = []
        func fail(_ rule: Violation.Rule, _ message: String) { found.append(Violation(rule: rule, message: message)) }

        let hostsByName = Dictionary(topology.hosts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let purposesByName = Dictionary(topology.purposes.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (name, perHost) in placement.sorted(by: { $0.key < $1.key }) {
            if purposesByName[name] == nil { fail(.unknownName, "placement names purpose '\(name)', which the spec lacks") }
            for (host, count) in perHost.sorted(by: { $0.key < $1.key }) {
                if hostsByName[host] == nil { fail(.unknownName, "placement puts '\(name)' on unknown host '\(host)'") }
                if count < 0 { fail(.replicas, "negative count \(count) of '\(name)' on '\(host)'") }
            }
        }

        // Per purpose: count, eligibility, cap, survival.
        for purpose in topology.purposes {
            let perHost = placement[purpose.name] ?? [:]
            let total = perHost.values.saturatingSum()
            if total != purpose.replicas {
                fail(.replicas, "'\(purpose.name)' has \(total) replicas placed, the spec asks for \(purpose.replicas)")
            }
            for (hostName, count) in perHost.sorted(by: { $0.key < $1.key }) where count > 0 {
                guard let host = hostsByName[hostName] else { continue }
                let labelsOK = Set(host.labels).isSuperset(of: purpose.placement.labels)
                let listOK = purpose.placement.hosts.map { $0.contains(hostName) } ?? true
                if !labelsOK || !listOK { fail(.eligibility, "'\(purpose.name)' runs on '\(hostName)', which its placement excludes") }
                if let cap = purpose.maxPerHost, count > cap {
                    fail(.maxPerHost, "'\(purpose.name)' has \(count) replicas on '\(hostName)', max_per_host is \(cap)")
                }
            }
            let mustKeep = purpose.minAvailable.resolved(replicas: purpose.replicas)
            for domain in FailureBudget.Domain.allCases {
                let budget = purpose.survive[domain]
                guard budget > 0 else { continue }
                var perDomain: [String: Int] = [:]
                for (hostName, count) in perHost where count > 0 {
                    // A host without the domain name forms its own domain (validation rejects that case anyway).
                    let key = hostsByName[hostName].flatMap { $0.domain(domain) } ?? "host:\(hostName)"
                    perDomain[key, default: 0] = perDomain[key, default: 0].saturatingPlus(count)
                }
                let worst = perDomain.values.sorted(by: >).prefix(budget).saturatingSum()
                if total.saturatingPlus(-worst) < mustKeep {
                    fail(.survival, "'\(purpose.name)' keeps only \(total.saturatingPlus(-worst)) of \(total) replicas when its \(budget) fullest "
                         + "\(domain.plural) fail; it needs \(mustKeep)")
                }
            }
        }

        // Per host: capacity, ports, avoid. Visit only what each host runs, in spec order.
        var runs: [String: [(purpose: Int, count: Int)]] = [:]
        for (index, purpose) in topology.purposes.enumerated() {
            for (host, count) in placement[purpose.name] ?? [:] where count > 0 { runs[host, default: []].append((index, count)) }
        }
        for host in topology.hosts {
            var cpu: Int64 = 0, memory: Int64 = 0
            var portOwners: [String: String] = [:]
            var present: [Purpose] = []
            for (index, count) in runs[host.name] ?? [] {
                let purpose = topology.purposes[index]
                present.append(purpose)
                cpu = cpu.saturatingPlus(purpose.cpu.saturatingTimes(count))
                memory = memory.saturatingPlus(purpose.memory.saturatingTimes(count))
                for port in purpose.ports {
                    let key = "\(port.hostPort)/\(port.proto.rawValue)"
                    if count > 1 { fail(.ports, "'\(purpose.name)' publishes \(key) \(count) times on '\(host.name)'") }
                    if let owner = portOwners[key] {
                        fail(.ports, "'\(purpose.name)' and '\(owner)' both publish \(key) on '\(host.name)'")
                    }
                    portOwners[key] = purpose.name
                }
            }
            if cpu > host.cpu { fail(.capacity, "'\(host.name)' needs \(cpu)m cpu, has \(host.cpu)m") }
            if memory > host.memory { fail(.capacity, "'\(host.name)' needs \(memory) bytes of memory, has \(host.memory)") }
            for a in present {
                for b in present where a.name < b.name {
                    if a.placement.avoid.contains(b.name) || b.placement.avoid.contains(a.name) {
                        fail(.avoid, "'\(a.name)' and '\(b.name)' share '\(host.name)' but one avoids the other")
                    }
                }
            }
        }
        return found
    }
}
