// What `planner diff` prints, and the summary line `plan` prints after writing.

import Foundation
import PlannerKit

struct DiffReport {
    var file: String
    var format: OutputFormat
    /// `--exit-code`: 3 for changes.
    var exitCode: Bool
    var colour: Bool

    /// The status `--exit-code` gives when the plan changes something (1 and 2 are taken).
    static let changesStatus: Int32 = 3

    /// Colour only when stdout is a terminal and NO_COLOR is unset or empty (no-color.org).
    static func colourOnStandardOutput() -> Bool {
        wantsColour(environment: ProcessInfo.processInfo.environment, isTerminal: isatty(STDOUT_FILENO) == 1)
    }

    static func wantsColour(environment: [String: String], isTerminal: Bool) -> Bool {
        if let value = environment["NO_COLOR"], !value.isEmpty { return false }
        return isTerminal
    }

    func print(_ outcome: DiffFrontend.Outcome) -> Int32 {
        switch outcome {
        case .unchecked(let checked):
            switch format {
            case .text:
                Swift.print(CheckReport.text(checked.result, file: file), terminator: "")
                StandardError.write("planner diff: no plan to compare; fix the errors above\n")
            case .json: Swift.print(CheckReport.json(checked.result, file: file, ok: false))
            }
            return checked.status
        case .failed(let message, let status):
            switch format {
            case .text: StandardError.write("planner diff: \(message)\n")
            case .json: Swift.print(JSONValue.object(["ok": .bool(false), "error": .string("planner diff: \(message)")]).rendered())
            }
            return status
        case .compared(let compared):
            switch format {
            case .text:
                var text = ""
                for diagnostic in compared.diagnostics { text += DiagnosticText.render(diagnostic, file: file) }
                if !compared.diagnostics.isEmpty { text += "\n" }
                Swift.print(text + Self.text(compared.diff, colour: colour), terminator: "")
            case .json:
                guard case .object(var object) = compared.diff.json else { return 1 }
                object["ok"] = .bool(true)
                object["topology"] = .string(compared.topology.name)
                object["out"] = .string(compared.directory)
                object["rollout_safe"] = .bool(compared.rollout.isSafe)
                if let replan = compared.replan { object["moves"] = PlanReport.movesJSON(replan, from: nil) }
                Swift.print(JSONValue.object(object).rendered())
            }
            return exitCode && compared.diff.hasChanges ? Self.changesStatus : 0
        }
    }

    /// Host by host, then balancer by balancer, then the summary line.
    static func text(_ diff: DeploymentDiff, colour: Bool) -> String {
        func paint(_ code: String, _ text: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        var text = ""
        for host in diff.hosts {
            guard host.hasChanges else {
                text += "host \(host.host): \(host.unchanged.count) unchanged\n"
                continue
            }
            text += "host \(host.host)" + (host.emptied ? " (left with nothing: docker compose down)" : "") + "\n"
            for service in host.start { text += paint("32", "  + \(label(service))") + "\n" }
            for service in host.stop { text += paint("31", "  - \(label(service))") + "\n" }
            for service in host.recreate {
                text += paint("33", "  ~ \(label(service))") + " (" + service.reasons.joined(separator: ", ") + ")\n"
            }
            if !host.unchanged.isEmpty { text += "  = " + host.unchanged.map(label).joined(separator: ", ") + "\n" }
        }
        for balancer in diff.balancers {
            text += "balancer \(balancer.balancer)" + (balancer.configChanged ? " (reloaded)" : "") + "\n"
            for line in balancer.added { text += paint("32", "  + \(line)") + "\n" }
            for line in balancer.removed { text += paint("31", "  - \(line)") + "\n" }
        }
        return text + diff.summary + "\n"
    }

    /// `web-2` alone when the service is named after its purpose, else `name (purpose)`.
    private static func label(_ service: DeploymentDiff.Service) -> String {
        service.name == service.purpose || service.name.hasPrefix(service.purpose + "-") || service.name.hasPrefix(service.purpose + "_")
            ? service.name : "\(service.name) (\(service.purpose))"
    }
}
