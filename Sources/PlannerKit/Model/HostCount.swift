/// Replicas of one purpose on one host.
public struct HostCount: Sendable, Hashable {
    public var host: Int
    public var count: Int

    public init(host: Int, count: Int) {
        self.host = host
        self.count = count
    }

    static func sparse(_ dense: [[Int]]) -> [[HostCount]] {
        dense.map { row in row.enumerated().compactMap { $1 > 0 ? HostCount(host: $0, count: $1) : nil } }
    }
}
