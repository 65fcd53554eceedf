// `planner diff`: what the next plan would change against what is deployed; writes nothing.

import ArgumentParser
import PlannerKit

extension Planner {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what the next `planner plan` would change against the deployed folder, writing nothing.",
            discussion: """
                Makes the plan `planner plan` would make (the same re-plan from <out>/placement.json, or --from, or \
                --fresh) and compares its files with those in --out (default deploy/<topology>). Per host: containers \
                to start (+), stop (-) and recreate (~, with the reason: image, env NAME, an endpoint list such as \
                env REDIS_SENTINELS (endpoints), command, ports, limits, volumes…), and those unchanged; per balancer: \
                backends added and removed. Ends with a summary: `2 to start, 1 to stop, 1 moved, 3 recreated on 4 \
                hosts`. Colour only on a terminal, and never with NO_COLOR set.

                Exit status: 0, or with --exit-code 0 when nothing changes and 3 when something does; 1 when the \
                spec cannot be placed, 2 for a malformed spec, an unreadable deployed folder or bad usage.
                """
        )

        @OptionGroup var options: SpecOptions

        @Option(name: .customLong("out"), help: ArgumentHelp("The deployed folder (default deploy/<topology>).", valueName: "dir"))
        var out: String?

        @Option(help: ArgumentHelp("The deployed placement to re-plan from, instead of <out>/placement.json.", valueName: "file"))
        var from: String?

        @Flag(help: "Compare a plan from scratch (ignore the deployed placement).")
        var fresh = false

        @Flag(name: .customLong("exit-code"), help: "Exit 3 when the plan changes something, 0 when it changes nothing.")
        var exitCode = false

        @Option(name: .customLong("rollout-survive"),
                help: ArgumentHelp("Plan the rollout so every purpose also survives k host failures at every step.", valueName: "k"))
        var rolloutSurvive: Int = 0

        func validate() throws {
            if rolloutSurvive < 0 { throw ValidationError("--rollout-survive must be 0 or more") }
            if fresh, from != nil { throw ValidationError("--fresh and --from cannot be used together") }
        }

        func run() throws {
            let outcome = DiffFrontend(check: options.checkFrontend(), out: out, from: from, fresh: fresh,
                                       rolloutSurvive: rolloutSurvive).run()
            throw ExitCode(DiffReport(file: options.spec, format: options.format, exitCode: exitCode,
                                      colour: DiffReport.colourOnStandardOutput()).print(outcome))
        }
    }
}
