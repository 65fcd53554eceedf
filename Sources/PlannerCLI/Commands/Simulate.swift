// `planner simulate`: what failures do to a placement; print the scenario and the analyses.

import ArgumentParser
import PlannerKit

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

                --rollout FILE replays a rollout.json that plan wrote instead: each step's state while it runs, its \
                worst purpose (least room above its minimum) and any purpose below it; exit 1 if one is, or if the \
                steps do not reach the planned placement.

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

        @Option(help: ArgumentHelp("Replay this rollout (DIR/rollout.json, as plan writes it) step by step against the spec's "
                                   + "min_available, printing each state's worst purpose.", valueName: "file"))
        var rollout: String?

        @Option(name: .customLong("rollout-survive"),
                help: ArgumentHelp("With --rollout: hold every state through k host failures (default: the file's).", valueName: "k"))
        var rolloutSurvive: Int?

        func validate() throws {
            for (flag, value) in [("--any", anyHosts), ("--any-racks", anyRacks), ("--any-zones", anyZones)] {
                if let value, value < 1 { throw ValidationError("\(flag) must be at least 1") }
            }
            guard limit >= 0 else { throw ValidationError("--limit must be 0 or more") }
            if rollout != nil, placement != nil || !fail.isEmpty || anyHosts != nil || anyRacks != nil || anyZones != nil {
                throw ValidationError("--rollout replays a rollout; it does not take --placement, --fail or --any")
            }
            if rollout == nil, rolloutSurvive != nil { throw ValidationError("--rollout-survive needs --rollout") }
            if let rolloutSurvive, rolloutSurvive < 0 { throw ValidationError("--rollout-survive must be 0 or more") }
        }

        func run() throws {
            if let rollout {
                let outcome = RolloutReplayFrontend(check: options.checkFrontend(), rollout: rollout, survive: rolloutSurvive).run()
                throw ExitCode(RolloutReplayReport.print(outcome, file: options.spec, format: options.format))
            }
            let outcome = SimulateFrontend(check: options.checkFrontend(), placement: placement, fail: fail, anyHosts: anyHosts,
                                           anyRacks: anyRacks, anyZones: anyZones, limit: limit).run()
            throw ExitCode(SimulateReport.print(outcome, file: options.spec, format: options.format))
        }
    }
}
