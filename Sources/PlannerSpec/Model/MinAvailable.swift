/// How many replicas of a purpose must stay up: a count, or a majority of its replicas.
public enum MinAvailable: Sendable, Hashable, CustomStringConvertible {
    case count(Int)
    case majority

    /// Replicas that must stay up for `replicas` in all: `majority` is ⌊r/2⌋+1.
    public func resolved(replicas: Int) -> Int {
        switch self {
        case .count(let n): return n
        case .majority: return replicas / 2 + 1
        }
    }

    public var description: String {
        switch self {
        case .count(let n): return String(n)
        case .majority: return "majority"
        }
    }
}
