/// A fixed set of host indices as bits: membership in O(1) without hashing.
struct HostSet {
    private var words: [UInt64]

    init(_ members: [Int], capacity: Int) {
        words = Array(repeating: 0, count: (capacity + 63) / 64)
        for member in members { words[member >> 6] |= 1 << UInt64(member & 63) }
    }

    func contains(_ member: Int) -> Bool { words[member >> 6] & (1 << UInt64(member & 63)) != 0 }

    mutating func insert(_ member: Int) { words[member >> 6] |= 1 << UInt64(member & 63) }
    mutating func remove(_ member: Int) { words[member >> 6] &= ~(1 << UInt64(member & 63)) }
}
