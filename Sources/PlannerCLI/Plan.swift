import ArgumentParser
import Foundation
import PlannerKit
import PlannerSpec

extension Planner {
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the deployment: a Compose file per host, balancer configurations, and placement.json.",
            discussion: """
                Checks the spec as `planner check` does and writes nothing when that finds an error (it prints them \
                and exits 1 or 2 like check). Otherwise writes, into --out (default deploy/<topology>):
                hosts/<host>/compose.yaml for every host that runs something, balancers/<name>/haproxy.cfg or \
                nginx.conf, and placement.json. A rerun with an unchanged spec rewrites nothing. Files that are no \
                longer generated are removed only when they carry planner's header; a non-empty folder planner did \
                not create is refused unless --force.

                --dev writes one Compose file for a laptop instead (default deploy/<topology>-dev): one replica of \
                every purpose, dev.sources bind-mounted, balancers pointing at service names.
                """
        )

        @OptionGroup var options: SpecOptions

        @Option(name: .customLong("out"), help: ArgumentHelp("The folder to write (default deploy/<topology>, or deploy/<topology>-dev with --dev).",
                                                              valueName: "dir"))
        var out: String?

        @Flag(help: "Write one Compose file for a laptop: one replica of every purpose on this machine.")
        var dev = false

        @Flag(help: "Write into a non-empty folder that planner did not create (only its own files are replaced or removed).")
        var force = false

        @Flag(name: .customLong("dry-run"), help: "Say what would be written, kept and removed; write nothing.")
        var dryRun = false

        @Flag(help: "Treat warnings as errors (and write nothing).")
        var strict = false

        func run() throws {
            let spec = options.loadSpec()
            var result = Checker.check(spec, limits: SolverLimits(steps: options.steps, seconds: options.timeLimit))
            if strict {
                result.diagnostics = result.diagnostics.map { diagnostic in
                    var diagnostic = diagnostic
                    if diagnostic.severity == .warning { diagnostic.severity = .error }
                    return diagnostic
                }
            }
            let status: Int32 = result.hasInputErrors ? 2
                : (!result.isPlaced || result.diagnostics.contains { $0.severity == .error }) ? 1 : 0
            guard status == 0, let topology = result.topology, let placement = result.placement else {
                switch options.format {
                case .text:
                    print(CheckReport.text(result, file: options.spec), terminator: "")
                    FileHandle.standardError.write(Data("planner plan: nothing written; fix the errors above\n".utf8))
                case .json: print(CheckReport.json(result, file: options.spec, ok: false))
                }
                throw ExitCode(status)
            }

            let directory = out ?? "deploy/\(topology.name)" + (dev ? "-dev" : "")
            let writer = FileWriter(directory: directory)
            let files: [String: String]
            let report: FileWriter.Report
            do {
                if dev {
                    files = try PlanEmitter.developmentFiles(topology: topology, specName: options.spec,
                                                             sourceBase: Self.relativePath(from: writer.root, to: Self.specFolder(options.spec)))
                } else {
                    files = try PlanEmitter.files(topology: topology, placement: placement, specName: options.spec,
                                                  specBytes: spec.bytes)
                }
                report = try writer.apply(files, force: force, dryRun: dryRun)
            } catch let failure as FileWriter.Failure {
                fail("planner plan: \(failure.description)", status: failure.refused ? 2 : 1)
                throw ExitCode(failure.refused ? 2 : 1)
            } catch {
                fail("planner plan: \(error)", status: 1)
                throw ExitCode(1)
            }

            switch options.format {
            case .text:
                var text = ""
                for diagnostic in result.diagnostics { text += DiagnosticText.render(diagnostic, file: options.spec) }
                if !result.diagnostics.isEmpty { text += "\n" }
                let verb = dryRun ? ("would write", "unchanged", "would remove", "left alone") : ("wrote", "unchanged", "removed", "left alone")
                for path in report.written { text += "\(verb.0)  \(directory)/\(path)\n" }
                for path in report.unchanged { text += "\(verb.1)  \(directory)/\(path)\n" }
                for path in report.removed { text += "\(verb.2)  \(directory)/\(path)\n" }
                for path in report.leftAlone { text += "\(verb.3)  \(directory)/\(path) (not generated by planner)\n" }
                let replicas = dev ? topology.purposes.count : topology.purposes.reduce(0) { $0 + $1.replicas }
                text += "\(dryRun ? "dry run: " : "")plan of \(topology.name)\(dev ? " for development" : ""): "
                    + "\(replicas) replica\(replicas == 1 ? "" : "s") in \(files.count) file\(files.count == 1 ? "" : "s") under \(directory) ("
                    + "\(report.written.count) \(dryRun ? "to write" : "written"), \(report.unchanged.count) unchanged, "
                    + "\(report.removed.count) \(dryRun ? "to remove" : "removed"))\n"
                print(text, terminator: "")
            case .json:
                let object: [String: JSONValue] = [
                    "ok": .bool(true),
                    "dry_run": .bool(dryRun),
                    "out": .string(directory),
                    "topology": .string(topology.name),
                    "diagnostics": .array(result.diagnostics.map { DiagnosticJSON.value($0, file: options.spec) }),
                    "written": .array(report.written.map { .string($0) }),
                    "unchanged": .array(report.unchanged.map { .string($0) }),
                    "removed": .array(report.removed.map { .string($0) }),
                    "left_alone": .array(report.leftAlone.map { .string($0) }),
                ]
                print(JSONValue.object(object).rendered())
            }
        }

        private func fail(_ message: String, status: Int32) {
            switch options.format {
            case .text: FileHandle.standardError.write(Data((message + "\n").utf8))
            case .json:
                print(JSONValue.object(["ok": .bool(false), "error": .string(message)]).rendered())
            }
        }

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
}
