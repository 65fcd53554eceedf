// What `planner simulate` runs: read the spec, get a placement (solved or from a file), simulate.

import Foundation
import PlannerSpec

/// Parses the failures asked for, loads the spec, takes the placement from `placement` (checked
/// against the spec) or from the solver as `check` finds it, and runs the named scenario and the
/// analyses on it. With neither `fail` nor any `any…`, the spec's own failure budget is analysed.
public struct SimulateFrontend {
    /// Loads the spec and, without `placement`, solves it.
    public var check: CheckFrontend
    /// A placement file (`--placement`) to simulate instead of solving.
    public var placement: String?
    /// `--fail` values, each one or more selectors.
    public var fail: [String]
    public var anyHosts: Int?
    public var anyRacks: Int?
    public var anyZones: Int?
    /// Most failure sets listed per analysis; 0 for all.
    public var limit: Int

    public init(check: CheckFrontend, placement: String?, fail: [String], anyHosts: Int?, anyRacks: Int?, anyZones: Int?,
                limit: Int) {
        self.check = check
        self.placement = placement
        self.fail = fail
        self.anyHosts = anyHosts
        self.anyRacks = anyRacks
        self.anyZones = anyZones
        self.limit = limit
    }

    public enum Outcome {
        /// Bad input (a flag, the placement file): exit status 2.
        case invalid(String)
        /// The spec has errors, or has no placement; the errors, the exit status, and a note to print after them.
        case unplaced(diagnostics: [Diagnostic], status: Int32, note: String?)
        case simulated(SimulationResult)
    }

    /// Units of enumeration work per search step of `--steps`: a union tried costs about what a
    /// forward check of `Search.pairsPerStep` pairs does.
    static let enumerationWorkPerStep = 16

    public func run() -> Outcome {
        // One clock for the whole run: the solve and the analyses share `--time-limit`.
        let deadline = check.limits.seconds.map { Date().addingTimeInterval($0) }
        let (workLimit, overflow) = check.limits.steps.multipliedReportingOverflow(by: Self.enumerationWorkPerStep)
        var selectors: [FailureSelector] = []
        for text in fail {
            do {
                selectors += try FailureSelector.parse(text)
            } catch {
                return .invalid("--fail \(text): \(error.message)")
            }
        }

        let spec = check.loadSpec()
        guard spec.isWellFormed, let topology = spec.topology else {
            return .unplaced(diagnostics: spec.diagnostics.filter { $0.severity == .error }, status: 2, note: nil)
        }

        // The placement: from a file, or solved as `check` does.
        let counts: PlacementCounts
        var warnings: [String] = []
        let source: String
        if let path = placement {
            let contents: PlacementFile.Contents
            do {
                contents = try PlacementFile.load(path: path)
            } catch {
                return .invalid("--placement: \(error.message)")
            }
            counts = contents.placement
            let findings = PlacementFile.validate(contents.written, against: topology)
            guard findings.errors.isEmpty else {
                return .invalid("--placement \(path) does not match the spec \(check.specPath): "
                                + findings.errors.joined(separator: "; "))
            }
            if let stale = PlacementFile.staleness(of: contents, spec: spec) {
                warnings.append("the placement in \(path) may be stale: \(stale)")
            }
            warnings += findings.warnings.map { "the placement in \(path) breaks a rule of the spec: \($0)" }
            source = path
        } else {
            let result = check.check(spec)
            guard result.isPlaced, let placed = result.placement else {
                return .unplaced(diagnostics: result.diagnostics.filter { $0.severity == .error },
                                 status: result.hasInputErrors ? 2 : 1, note: "no placement to simulate")
            }
            counts = placed
            source = "solver"
        }

        let model = SimulationModel(topology: topology, placement: counts)
        let failed: [Int]
        do {
            failed = try model.hosts(failing: selectors)
        } catch {
            return .invalid("--fail: \(error.message)")
        }

        // What to analyse: the flags, or with none at all, the spec's own failure budget.
        var requests: [(FailureBudget.Domain, Int)] = []
        if let anyHosts { requests.append((.host, anyHosts)) }
        if let anyRacks { requests.append((.rack, anyRacks)) }
        if let anyZones { requests.append((.zone, anyZones)) }
        var usedDefault = false
        if requests.isEmpty && selectors.isEmpty {
            usedDefault = true
            requests = FailureBudget.Domain.allCases.filter { topology.failures[$0] > 0 }.map { ($0, topology.failures[$0]) }
            if requests.isEmpty { requests = [(.host, 1)] }
        }

        let scenario = selectors.isEmpty ? nil : model.scenario(failing: failed, selectors: selectors)
        var analyses: [SimulationAnalysis] = []
        for (domain, k) in requests {
            do {
                analyses.append(try model.analyse(domain, k: k, after: failed, limit: limit == 0 ? Int.max : limit,
                                                  workLimit: overflow ? .max : max(0, workLimit), deadline: deadline))
            } catch {
                let flag = domain == .host ? "--any" : "--any-\(domain.plural)"
                return .invalid("\(flag) \(k): \(error.message)")
            }
        }
        return .simulated(SimulationResult(topology: topology, source: source, warnings: warnings, scenario: scenario,
                                           analyses: analyses, usedDefault: usedDefault))
    }
}
