// What `planner plan` runs: check, emit the files, write them with the one writer.

import Foundation
import PlannerSpec

/// Checks the spec as `check` does and, when every rule holds, emits the deployment (or with `dev` the
/// laptop file) and makes the output folder hold it through `FileWriter`. Nothing is written when the
/// check finds an error.
public struct PlanFrontend {
    public var check: CheckFrontend
    /// Warnings count as errors, so nothing is written.
    public var strict: Bool
    /// The folder to write; nil for deploy/<topology>, or deploy/<topology>-dev with `dev`.
    public var out: String?
    /// One Compose file for a laptop instead of one per host.
    public var dev: Bool
    /// Write into a non-empty folder planner did not create.
    public var force: Bool
    /// Report what would change; write nothing.
    public var dryRun: Bool
    /// The deployed placement to re-plan from (`--from`), instead of the output folder's placement.json.
    public var from: String?
    /// Plan from scratch: read no deployed placement.
    public var fresh: Bool
    /// Write even when a stateful purpose's replica moves (its data stays behind).
    public var allowStatefulMoves: Bool
    /// `--rollout-survive K`: the rollout also keeps every purpose through K host failures.
    public var rolloutSurvive: Int = 0
    /// A deployed compose file that does not parse is an error (`diff`); `plan` replaces it instead.
    var strictDeployed = false
    /// `--rebalance` / `--max-moves`: the objective wins over moves, within the budget.
    public var rebalance: Rebalance?

    public init(check: CheckFrontend, strict: Bool, out: String?, dev: Bool, force: Bool, dryRun: Bool,
                from: String? = nil, fresh: Bool = false, allowStatefulMoves: Bool = false, rebalance: Rebalance? = nil) {
        self.check = check
        self.strict = strict
        self.out = out
        self.dev = dev
        self.force = force
        self.dryRun = dryRun
        self.from = from
        self.fresh = fresh
        self.allowStatefulMoves = allowStatefulMoves
        self.rebalance = rebalance
    }

    public enum Outcome {
        /// The check found errors (with `strict`, warnings too): nothing was written.
        case unchecked(CheckFrontend.Outcome)
        /// Emitting or writing failed; the writer left the folder as it was, as far as the message says.
        case failed(message: String, status: Int32)
        case written(Written)
    }

    /// A plan made and written (or, with `dryRun`, what writing it would do).
    public struct Written {
        /// The check's warnings, if any.
        public var diagnostics: [Diagnostic]
        public var topology: Topology
        /// The output folder as given or chosen.
        public var directory: String
        public var fileCount: Int
        public var report: FileWriter.Report
        /// What the re-plan moved, when it started from a deployed placement.
        public var replan: ReplanReport? = nil
        /// The deployed placement's file, when there was one.
        public var previousPath: String? = nil
        /// What the plan changes against the deployed folder, and the rollout (nil for `dev`).
        public var preview: DeploymentPreview? = nil
    }

    /// A plan made but not written: the files, and against the deployed folder what they change.
    public struct Prepared {
        public var checked: CheckFrontend.Outcome
        public var topology: Topology
        public var placement: PlacementCounts
        public var directory: String
        public var previous: PreviousPlacement?
        /// Everything plan writes, by relative path (rollout.json included, but for `dev`).
        public var files: [String: String]
        /// Nil for `dev`.
        public var preview: DeploymentPreview?
    }

    /// Checks, places and emits; compares with the deployed folder. Shared by `plan` and `diff`.
    public func prepare() -> Preparation {
        let spec = check.loadSpec()
        // The deployed placement, read only for a spec that can be placed (its errors come first).
        var previous: PreviousPlacement? = nil
        if !dev, !fresh, spec.isWellFormed, let topology = spec.topology {
            do {
                previous = try PreviousPlacement.locate(from: from, directory: out ?? "deploy/\(topology.name)")
            } catch {
                return .stopped(.failed(message: error.message, status: 2))
            }
        }
        let checked = check.run(spec: spec, strict: strict, previous: previous?.placement, rebalance: rebalance)
        guard checked.status == 0, let topology = checked.result.topology, let placement = checked.result.placement else {
            return .stopped(.unchecked(checked))
        }
        let directory = out ?? "deploy/\(topology.name)" + (dev ? "-dev" : "")
        let specPath = check.specPath
        do {
            var files: [String: String]
            var preview: DeploymentPreview? = nil
            if dev {
                let root = FileWriter(directory: directory).root
                files = try PlanEmitter.developmentFiles(topology: topology, specName: specPath,
                                                         sourceBase: Self.relativePath(from: root, to: Self.specFolder(specPath)))
            } else {
                files = try PlanEmitter.files(topology: topology, placement: placement, specName: specPath,
                                              specBytes: checked.spec.bytes)
                let made = try DeploymentPreview.make(topology: topology, previous: previous?.placement ?? [:], placement: placement,
                                                      deployed: DeployedFolder.read(directory), files: files,
                                                      survive: rolloutSurvive, strict: strictDeployed)
                files["rollout.json"] = Self.rolloutFile(made, topology: topology, placement: placement, directory: directory)
                preview = made
            }
            return .ready(Prepared(checked: checked, topology: topology, placement: placement, directory: directory,
                                     previous: previous, files: files, preview: preview))
        } catch let failure as SimulationInputError {
            return .stopped(.failed(message: "\(directory): \(failure.message)", status: 2))
        } catch {
            return .stopped(.failed(message: "\(error)", status: 1))
        }
    }

    /// A plan ready to write, or the outcome that ends the run (errors, a refusal).
    public enum Preparation {
        case ready(Prepared)
        case stopped(Outcome)
    }

    public func run() -> Outcome {
        let prepared: Prepared
        switch prepare() {
        case .stopped(let outcome): return outcome
        case .ready(let made): prepared = made
        }
        let checked = prepared.checked
        let replan = checked.result.replan
        if let budget = replan?.rebalance, budget.overBudget, let replan {
            return .failed(message: Self.overBudget(replan), status: 1)
        }
        if let replan, !replan.dataLeftBehind.isEmpty, !allowStatefulMoves, !dryRun {
            return .failed(message: Self.statefulRefusal(replan), status: 2)
        }
        let writer = FileWriter(directory: prepared.directory)
        do {
            let report = try writer.apply(prepared.files, force: force, dryRun: dryRun)
            return .written(Written(diagnostics: checked.result.diagnostics, topology: prepared.topology,
                                    directory: prepared.directory, fileCount: prepared.files.count, report: report,
                                    replan: replan, previousPath: prepared.previous?.path, preview: prepared.preview))
        } catch let failure as FileWriter.Failure {
            return .failed(message: failure.description, status: failure.refused ? 2 : 1)
        } catch {
            return .failed(message: "\(error)", status: 1)
        }
    }

    /// rollout.json: this plan's rollout, or, when the plan changes nothing and the folder's rollout.json
    /// already leads to this placement, that one kept as it is: a rerun before the rollout is applied must
    /// not replace the pending steps with an empty list (and rewrites nothing).
    static func rolloutFile(_ preview: DeploymentPreview, topology: Topology, placement: PlacementCounts, directory: String) -> String {
        if !preview.diff.hasChanges, let pending = try? RolloutFile.load(path: directory + "/rollout.json"),
           pending.topology == topology.name, RolloutChecker.normalised(pending.rollout.to) == RolloutChecker.normalised(placement),
           let data = FileManager.default.contents(atPath: directory + "/rollout.json"), let text = String(data: data, encoding: .utf8) {
            return text
        }
        return RolloutFile.json(preview.rollout, topology: topology.name)
    }

    /// Why nothing was written: the budget of moves is below what the rules force.
    static func overBudget(_ replan: ReplanReport) -> String {
        let budget = replan.rebalance?.maxMoves ?? 0
        return "nothing written: --max-moves \(budget) is fewer than the re-plan must move: \(replan.summary); "
            + "raise --max-moves or change the spec"
    }

    /// Why nothing was written: stateful replicas would move, leaving their data behind.
    static func statefulRefusal(_ replan: ReplanReport) -> String {
        var text = "nothing written: the re-plan moves replicas of stateful purposes, whose data stays behind "
            + "(rerun with --allow-stateful-moves to write it anyway):"
        for left in replan.dataLeftBehind { text += "\n  " + left.description }
        return text
    }

    /// The folder holding the spec, absolute: dev sources and secrets are relative to it.
    static func specFolder(_ spec: String) -> String {
        let absolute = spec.hasPrefix("/") ? spec : FileManager.default.currentDirectoryPath + "/" + spec
        return URL(fileURLWithPath: absolute).standardizedFileURL.deletingLastPathComponent().path
    }

    /// `to` relative to `from` (both absolute): `../../topologies`.
    static func relativePath(from: String, to: String) -> String {
        let a = from.split(separator: "/"), b = to.split(separator: "/")
        var common = 0
        while common < a.count, common < b.count, a[common] == b[common] { common += 1 }
        let parts = Array(repeating: "..", count: a.count - common) + b[common...].map(String.init)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
