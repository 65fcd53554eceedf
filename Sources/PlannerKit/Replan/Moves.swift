// Counting moved replicas between the deployed placement and a new one.

/// Moves between two placements by name. A purpose's moves are the replicas that leave a host beyond
/// those its scale-down removes: Σ over hosts of max(0, old − new), less max(0, old total − new total).
/// Replicas on hosts (or of purposes) that are gone count as leaving; a purpose that is gone, or that
/// only shrinks, moves nothing.
public enum Moves {
    /// Moves per purpose, only purposes with at least one.
    public static func perPurpose(from old: PlacementCounts, to new: PlacementCounts) -> [String: Int] {
        var moves: [String: Int] = [:]
        for (purpose, before) in old {
            let after = new[purpose] ?? [:]
            let leaving = before.reduce(0) { $0 + max(0, $1.value - (after[$1.key] ?? 0)) }
            let oldTotal = before.values.reduce(0, +), newTotal = after.values.reduce(0, +)
            let moved = leaving - max(0, oldTotal - newTotal)
            if moved > 0 { moves[purpose] = moved }
        }
        return moves
    }

    public static func count(from old: PlacementCounts, to new: PlacementCounts) -> Int {
        perPurpose(from: old, to: new).values.reduce(0, +)
    }

    /// The hosts a purpose's replicas leave, with how many: where a moved purpose's data stays behind.
    public static func leftHosts(of purpose: String, from old: PlacementCounts, to new: PlacementCounts) -> [(host: String, count: Int)] {
        let after = new[purpose] ?? [:]
        return (old[purpose] ?? [:]).compactMap { host, count in
            let left = count - (after[host] ?? 0)
            return left > 0 ? (host, left) : nil
        }.sorted { $0.host < $1.host }
    }
}
