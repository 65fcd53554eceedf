// Everything check establishes about a spec: diagnostics, topology, solver result, verified placement.

import PlannerSpec

/// Everything `planner check` establishes about a spec.
public struct CheckResult: Sendable {
    public var diagnostics: [Diagnostic]
    public var topology: Topology?
    public var solver: SolverResult?
    /// The verified placement, when there is one.
    public var placement: PlacementCounts?
    /// With a deployed placement to start from: what the re-plan moves.
    public var replan: ReplanReport?

    /// True when the spec is well formed, placed, and every rule holds.
    public var isPlaced: Bool { placement != nil && !diagnostics.contains { $0.severity == .error } }
    public var hasInputErrors: Bool { diagnostics.contains { $0.severity == .error && $0.code.kind == .input } }

    public var hostsUsed: Int {
        guard let placement else { return 0 }
        return Set(placement.values.flatMap { $0.filter { $0.value > 0 }.keys }).count
    }
}
