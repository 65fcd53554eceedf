// The flags every command that reads a spec shares, and the check frontend they configure.

import ArgumentParser
import PlannerKit

/// Flags every command that reads a spec shares.
struct SpecOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The topology file (.spec, .yaml or .yml).", valueName: "spec"))
    var spec: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .customLong("time-limit"),
            help: ArgumentHelp("Most seconds the placement search may take (a safety net; the search is bounded by --steps).",
                               valueName: "seconds"))
    // 10: well past what the step budget takes on every bench instance, so the steps, not the clock,
    // end a search and reruns agree (bench/RESULTS.md has the times).
    var timeLimit: Double = 10

    @Option(help: ArgumentHelp("Most search steps; the answer depends only on this, so reruns agree.", valueName: "n"))
    var steps: Int = 2_000_000

    @Flag(name: .customLong("no-progress"),
          help: ArgumentHelp("Never show the progress line of a long placement search (drawn on stderr only when it is "
                             + "a terminal and the format is text, once the search has run for half a second)."))
    var noProgress = false

    @Option(help: ArgumentHelp("A folder of env files holding the spec's secrets (as on the hosts: <purpose>.env, or the "
                               + "name of each secret's file:); checks that every secret is defined. Values are never printed.",
                               valueName: "dir"))
    var secrets: String?

    /// The frontend that reads and checks the spec as these flags ask. Its solves report to a progress line
    /// only for text output to a terminal (JSON is for scripts), and not with --no-progress; the line is
    /// erased as soon as the solve is over.
    func checkFrontend() -> CheckFrontend {
        var limits = SolverLimits(steps: steps, seconds: timeLimit)
        guard !noProgress, format == .text, let line = ProgressLine.onStandardError() else {
            return CheckFrontend(specPath: spec, secrets: secrets, limits: limits)
        }
        limits.progress = { line.show($0) }
        return CheckFrontend(specPath: spec, secrets: secrets, limits: limits, solveFinished: { line.finish() })
    }

    func validate() throws {
        guard timeLimit > 0, timeLimit.isFinite else { throw ValidationError("--time-limit must be a positive number of seconds") }
        guard steps > 0 else { throw ValidationError("--steps must be positive") }
    }
}
