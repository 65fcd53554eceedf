// The root command `planner`: its subcommands, and the exit status of every way out.

import ArgumentParser
import PlannerSpec
import Foundation

/// The `planner` command. `main.swift` only calls `Planner.runAsMain()`.
public struct Planner: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "planner",
        abstract: "Place one-purpose containers on your own hosts with no single point of failure.",
        discussion: """
            Write a topology (hosts, purposes) in YAML; `planner check` places every replica so that each purpose \
            survives the host, rack and zone failures it must, proves it, and says what to change when it cannot.

            Exit status: 0 when every rule holds, 1 when no placement exists (or --strict warnings fire), \
            2 for an unreadable or malformed spec or bad usage; `planner diff --exit-code` exits 3 when the plan \
            changes something.
            """,
        version: "0.1.0",
        subcommands: [Check.self, Simulate.self, Plan.self, Diff.self, Rollout.self]
    )

    public init() {}

    /// ArgumentParser's parse time grows with the square of the argument count; past this many the
    /// command line is refused before parsing. Every repeatable option takes commas instead.
    public static let argumentLimit = 1_000

    /// Parses the arguments and runs, mapping every way out to the documented exit statuses.
    public static func runAsMain(_ arguments: [String]? = nil) -> Never {
        let given = arguments ?? Array(CommandLine.arguments.dropFirst())
        if given.count > argumentLimit {
            StandardError.write("Error: \(given.count) arguments, more than the \(argumentLimit) planner reads; "
                                + "name several hosts in one --fail, separated by commas (--fail app1,app2)\n")
            Foundation.exit(2)
        }
        do {
            // From argv itself: a spec name that is not UTF-8 would lose its bytes in CommandLine.arguments.
            let raw = (1..<Int(CommandLine.argc)).compactMap { CommandLine.unsafeArgv[$0].map { RawPath.string(UnsafePointer($0)) } }
            var command = try parseAsRoot(arguments ?? raw)
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
            StandardError.write(message.hasSuffix("\n") ? message : message + "\n")
            Foundation.exit(2)
        }
    }
}
