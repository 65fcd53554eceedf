// The work of the configuration LPs of one solve, counted in units charged to the step budget.

import Foundation

/// The work of the configuration LPs of one solve, counted so that the solve stays deterministic:
/// pricing nodes and the tableau entries the master's pivots update, in units of one tableau entry.
final class ConfigurationWork {
    /// A pricing node's cost in tableau entries (their times' ratio).
    static let unitsPerNode = 300
    /// Units per step of the search's budget (a search step's time in tableau entries), to charge this work to it.
    static let unitsPerStep = 700
    private(set) var units = 0
    let limit: Int
    /// The time limit's safety net: past it the work stops too (and the answer may then differ on a rerun).
    let deadline: Date?
    private(set) var stoppedByClock = false
    init(limit: Int, deadline: Date? = nil) {
        self.limit = limit
        self.deadline = deadline
    }
    /// At most `steps` steps of work.
    convenience init(steps: Int, deadline: Date?) {
        let (units, overflow) = steps.multipliedReportingOverflow(by: ConfigurationWork.unitsPerStep)
        self.init(limit: overflow ? Int.max : units, deadline: deadline)
    }
    func charge(pricingNodes nodes: Int = 0, tableauEntries entries: Int = 0) {
        units += nodes * ConfigurationWork.unitsPerNode + entries
    }
    var exhausted: Bool {
        if units > limit { return true }
        if let deadline, Date() > deadline { stoppedByClock = true }
        return stoppedByClock
    }
    /// The work so far in search steps.
    var steps: Int { units / ConfigurationWork.unitsPerStep }
}
