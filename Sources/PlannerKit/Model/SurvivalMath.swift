/// The arithmetic of the survival rule, shared by the solver and its explanations
/// (the verifier keeps its own, deliberately separate, code).
///
/// Rule: with r replicas, m of which must stay up, and k domains allowed to fail,
/// the k fullest domains may hold at most L = r − m replicas between them.
public enum SurvivalMath {
    /// Sum of the k largest values: O(n·k), fine for the small k of failure budgets.
    public static func largestSum<C: Collection>(_ values: C, k: Int) -> Int where C.Element == Int {
        guard k > 0 else { return 0 }
        if k == 1 { return values.max() ?? 0 }
        var top: [Int] = []
        top.reserveCapacity(k)
        for value in values where value > 0 {
            if top.count < k {
                top.append(value)
                top.sort(by: >)
            } else if value > top[k - 1] {
                top[k - 1] = value
                top.sort(by: >)
            }
        }
        return top.reduce(0, +)
    }

    /// Most replicas that domains with capacities `caps` can hold while any k of them hold at most L.
    ///
    /// Exact, from the linear form of the k-largest rule (Ogryczak and Tamir, 2003):
    /// top-k(n) ≤ L iff some integer t ≥ 0 has k·t + Σ max(0, n_d − t) ≤ L. For each t the best
    /// is to give every domain min(cap, t) and spend the remaining L − k·t on the excess.
    /// O(|caps| + distinct caps · L/k).
    public static func maxPlaceable(caps: [Int], k: Int, tolerableLoss L: Int) -> Int {
        let total = caps.reduce(0) { $0 + max(0, $1) }
        guard k > 0 else { return total }
        guard L >= 0 else { return 0 }
        // Caps take few distinct values (capacity over demand): work on their histogram.
        var histogram: [Int: Int] = [:]
        for cap in caps where cap > 0 { histogram[cap, default: 0] += 1 }
        return maxPlaceable(histogram: histogram.map { (cap: $0.key, count: $0.value) }, k: k, tolerableLoss: L)
    }

    /// `maxPlaceable(caps:k:tolerableLoss:)` over caps given as (value, how many domains have it).
    public static func maxPlaceable(histogram: [(cap: Int, count: Int)], k: Int, tolerableLoss L: Int) -> Int {
        let values = histogram.filter { $0.cap > 0 }
        let total = values.reduce(0) { $0 + $1.cap * $1.count }
        guard k > 0 else { return total }
        guard L >= 0 else { return 0 }
        var best = 0
        for t in 0...(L / k) {
            var base = 0, excess = 0
            for (cap, count) in values {
                base += min(cap, t) * count
                excess += max(0, cap - t) * count
            }
            best = max(best, base + min(L - k * t, excess))
            if best >= total { break }
        }
        return best
    }

    /// Fewest domains that r replicas need when any k may hold at most L = r − m, with no capacity limit.
    /// Beyond the k fullest, each domain holds at most ⌊L/k⌋, so it is k + ⌈m / ⌊L/k⌋⌉. Nil: impossible.
    public static func fewestDomains(replicas r: Int, required m: Int, k: Int) -> Int? {
        guard k > 0 else { return 1 }
        let L = r - m
        guard L >= k else { return nil }
        let perDomain = L / k
        return k + (m + perDomain - 1) / perDomain
    }
}
