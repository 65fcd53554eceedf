// What `planner check` runs, and what plan and simulate run first: read the spec, then check it.

import PlannerSpec

/// Reads a spec file (with `secrets`, also checks that every secret it uses is defined there), runs
/// `CheckPipeline` on it, and says which exit status the outcome earns. `PlanFrontend` and
/// `SimulateFrontend` start with it.
public struct CheckFrontend {
    /// The spec's path as given: diagnostics and reports name it so.
    public var specPath: String
    /// A folder of env files holding the spec's secrets (`--secrets`).
    public var secrets: String?
    public var limits: SolverLimits
    /// Called as soon as a solve is over, before anything is printed (the CLI erases its progress line).
    public var solveFinished: () -> Void

    public init(specPath: String, secrets: String? = nil, limits: SolverLimits = .init(),
                solveFinished: @escaping () -> Void = {}) {
        self.specPath = specPath
        self.secrets = secrets
        self.limits = limits
        self.solveFinished = solveFinished
    }

    public struct Outcome {
        public var result: CheckResult
        /// 2 for a malformed spec, 1 when it cannot be placed (or `strict` and warnings fired), else 0.
        public var status: Int32
        public var spec: LoadedSpec
    }

    /// The spec, and with `secrets` the check that every secret it uses is defined there.
    public func loadSpec() -> LoadedSpec {
        var spec = SpecLoader.load(path: specPath)
        if let secrets, let topology = spec.topology {
            spec.diagnostics = (spec.diagnostics + Secrets.check(topology, directory: secrets)).sorted()
        }
        return spec
    }

    /// `CheckPipeline` on `spec` within `limits`; with `previous`, a re-plan from that placement.
    public func check(_ spec: LoadedSpec, previous: PlacementCounts? = nil, rebalance: Rebalance? = nil) -> CheckResult {
        let result = CheckPipeline.check(spec, limits: limits, previous: previous, rebalance: rebalance)
        solveFinished()
        return result
    }

    /// Loads, validates and places the spec, with the exit status it earns; `strict` makes warnings errors.
    public func run(strict: Bool) -> Outcome {
        run(spec: loadSpec(), strict: strict)
    }

    /// `run(strict:)` on a spec already loaded; with `previous`, the placement is a re-plan from it.
    public func run(spec: LoadedSpec, strict: Bool, previous: PlacementCounts? = nil, rebalance: Rebalance? = nil) -> Outcome {
        var result = check(spec, previous: previous, rebalance: rebalance)
        if strict {
            result.diagnostics = result.diagnostics.map { diagnostic in
                var diagnostic = diagnostic
                if diagnostic.severity == .warning { diagnostic.severity = .error }
                return diagnostic
            }
        }
        let status: Int32 = result.hasInputErrors ? 2
            : (!result.isPlaced || result.diagnostics.contains { $0.severity == .error }) ? 1 : 0
        return Outcome(result: result, status: status, spec: spec)
    }
}
