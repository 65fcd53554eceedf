import ArgumentParser
import Foundation
import PlannerKit
import PlannerSpec

extension Planner {
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what a failure does to a placement: one named scenario, or every set of k hosts, racks or zones.",
            discussion: """
                --fail names one scenario (hosts, rack=NAME, zone=NAME; repeat or separate with commas) and reports, \
                per purpose, replicas left of replicas, min_available and up/degraded/down, and the cpu and memory lost. \
                --any K, --any-racks K and --any-zones K analyse every set of K hosts (racks, zones), on top of any \
                --fail: each purpose's worst case, its smallest cut (the fewest hosts whose loss takes it down, named), \
                how many arbitrary host failures it survives, the weakest purposes, and the failure sets that take \
                purposes down, worst first. With neither, the spec's own failure budget is analysed.

                The placement is the one `planner check` finds, or --placement FILE: JSON with a "placement" \
                object {purpose: {host: count}}, as `planner check --format json` prints.

                Exit status: 0 when every purpose keeps its min_available in every simulated scenario, 1 when some \
                scenario takes a purpose down (or there is no placement), 2 for invalid input.
                """
        )

        @OptionGroup var options: SpecOptions

        @Option(help: ArgumentHelp("Simulate this placement (JSON with a \"placement\" key) instead of solving the spec.",
                                   valueName: "file"))
        var placement: String?

        @Option(name: .customLong("fail"),
                help: ArgumentHelp("Fail a host (app3 or host=app3), a rack (rack=a1) or a zone (zone=b); repeatable.",
                                   valueName: "what"))
        var fail: [String] = []

        @Option(name: .customLong("any"), help: ArgumentHelp("Analyse every set of k hosts failing.", valueName: "k"))
        var anyHosts: Int?

        @Option(name: .customLong("any-racks"), help: ArgumentHelp("Analyse every set of k racks failing.", valueName: "k"))
        var anyRacks: Int?

        @Option(name: .customLong("any-zones"), help: ArgumentHelp("Analyse every set of k zones failing.", valueName: "k"))
        var anyZones: Int?

        @Option(help: ArgumentHelp("Most failure sets listed per analysis (0: all).", valueName: "n"))
        var limit: Int = 10

        func validate() throws {
            for (flag, value) in [("--any", anyHosts), ("--any-racks", anyRacks), ("--any-zones", anyZones)] {
                if let value, value < 1 { throw ValidationError("\(flag) must be at least 1") }
            }
            guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
        }

        func run() throws {
            let input = SimulateInput(spec: options.spec, format: options.format)
            var selectors: [FailureSelector] = []
            for text in fail {
                do {
                    selectors += try FailureSelector.parse(text)
                } catch {
                    throw input.fail("--fail \(text): \(error.message)")
                }
            }

            let spec = options.loadSpec()
            guard spec.isWellFormed, let topology = spec.topology else {
                throw input.fail(diagnostics: spec.diagnostics.filter { $0.severity == .error }, status: 2)
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
                    throw input.fail("--placement: \(error.message)")
                }
                counts = contents.placement
                let findings = PlacementFile.validate(counts, against: topology)
                guard findings.errors.isEmpty else {
                    throw input.fail("--placement \(path) does not match the spec \(options.spec): "
                                     + findings.errors.joined(separator: "; "))
                }
                if let stale = PlacementFile.staleness(of: contents, spec: spec) {
                    warnings.append("the placement in \(path) may be stale: \(stale)")
                }
                warnings += findings.warnings.map { "the placement in \(path) breaks a rule of the spec: \($0)" }
                source = path
            } else {
                let (limits, progress) = options.solverLimits()
                let result = CheckPipeline.check(spec, limits: limits)
                progress?.finish()
                guard result.isPlaced, let placed = result.placement else {
                    throw input.fail(diagnostics: result.diagnostics.filter { $0.severity == .error },
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
                throw input.fail("--fail: \(error.message)")
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
                    analyses.append(try model.analyse(domain, k: k, after: failed, limit: limit == 0 ? Int.max : limit))
                } catch {
                    let flag = domain == .host ? "--any" : "--any-\(domain.plural)"
                    throw input.fail("\(flag) \(k): \(error.message)")
                }
            }

            let report = SimulateReport(topology: topology, source: source, warnings: warnings, scenario: scenario,
                                        analyses: analyses, usedDefault: usedDefault)
            let status: Int32 = report.isDown ? 1 : 0
            switch options.format {
            case .text: print(report.text(), terminator: "")
            case .json: print(report.json(ok: status == 0))
            }
            throw ExitCode(status)
        }
    }
}

/// Reports invalid input the way the chosen format asks, and the exit status to end with.
struct SimulateInput {
    var spec: String
    var format: OutputFormat

    func fail(_ message: String) -> ExitCode {
        switch format {
        case .text:
            FileHandle.standardError.write(Data("planner simulate: error: \(message)\n".utf8))
        case .json:
            print(JSONValue.object(["ok": .bool(false), "errors": .array([.string(message)])]).rendered())
        }
        return ExitCode(2)
    }

    func fail(diagnostics: [Diagnostic], status: Int32, note: String? = nil) -> ExitCode {
        switch format {
        case .text:
            var out = diagnostics.map { DiagnosticText.render($0, file: spec) }.joined()
            if let note { out += "\(note)\n" }
            print(out, terminator: "")
        case .json:
            var object: [String: JSONValue] = [
                "ok": .bool(false),
                "diagnostics": .array(diagnostics.map { DiagnosticJSON.value($0, file: spec) }),
            ]
            if let note { object["errors"] = .array([.string(note)]) }
            print(JSONValue.object(object).rendered())
        }
        return ExitCode(status)
    }
}
