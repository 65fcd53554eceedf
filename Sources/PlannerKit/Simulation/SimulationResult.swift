// Everything simulate establishes: the named scenario, the analyses, and where the placement came from.

import PlannerSpec

/// What `planner simulate` found, ready to report.
public struct SimulationResult: Sendable {
    public var topology: Topology
    /// "solver", or the placement file's path.
    public var source: String
    public var warnings: [String]
    public var scenario: SimulationScenario?
    public var analyses: [SimulationAnalysis]
    /// The analyses are the spec's own failure budget (no --fail or --any given).
    public var usedDefault: Bool

    /// Some scenario takes a purpose down.
    public var isDown: Bool { (scenario?.isDown ?? false) || analyses.contains { $0.isDown } }
}
