import PlannerSpec

/// How exposed one purpose is to the failure of any k units (hosts, racks or zones).
public struct SimulationExposure: Sendable, Hashable {
    public var name: String
    /// A load balancer (`balancers:`) rather than a purpose.
    public var isBalancer: Bool
    public var replicas: Int
    public var required: Int
    public var isMajority: Bool
    public var acceptsSinglePointOfFailure: Bool
    /// The purpose's own `survive` budget for this domain.
    public var budget: Int
    /// Replicas left before the analysed failures (after any `--fail`).
    public var left: Int
    /// Replicas left after the worst k units fail, and the status then.
    public var worstLeft: Int
    public var worstStatus: SimulationStatus
    /// The units of that worst case: the (up to) k holding the most of its replicas.
    public var worstUnits: [String]
    /// A smallest set of units whose loss takes it down: empty when it is already down,
    /// nil when no set of units does (every unit failing still leaves `required`).
    public var cut: [String]?
    /// Units of this domain it survives, any of them, worst case: cut size − 1; nil when no set of units takes it down.
    public var survives: Int?
    /// Arbitrary host failures it survives, worst case (the same, counted in hosts).
    public var survivesHosts: Int?
    /// Hosts whose failure takes it down soonest (its smallest host cut).
    public var hostCut: [String]?

    /// Whether the analysed k is beyond what the spec asks of the purpose.
    public func isBeyondBudget(k: Int) -> Bool { k > budget }
}

/// One failure set of at most k units that takes a purpose down, with every unit in it needed:
/// leave any one out and fewer purposes go down.
public struct SimulationFailureSet: Sendable, Hashable {
    public var units: [String]
    /// Purposes it takes down, beyond those already down before it.
    public var down: [String]
    /// Purposes below their full count but still at their minimum.
    public var degraded: [String]
    public var capacityLost: SimulationResources

    public init(units: [String], down: [String], degraded: [String], capacityLost: SimulationResources) {
        self.units = units
        self.down = down
        self.degraded = degraded
        self.capacityLost = capacityLost
    }
}

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
    public func analyse(_ domain: FailureBudget.Domain, k: Int, after base: [Int] = [], limit: Int = 20,
                        enumerationLimit: Int = 2_000_000) throws(SimulationInputError) -> SimulationAnalysis {
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
                                                limit: enumerationLimit)
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
            failureSetCount: enumeration.minimal.count, isTruncated: enumeration.isTruncated, weakest: weakest)
    }

    static func largestFirst(_ a: SimulationShare, _ b: SimulationShare) -> Bool {
        a.count != b.count ? a.count > b.count : a.index < b.index
    }
}

/// Sets of unit indices (sorted), deduplicated: packed into one integer when they fit
/// (fewer than 65,535 units, at most 4 to a set), as arrays otherwise.
struct UnitSetRegistry {
    let packs: Bool
    private var packed = Set<UInt64>()
    private var arrays = Set<[Int]>()

    init(units: Int, k: Int) { packs = units < 0xFFFF && k <= 4 }

    var count: Int { packs ? packed.count : arrays.count }

    /// True when `set` was not there yet.
    mutating func insert(_ set: [Int]) -> Bool {
        guard packs else { return arrays.insert(set).inserted }
        var key: UInt64 = 0
        for unit in set { key = key << 16 | UInt64(unit + 1) }
        return packed.insert(key).inserted
    }
}

/// Finds every failure set of at most k units in which every unit is needed (leaving any one out takes
/// fewer purposes down), without looking at the sets that take nothing down.
///
/// Such a set is a union of "atoms": sets that take one purpose down with every unit needed for it
/// (proof: pick an atom inside the set for each purpose it takes down; their union takes the same
/// purposes down, so by minimality it is the whole set). Atoms come from each purpose's units, largest
/// first, with the search pruned as soon as the largest remaining units cannot exceed what it can lose.
struct FailureSetEnumeration {
    struct Candidate {
        var units: [Int]
        var down: Int
        var degraded: Int
    }

    let unitShares: [[SimulationShare]]
    let purposeShares: [[SimulationShare]]
    let tolerable: [Int]
    let replicas: [Int]
    let left: [Int]
    let k: Int
    let limit: Int
    private(set) var minimal: [Candidate] = []
    private(set) var isTruncated = false
    private var loss: [Int]
    private var touched: [Int] = []
    /// Purposes each unit takes down alone.
    private var singleDown: [Int] = []

    init(unitShares: [[SimulationShare]], purposeShares: [[SimulationShare]], tolerable: [Int], replicas: [Int],
         left: [Int], k: Int, limit: Int) {
        self.unitShares = unitShares
        self.purposeShares = purposeShares
        self.tolerable = tolerable
        self.replicas = replicas
        self.left = left
        self.k = k
        self.limit = limit
        loss = Array(repeating: 0, count: tolerable.count)
    }

    mutating func run(cutSizes: [Int?]) {
        // Atoms, per purpose that k units can take down (and that is not down already), in a fixed order.
        var seen = UnitSetRegistry(units: unitShares.count, k: k)
        var atoms: [[Int]] = []
        for p in purposeShares.indices {
            guard let size = cutSizes[p], size >= 1, size <= k else { continue }
            collectAtoms(of: p, into: &atoms, seen: &seen)
            if atoms.count > limit { isTruncated = true; break }
        }
        var single = Array(repeating: 0, count: unitShares.count)
        for u in unitShares.indices { single[u] = count([u], skipping: -1).down }
        singleDown = single
        // Unions of atoms with at most k units, each examined once.
        var bySize = Array(repeating: [Int](), count: k + 1)                 // atom indices of each size
        var byUnit = Array(repeating: [Int](), count: unitShares.count)      // atoms of 2+ units holding a unit
        for (i, atom) in atoms.enumerated() {
            bySize[atom.count].append(i)
            if atom.count >= 2 { for u in atom { byUnit[u].append(i) } }
        }
        var stack = atoms.reversed() as [[Int]]
        while let union = stack.popLast() {
            consider(union)
            let room = k - union.count
            guard room > 0, !isTruncated else { continue }
            func extend(with atom: [Int]) {
                let merged = Self.union(union, atom)
                guard merged.count <= k, merged.count > union.count, seen.insert(merged) else { return }
                stack.append(merged)
                if seen.count > limit { isTruncated = true }
            }
            for size in 1...room { for i in bySize[size] where !isTruncated { extend(with: atoms[i]) } }
            for u in union { for i in byUnit[u] where atoms[i].count > room && !isTruncated { extend(with: atoms[i]) } }
        }
    }

    /// Sets of `p`'s units that take it down with every unit needed: search largest first, stop a branch
    /// as soon as its sum exceeds what `p` can lose (the last unit added is the smallest, so each unit is needed).
    private func collectAtoms(of p: Int, into atoms: inout [[Int]], seen: inout UnitSetRegistry) {
        let shares = purposeShares[p]
        let budget = tolerable[p]
        var prefix = [0]
        for share in shares { prefix.append(prefix.last! + share.count) }
        var chosen: [Int] = []
        func search(from start: Int, sum: Int) {
            let slots = k - chosen.count
            guard slots > 0, start < shares.count else { return }
            for i in start..<shares.count {
                // The best completion from i: the next `slots` units, largest first.
                let best = sum + prefix[min(shares.count, i + slots)] - prefix[i]
                if best <= budget || atoms.count > limit { return }
                let total = sum + shares[i].count
                chosen.append(shares[i].index)
                if total > budget {
                    let atom = chosen.sorted()
                    if seen.insert(atom) { atoms.append(atom) }
                } else {
                    search(from: i + 1, sum: total)
                }
                chosen.removeLast()
            }
        }
        search(from: 0, sum: 0)
    }

    static func union(_ a: [Int], _ b: [Int]) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i] < b[j]) { out.append(a[i]); i += 1 }
            else if i == a.count || b[j] < a[i] { out.append(b[j]); j += 1 }
            else { out.append(a[i]); i += 1; j += 1 }
        }
        return out
    }

    /// Keeps `units` when every unit in it is needed.
    private mutating func consider(_ units: [Int]) {
        let whole = count(units, skipping: -1)
        guard whole.down > 0 else { return }
        switch units.count {
        case 1: break
        case 2: if singleDown[units[0]] >= whole.down || singleDown[units[1]] >= whole.down { return }
        default: for skip in units.indices where count(units, skipping: skip).down >= whole.down { return }
        }
        minimal.append(Candidate(units: units, down: whole.down, degraded: whole.degraded))
    }

    /// Purposes newly down and degraded when `units` (but the one at position `skipping`) fail.
    private mutating func count(_ units: [Int], skipping: Int) -> (down: Int, degraded: Int) {
        for (position, u) in units.enumerated() where position != skipping {
            for share in unitShares[u] {
                if loss[share.index] == 0 { touched.append(share.index) }
                loss[share.index] += share.count
            }
        }
        var down = 0, degraded = 0
        for p in touched {
            if tolerable[p] >= 0 {
                if loss[p] > tolerable[p] { down += 1 } else { degraded += 1 }
            }
            loss[p] = 0
        }
        touched.removeAll(keepingCapacity: true)
        return (down, degraded)
    }

    /// Purposes newly down and the degraded (below full count, at least the minimum), by index.
    mutating func outcome(of units: [Int]) -> (down: [Int], degraded: [Int]) {
        for u in units {
            for share in unitShares[u] {
                if loss[share.index] == 0 { touched.append(share.index) }
                loss[share.index] += share.count
            }
        }
        var down: [Int] = [], degraded: [Int] = []
        for p in touched.sorted() {
            if tolerable[p] >= 0 && loss[p] > tolerable[p] { down.append(p) }
            else if tolerable[p] >= 0 { degraded.append(p) }
            loss[p] = 0
        }
        touched.removeAll(keepingCapacity: true)
        return (down, degraded)
    }

    /// Worst first: most purposes down, fewest units, most degraded, then unit order.
    func ranked(limit: Int) -> [Candidate] {
        func worse(_ a: Candidate, _ b: Candidate) -> Bool {
            if a.down != b.down { return a.down > b.down }
            if a.units.count != b.units.count { return a.units.count < b.units.count }
            if a.degraded != b.degraded { return a.degraded > b.degraded }
            return a.units.lexicographicallyPrecedes(b.units)
        }
        guard limit < minimal.count else { return minimal.sorted(by: worse) }
        // Keep only the best `limit` while scanning: cheaper than sorting every set.
        var best: [Candidate] = []
        best.reserveCapacity(limit + 1)
        for candidate in minimal {
            if best.count == limit, let last = best.last, !worse(candidate, last) { continue }
            let at = best.firstIndex { worse(candidate, $0) } ?? best.count
            best.insert(candidate, at: at)
            if best.count > limit { best.removeLast() }
        }
        return best
    }
}
