// Sets of failure units, deduplicated, packed into integers when they fit.

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
