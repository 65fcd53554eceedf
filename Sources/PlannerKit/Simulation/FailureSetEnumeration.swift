// The enumeration of failure sets in which every unit is needed, from per-purpose atoms.

import Foundation

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
    /// Most units of work (an atom search node, a union tried, a set considered) before stopping:
    /// unions that turn out to be duplicates cost as much as new ones, so `limit` alone does not
    /// bound the time.
    let workLimit: Int
    /// A safety net: past it the enumeration stops as at `workLimit`, and a rerun may list fewer sets.
    let deadline: Date?
    private(set) var minimal: [Candidate] = []
    private(set) var isTruncated = false
    private(set) var work = 0
    private(set) var stoppedByClock = false
    private var outOfWork = false
    private var loss: [Int]
    private var touched: [Int] = []
    /// Purposes each unit takes down alone.
    private var singleDown: [Int] = []

    init(unitShares: [[SimulationShare]], purposeShares: [[SimulationShare]], tolerable: [Int], replicas: [Int],
         left: [Int], k: Int, limit: Int, workLimit: Int = .max, deadline: Date? = nil) {
        self.unitShares = unitShares
        self.purposeShares = purposeShares
        self.tolerable = tolerable
        self.replicas = replicas
        self.left = left
        self.k = k
        self.limit = limit
        self.workLimit = workLimit
        self.deadline = deadline
        loss = Array(repeating: 0, count: tolerable.count)
    }

    mutating func run(cutSizes: [Int?]) {
        // Atoms, per purpose that k units can take down (and that is not down already), in a fixed order.
        var seen = UnitSetRegistry(units: unitShares.count, k: k)
        var atoms: [[Int]] = []
        for p in purposeShares.indices {
            guard let size = cutSizes[p], size >= 1, size <= k else { continue }
            collectAtoms(of: p, into: &atoms, seen: &seen)
            if atoms.count > limit || outOfWork { isTruncated = true; break }
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
                guard spend(1) else { return }
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
    private mutating func collectAtoms(of p: Int, into atoms: inout [[Int]], seen: inout UnitSetRegistry) {
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
                if best <= budget || atoms.count > limit || !spend(1) { return }
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

    /// Charges `units` of work; false (and truncated) once the work or the clock has run out.
    private mutating func spend(_ units: Int) -> Bool {
        guard !outOfWork else { return false }
        work += units
        // The clock is read once per 4,096 units: cheap next to the work it guards.
        if work & 0xFFF < units, let deadline, Date() > deadline { stoppedByClock = true }
        if work > workLimit || stoppedByClock {
            outOfWork = true
            isTruncated = true
        }
        return !outOfWork
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
        guard spend(units.count) else { return }
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
