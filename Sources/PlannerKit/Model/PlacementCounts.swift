// A placement by name, the form check prints, plan writes and simulate reads.

/// Replicas per purpose per host, by name: `{purpose: {host: count}}`, zero counts left out.
public typealias PlacementCounts = [String: [String: Int]]
