// The objective a strategy minimises, with the order that compares placements.

import Foundation

/// The quantity a strategy minimises.
public enum Objective: Sendable, Comparable, CustomStringConvertible {
    /// binpack: hosts running at least one container.
    case hostsUsed(Int)
    /// spread: the highest utilisation of any host, max(cpu used / cpu, memory used / memory).
    case peakUtilisation(Double)

    public var description: String {
        switch self {
        case .hostsUsed(let n): return "\(n) host\(n == 1 ? "" : "s") used"
        case .peakUtilisation(let u): return String(format: "peak utilisation %.1f%%", u * 100)
        }
    }

    var scalar: Double {
        switch self {
        case .hostsUsed(let n): return Double(n)
        case .peakUtilisation(let u): return u
        }
    }

    public static func < (lhs: Objective, rhs: Objective) -> Bool { lhs.scalar < rhs.scalar }
}
