// The arithmetic of exhaustive failure analysis: cut sizes and binomials.

import PlannerSpec

/// The arithmetic of exhaustive failure analysis: loss is additive over disjoint units, so the worst
/// k units for a purpose are the k holding the most of its replicas.
public enum SimulationMath {
    /// Fewest of `counts` (sorted largest first) whose sum exceeds `tolerable` (r − m, or what is left − m):
    /// 0 when `tolerable` is negative (already down), nil when even all of them together do not.
    public static func cutSize(sortedCounts counts: [Int], tolerable: Int) -> Int? {
        if tolerable < 0 { return 0 }
        var sum = 0
        for (i, count) in counts.enumerated() {
            sum = sum.saturatingPlus(count)
            if sum > tolerable { return i + 1 }
        }
        return nil
    }

    /// n choose k, nil when it does not fit in an Int.
    public static func binomial(_ n: Int, _ k: Int) -> Int? {
        guard k >= 0, k <= n else { return 0 }
        let k = min(k, n - k)
        var result = 1
        for i in 0..<k {
            // result * (n - i) / (i + 1) is exact at every step.
            let (product, overflow) = result.multipliedReportingOverflow(by: n - i)
            if overflow { return nil }
            result = product / (i + 1)
        }
        return result
    }
}
