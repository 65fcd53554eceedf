// The placement problem: a topology's rules as integers and indices, and its variants for the explainer.

import PlannerSpec

/// The placement rules of a topology as integers and indices, ready for search.
///
/// Built once per solve; hosts and purposes keep the topology's order so that every
/// loop, and with it the answer, is deterministic.
public struct PlacementProblem: Sendable {
    public struct HostNode: Sendable {
        public var name: String
        public var cpu: Int64
        public var memory: Int64
        /// Index into `racks` / `zones`, or -1 when the host names none.
        public var rack: Int
        public var zone: Int
    }

    public struct Demand: Sendable {
        public var name: String
        public var replicas: Int
        public var cpu: Int64
        public var memory: Int64
        /// r − m: replicas that may be lost at once.
        public var tolerableLoss: Int
        /// Failures to survive, per domain: hosts, racks, zones.
        public var survive: FailureBudget
        /// Most replicas on one host from `max_per_host`, published ports and survival (not capacity).
        public var perHostCap: Int
        /// Hosts it may use by labels and host list, ascending.
        public var eligible: [Int]
        /// Purposes with the same eligibility share a class (and the storage of `eligible`).
        public var eligibleClass: Int = 0
        /// Purposes that may never share a host with it (avoid, either way, and shared host ports).
        public var conflicts: [Int]
    }

    public var hosts: [HostNode]
    public var demands: [Demand]
    public var racks: [String]
    public var zones: [String]
    public var strategy: Strategy
    /// Per purpose, the fewest hosts it can use (see `computeFewestHosts`), computed once.
    public private(set) var fewest: [Int?] = []

    public init(hosts: [HostNode], demands: [Demand], racks: [String], zones: [String], strategy: Strategy) {
        self.hosts = hosts
        self.demands = demands
        self.racks = racks
        self.zones = zones
        self.strategy = strategy
        computeShapes()
        fewest = demands.indices.map(computeFewestHosts)
    }

    /// Per eligibility class, how many of its hosts have each (cpu, memory) size: caps per host follow
    /// from the size alone, so bounds are computed over a handful of sizes instead of every host.
    public private(set) var classShapes: [Int: [(cpu: Int64, memory: Int64, count: Int)]] = [:]

    mutating func computeShapes() {
        var shapes: [Int: [(cpu: Int64, memory: Int64, count: Int)]] = [:]
        for demand in demands where shapes[demand.eligibleClass] == nil {
            shapes[demand.eligibleClass] = hostShapes(demand.eligible)
        }
        classShapes = shapes
    }

    /// Replicas of d that fit on an empty host of the given size, by capacity and per-host caps.
    public func cap(_ d: Int, cpu: Int64, memory: Int64) -> Int {
        let demand = demands[d]
        let byCPU = demand.cpu > 0 ? cpu / demand.cpu : Int64(Int.max)
        let byMemory = demand.memory > 0 ? memory / demand.memory : Int64(Int.max)
        return Int(min(Int64(demand.perHostCap), byCPU, byMemory))
    }

    /// The caps of d over its eligible hosts as (cap, hosts with it), without visiting each host.
    public func capHistogram(_ d: Int) -> [(cap: Int, count: Int)] {
        var histogram: [Int: Int] = [:]
        for shape in classShapes[demands[d].eligibleClass] ?? [] {
            let value = cap(d, cpu: shape.cpu, memory: shape.memory)
            if value > 0 { histogram[value, default: 0] += shape.count }
        }
        return histogram.sorted { $0.key > $1.key }.map { (cap: $0.key, count: $0.value) }
    }

    public init(_ topology: Topology) {
        var racks: [String] = [], zones: [String] = []
        var rackIndex: [String: Int] = [:], zoneIndex: [String: Int] = [:]
        func index(_ name: String?, _ names: inout [String], _ map: inout [String: Int]) -> Int {
            guard let name else { return -1 }
            if let existing = map[name] { return existing }
            names.append(name)
            map[name] = names.count - 1
            return names.count - 1
        }
        hosts = topology.hosts.map { host in
            HostNode(name: host.name, cpu: host.cpu, memory: host.memory,
                     rack: index(host.rack, &racks, &rackIndex), zone: index(host.zone, &zones, &zoneIndex))
        }
        self.racks = racks
        self.zones = zones
        strategy = topology.strategy
        let purposeIndex = Dictionary(topology.purposes.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        // Hosts grouped by their label sets: eligibility is decided once per group, not per host.
        var byLabels: [Set<String>: [Int]] = [:]
        for (h, host) in topology.hosts.enumerated() { byLabels[Set(host.labels), default: []].append(h) }
        let labelGroups = byLabels.sorted { $0.value[0] < $1.value[0] }
        let hostIndex = Dictionary(topology.hosts.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        // Memoised by label set, so purposes with the same labels share one array: memory stays
        // O(hosts × distinct label sets), not O(hosts × purposes).
        var byWanted: [Set<String>: (hosts: [Int], id: Int)] = [:]
        var classCount = 0
        func eligible(_ placement: Placement) -> (hosts: [Int], id: Int) {
            if let listed = placement.hosts {
                classCount += 1
                return (listed.compactMap { hostIndex[$0] }.filter { placement.admits(topology.hosts[$0]) }.sorted(), classCount - 1)
            }
            let wanted = Set(placement.labels)
            if let known = byWanted[wanted] { return known }
            let made = (hosts: labelGroups.filter { wanted.isSubset(of: $0.key) }.flatMap(\.value).sorted(), id: classCount)
            classCount += 1
            byWanted[wanted] = made
            return made
        }
        demands = topology.purposes.map { purpose in
            let (hosts, id) = eligible(purpose.placement)
            var cap = min(purpose.replicas, purpose.maxPerHost ?? .max)
            if !purpose.ports.isEmpty { cap = min(cap, 1) }
            if !purpose.survive.isNone { cap = min(cap, max(0, purpose.tolerableLoss)) }
            return Demand(name: purpose.name, replicas: purpose.replicas, cpu: purpose.cpu, memory: purpose.memory,
                          tolerableLoss: purpose.tolerableLoss, survive: purpose.survive, perHostCap: cap,
                          eligible: hosts, eligibleClass: id, conflicts: [])
        }
        // Conflicts are symmetric: p avoids q, q avoids p, or both publish one host port.
        // Gathered as lists, then sorted and deduplicated once: many purposes on one port make O(P²)
        // pairs, and appends cost far less than set insertions.
        var conflicts = Array(repeating: [Int](), count: topology.purposes.count)
        var publishers: [String: [Int]] = [:]
        for (p, purpose) in topology.purposes.enumerated() {
            for q in purpose.placement.avoid.compactMap({ purposeIndex[$0] }) where q != p {
                conflicts[p].append(q)
                conflicts[q].append(p)
            }
            for port in Set(purpose.ports.map(\.hostSide)) { publishers[port, default: []].append(p) }
        }
        for sharing in publishers.values where sharing.count > 1 {
            for p in sharing { conflicts[p].append(contentsOf: sharing) }
        }
        for p in demands.indices {
            var list = conflicts[p].sorted()
            var kept = 0
            for q in list where q != p && (kept == 0 || list[kept - 1] != q) {
                list[kept] = q
                kept += 1
            }
            demands[p].conflicts = Array(list[..<kept])
        }
        computeShapes()
        fewest = demands.indices.map(computeFewestHosts)
    }

    /// Replicas of `demand` that fit on an empty `host` by capacity and per-host caps.
    public func staticCap(_ d: Int, _ h: Int) -> Int {
        let demand = demands[d], host = hosts[h]
        let byCPU = demand.cpu > 0 ? host.cpu / demand.cpu : Int64(Int.max)
        let byMemory = demand.memory > 0 ? host.memory / demand.memory : Int64(Int.max)
        return Int(min(Int64(demand.perHostCap), byCPU, byMemory))
    }

    /// The cpu and memory each host holds in a placement (saturating, so a bad count cannot trap).
    public func usage(of assignment: [[HostCount]]) -> (cpu: [Int64], memory: [Int64]) {
        var cpu = [Int64](repeating: 0, count: hosts.count), memory = cpu
        for (d, row) in assignment.enumerated() {
            for entry in row {
                cpu[entry.host] = cpu[entry.host].saturatingPlus(demands[d].cpu.saturatingTimes(entry.count))
                memory[entry.host] = memory[entry.host].saturatingPlus(demands[d].memory.saturatingTimes(entry.count))
            }
        }
        return (cpu, memory)
    }

    /// The failure domain index of host `h` for `domain` (the host itself for `.host`).
    public func domainIndex(_ domain: FailureBudget.Domain, of h: Int) -> Int {
        switch domain {
        case .host: return h
        case .rack: return hosts[h].rack
        case .zone: return hosts[h].zone
        }
    }

    public func domainCount(_ domain: FailureBudget.Domain) -> Int {
        switch domain {
        case .host: return hosts.count
        case .rack: return racks.count
        case .zone: return zones.count
        }
    }

    public func domainName(_ domain: FailureBudget.Domain, _ index: Int) -> String {
        switch domain {
        case .host: return hosts[index].name
        case .rack: return racks[index]
        case .zone: return zones[index]
        }
    }
}

extension PlacementProblem {
    /// The same hosts with only the purposes in `subset` (indices into `demands`).
    public func restricted(to subset: [Int]) -> PlacementProblem {
        let newIndex = Dictionary(uniqueKeysWithValues: subset.enumerated().map { ($1, $0) })
        let kept = subset.map { d -> Demand in
            var demand = demands[d]
            demand.conflicts = demand.conflicts.compactMap { newIndex[$0] }
            return demand
        }
        return PlacementProblem(hosts: hosts, demands: kept, racks: racks, zones: zones, strategy: strategy)
    }

    /// The problem with one more host like `template`, placed in a rack and zone of its own when `ownDomains`.
    public func adding(copyOf template: Int, name: String, ownZone: Bool, ownRack: Bool) -> PlacementProblem {
        var copy = self
        var host = hosts[template]
        host.name = name
        if ownZone { copy.zones.append(name); host.zone = copy.zones.count - 1 }
        if ownRack { copy.racks.append(name); host.rack = copy.racks.count - 1 }
        copy.hosts.append(host)
        for d in copy.demands.indices where copy.demands[d].eligible.contains(template) {
            copy.demands[d].eligible.append(copy.hosts.count - 1)
        }
        copy.fewest = copy.demands.indices.map(copy.computeFewestHosts)
        return copy
    }
}
