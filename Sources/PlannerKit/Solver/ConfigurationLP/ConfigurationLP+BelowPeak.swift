// The configuration LP strictly below a placement's peak: the LP that proves a `spread` placement optimal.

extension ConfigurationLP {
    /// The limits strictly below a placement's peak utilisation, computed exactly: the peak is the
    /// ratio used/capacity of some host and resource, and a host of capacity c may hold at most the
    /// largest whole amount x with x/c below it. Nil for an empty placement.
    init?(problem: PlacementProblem, below assignment: [[HostCount]]) {
        let (cpu, memory) = problem.usage(of: assignment)
        // The peak as a fraction used/capacity, compared by cross-multiplying in 128 bits.
        var peak: (used: Int128, capacity: Int128) = (0, 1)
        for (h, host) in problem.hosts.enumerated() {
            for (used, capacity) in [(cpu[h], host.cpu), (memory[h], host.memory)] where capacity > 0 {
                if Int128(used) * peak.capacity > peak.used * Int128(capacity) { peak = (Int128(used), Int128(capacity)) }
            }
        }
        guard peak.used > 0 else { return nil }
        func below(_ capacity: Int64) -> Int64 { Int64((peak.used * Int128(capacity) - 1) / peak.capacity) }
        self.init(problem: problem, cpuLimit: problem.hosts.map { below($0.cpu) },
                  memoryLimit: problem.hosts.map { below($0.memory) })
    }
}
