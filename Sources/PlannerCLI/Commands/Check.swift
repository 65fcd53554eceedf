// `planner check`: validate, place and prove; print the report.

import ArgumentParser
import PlannerKit

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
            let outcome = options.checkFrontend().run(strict: strict)
            throw ExitCode(CheckReport.print(outcome, file: options.spec, format: options.format))
        }
    }
}
