// `planner rollout`: the steps of DIR/rollout.json for a person, with the command each one runs.

import ArgumentParser
import PlannerKit

extension Planner {
    struct Rollout: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the rollout `planner plan` wrote (DIR/rollout.json): the steps in order, with their commands.",
            discussion: """
                Each step runs on one host, from the output folder copied there: `docker compose -p <topology> -f \
                hosts/<host>/compose.yaml up -d --remove-orphans`, `docker compose -p <topology> down \
                --remove-orphans` for a host left with nothing, or a balancer replica recreated to read its new \
                configuration. Run them one at a time, in order, each once its containers are healthy: then every \
                purpose stays at or above its minimum throughout (`planner simulate SPEC --rollout FILE` replays \
                them to prove it).

                Exit status: 0 when the order is safe, 1 when plan found no order that keeps every purpose at \
                its minimum (the problems and the proposed fix are printed), 2 for a missing or malformed file.
                """
        )

        @Argument(help: ArgumentHelp("The output folder holding rollout.json, or the file itself.", valueName: "dir"))
        var path: String

        @Option(help: "Output format: text or json.")
        var format: OutputFormat = .text

        func run() throws {
            throw ExitCode(RolloutReport(format: format).print(RolloutFrontend(path: path).run()))
        }
    }
}
