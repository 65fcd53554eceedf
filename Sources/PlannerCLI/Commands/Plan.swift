// `planner plan`: check, then write the deployment; print what was written.

import ArgumentParser
import PlannerKit

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

                Re-planning: when --out already holds a placement.json (or with --from FILE), plan starts from that \
                deployed placement and moves as few replicas as the rules allow, then optimises the strategy; it \
                prints `moves N`. --fresh plans from scratch. A replica of a purpose with a writable volume that \
                would move (its data stays behind) makes plan refuse to write (exit 2) unless --allow-stateful-moves.
                --rebalance lets the strategy's objective win over moves and prints what the moves buy (`peak 81% → \
                64% for 12 moves`); --max-moves N (implies --rebalance) allows at most N moves in all, and plan \
                writes nothing (exit 1) when the rules force more.

                It also writes rollout.json: the steps, one host (or one balancer replica) at a time, that take the \
                deployed placement to the new one with every purpose at or above min_available at every moment \
                (--rollout-survive K: and through K host failures). `planner rollout <out>` prints them with their \
                commands; `planner diff` shows the changes without writing. plan prints the summary of the changes \
                (`1 to start, 0 to stop, 0 moved, 3 recreated on 4 hosts`) and whether the rollout is safe; when no \
                safe order exists it says which purpose and host block it, and the fix, and still writes.

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

        @Option(help: ArgumentHelp("The deployed placement to re-plan from (placement.json or `check --format json`), "
                                   + "instead of <out>/placement.json.", valueName: "file"))
        var from: String?

        @Flag(help: "Plan from scratch: ignore the deployed placement (<out>/placement.json).")
        var fresh = false

        @Flag(name: .customLong("allow-stateful-moves"),
              help: "Write even when a replica of a purpose with a volume moves, leaving its data on the old host.")
        var allowStatefulMoves = false

        @Option(name: .customLong("rollout-survive"),
                help: ArgumentHelp("Order the rollout so every purpose also survives k host failures at every step.", valueName: "k"))
        var rolloutSurvive: Int = 0

        @Flag(help: "Re-plan for the strategy's objective first, moving replicas for it (fewest moves among equals).")
        var rebalance = false

        @Option(name: .customLong("max-moves"),
                help: ArgumentHelp("With --rebalance (implied): the best objective reachable moving at most N replicas "
                                   + "in all, those the rules force included.", valueName: "N"))
        var maxMoves: Int?

        func validate() throws {
            if rolloutSurvive < 0 { throw ValidationError("--rollout-survive must be 0 or more") }
            if let maxMoves, maxMoves < 0 { throw ValidationError("--max-moves must be 0 or more, not \(maxMoves)") }
            if fresh, rebalance || maxMoves != nil {
                throw ValidationError("--fresh plans from scratch; --rebalance and --max-moves need a deployed placement")
            }
            if dev, rebalance || maxMoves != nil { throw ValidationError("--dev does not re-plan; --rebalance and --max-moves do not apply") }
            if fresh, from != nil { throw ValidationError("--fresh and --from cannot be used together") }
            if dev, fresh || from != nil { throw ValidationError("--dev plans one replica of each purpose; --fresh and --from do not apply") }
        }

        func run() throws {
            var frontend = PlanFrontend(check: options.checkFrontend(), strict: strict, out: out, dev: dev, force: force,
                                        dryRun: dryRun, from: from, fresh: fresh, allowStatefulMoves: allowStatefulMoves,
                                        rebalance: rebalance || maxMoves != nil ? Rebalance(maxMoves: maxMoves) : nil)
            frontend.rolloutSurvive = rolloutSurvive
            let outcome = frontend.run()
            throw ExitCode(PlanReport(file: options.spec, format: options.format, dev: dev, dryRun: dryRun).print(outcome))
        }
    }
}
