import ArgumentParser
import Foundation
import PlannerKit
import PlannerSpec

extension Planner {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a topology, place every replica, and prove that each purpose survives its failures.",
            discussion: """
                Prints every problem as file:line:column: severity: message [code], then the placement: hosts \
                grouped by zone, replicas per purpose, each host's cpu and memory, and what each purpose keeps \
                after its worst allowed failure.
                """
        )

        @OptionGroup var options: SpecOptions

        @Flag(help: "Treat warnings (unpinned images, foreign registries, accepted single points of failure) as errors.")
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
            switch options.format {
            case .text: print(CheckReport.text(result, file: options.spec), terminator: "")
            case .json: print(CheckReport.json(result, file: options.spec, ok: status == 0))
            }
            throw ExitCode(status)
        }
    }
}
