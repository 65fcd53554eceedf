// Saturating Int64 arithmetic for totals of the spec's cpu and memory amounts, shared by every later stage.
extension Int64 {
    /// self × n, pinned at the ends of the range instead of trapping: sums of resources from a spec can exceed
    /// 63 bits (a huge replica count times a huge size), and such a total only ever means "too much".
    public func saturatingTimes(_ n: Int) -> Int64 {
        let (product, overflow) = multipliedReportingOverflow(by: Int64(n))
        return overflow ? (n < 0) != (self < 0) ? .min : .max : product
    }

    /// self + other, pinned at the ends of the range instead of trapping.
    public func saturatingPlus(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : sum
    }
}

extension Int {
    /// self + other, pinned at the ends of the range instead of trapping: replica counts read from a
    /// placement file are untrusted, and their sums must not crash the verifier.
    public func saturatingPlus(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : sum
    }
}

extension Sequence where Element == Int {
    /// The sum, pinned at the ends of the range instead of trapping.
    public func saturatingSum() -> Int { reduce(0) { $0.saturatingPlus($1) } }
}
