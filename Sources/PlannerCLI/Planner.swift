import ArgumentParser
import Foundation
import PlannerKit
import PlannerSpec

/// The `planner` command. `main.swift` only calls `Planner.runAsMain()`.
public struct Planner: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "planner",
        abstract: "Place one-purpose containers on your own hosts with no single point of failure.",
        discussion: """
            Write a topology (hosts, purposes) in YAML; `planner check` places every replica so that each purpose \
            survives the host, rack and zone failures it must, proves it, and says what to change when it cannot.

            Exit status: 0 when every rule holds, 1 when no placement exists (or --strict warnings fire), \
            2 for an unreadable or malformed spec or bad usage.
            """,
        version: "0.1.0",
        subcommands: [Check.self, Simulate.self, Plan.self]
    )

    public init() {}

    /// Parses the arguments and runs, mapping every way out to the documented exit statuses.
    public static func runAsMain(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Foundation.exit(0)
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Planner.exit(withError: error)   // --help, --version
            }
            // Bad usage is status 2, like a malformed spec, whatever ArgumentParser would choose.
            let message = fullMessage(for: error)
            FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// Flags every command that reads a spec shares.
struct SpecOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The topology file (.spec, .yaml or .yml).", valueName: "spec"))
    var spec: String

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .customLong("time-limit"),
            help: ArgumentHelp("Most seconds the placement search may take (a safety net; the search is bounded by --steps).",
                               valueName: "seconds"))
    // 10: the step budget ends every bench instance (up to 10,000 hosts) within about 5 s on a
    // 2-core machine; at 5 the clock sometimes ended the 10,000-host ones first, and reruns could differ.
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

    /// The spec, and with --secrets the check that every secret it uses is defined there.
    func loadSpec() -> LoadedSpec {
        var spec = SpecLoader.load(path: spec)
        if let secrets, let topology = spec.topology {
            spec.diagnostics = (spec.diagnostics + Secrets.check(topology, directory: secrets)).sorted()
        }
        return spec
    }

    /// Loads, validates and places the spec, as `check` does, with the exit status it earns:
    /// 2 for a malformed spec, 1 when it cannot be placed (or `strict` and warnings fired), else 0.
    func check(strict: Bool) -> (result: CheckResult, status: Int32, spec: LoadedSpec) {
        let spec = loadSpec()
        let (limits, progress) = solverLimits()
        var result = CheckPipeline.check(spec, limits: limits)
        progress?.finish()
        if strict {
            result.diagnostics = result.diagnostics.map { diagnostic in
                var diagnostic = diagnostic
                if diagnostic.severity == .warning { diagnostic.severity = .error }
                return diagnostic
            }
        }
        let status: Int32 = result.hasInputErrors ? 2
            : (!result.isPlaced || result.diagnostics.contains { $0.severity == .error }) ? 1 : 0
        return (result, status, spec)
    }

    /// The search limits of --steps and --time-limit, and the progress line they report to, if any: only
    /// for text output to a terminal (JSON is for scripts), and not with --no-progress.
    func solverLimits() -> (limits: SolverLimits, progress: ProgressLine?) {
        var limits = SolverLimits(steps: steps, seconds: timeLimit)
        guard !noProgress, format == .text, let line = ProgressLine.onStandardError() else { return (limits, nil) }
        limits.progress = { line.show($0) }
        return (limits, line)
    }

    func validate() throws {
        guard timeLimit > 0, timeLimit.isFinite else { throw ValidationError("--time-limit must be a positive number of seconds") }
        guard steps > 0 else { throw ValidationError("--steps must be positive") }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
