// What `planner simulate` prints: the scenario and analyses as text or JSON, or why there are none.

import PlannerKit
import PlannerSpec

/// Renders what `planner simulate` found, for people (text) and for programs (JSON, stable key order).
struct SimulateReport {
    var result: SimulationResult

    /// Prints the outcome as `format` asks (invalid input as text goes to stderr) and returns the exit
    /// status it earns: 0 when every purpose keeps its minimum in every simulated scenario, 1 when one
    /// goes down or there is no placement, 2 for invalid input.
    static func print(_ outcome: SimulateFrontend.Outcome, file: String, format: OutputFormat) -> Int32 {
        switch outcome {
        case .simulated(let result):
            let report = SimulateReport(result: result)
            let status: Int32 = result.isDown ? 1 : 0
            switch format {
            case .text: Swift.print(report.text(), terminator: "")
            case .json: Swift.print(report.json(ok: status == 0))
            }
            return status
        case .invalid(let message):
            switch format {
            case .text: StandardError.write("planner simulate: error: \(message)\n")
            case .json: Swift.print(JSONValue.object(["ok": .bool(false), "errors": .array([.string(message)])]).rendered())
            }
            return 2
        case .unplaced(let diagnostics, let status, let note):
            switch format {
            case .text:
                var out = diagnostics.map { DiagnosticText.render($0, file: file) }.joined()
                if let note { out += "\(note)\n" }
                Swift.print(out, terminator: "")
            case .json:
                var object: [String: JSONValue] = [
                    "ok": .bool(false),
                    "diagnostics": .array(diagnostics.map { DiagnosticJSON.value($0, file: file) }),
                ]
                if let note { object["errors"] = .array([.string(note)]) }
                Swift.print(JSONValue.object(object).rendered())
            }
            return status
        }
    }

    // MARK: - Text

    func text() -> String {
        let topology = result.topology
        var out = ""
        for warning in result.warnings { out += "warning: \(warning)\n" }
        let balancers = topology.balancers.count
        out += "simulating \(topology.name): \(topology.hosts.count) hosts, "
            + "\(ReportText.count(topology.purposes.count - balancers, "purpose"))"
            + (balancers > 0 ? " and \(ReportText.count(balancers, "balancer"))" : "") + "; placement "
            + (result.source == "solver" ? "found by the solver (as `planner check` places it)" : "from \(result.source)") + "\n"
        if result.usedDefault {
            let budget = result.analyses.map { "\($0.k) \($0.k == 1 ? $0.domain.rawValue : $0.domain.plural)" }.joined(separator: ", ")
            out += "no --fail or --any given: analysing the spec's failure budget (\(budget))\n"
        }
        if let scenario = result.scenario { out += "\n" + scenarioText(scenario) }
        for analysis in result.analyses { out += "\n" + analysisText(analysis) }
        return out
    }

    func scenarioText(_ scenario: SimulationScenario) -> String {
        let named = scenario.selectors.map(\.description).joined(separator: ", ")
        let hosts = scenario.failedHosts
        var out = "scenario: \(named) \(scenario.selectors.count == 1 ? "fails" : "fail")"
        if hosts != scenario.selectors.map(\.description) {
            out += " (\(ReportText.count(hosts.count, "host")): \(hosts.joined(separator: ", ")))"
        }
        out += "\n"
        var rows = [["purpose", "left", "min", "status", "after that"]]
        for state in scenario.purposes {
            rows.append([state.name + (state.isBalancer ? " (balancer)" : ""), "\(state.left)/\(state.replicas)", minText(state.required, majority: state.isMajority),
                         statusText(state.status, majority: state.isMajority), nextText(state)])
        }
        out += ReportText.table(rows, rightAligned: [1, 2], indent: "  ")
        let lost = scenario.capacityLost, all = scenario.capacity
        out += "  lost: \(hosts.count) of \(ReportText.count(scenario.hostCount, "host")), "
            + "\(Quantity.formatCores(lost.cpu)) of \(Quantity.formatCores(all.cpu)) cores, "
            + "\(Quantity.formatBytes(lost.memory)) of \(Quantity.formatBytes(all.memory)) memory\n"
        out += "  to re-home: \(ReportText.count(scenario.replicasLost, "replica")) "
            + "(\(Quantity.formatCores(scenario.displaced.cpu)) cores, \(Quantity.formatBytes(scenario.displaced.memory))); "
            + "free on the \(ReportText.count(scenario.hostCount - hosts.count, "host")) left: "
            + "\(Quantity.formatCores(scenario.spare.cpu)) cores, \(Quantity.formatBytes(scenario.spare.memory))\n"
        let down = scenario.down, degraded = scenario.degraded
        if down.isEmpty {
            out += "ok: no purpose down"
            if !degraded.isEmpty {
                out += "; degraded: " + degraded.map { "\($0.name) (\($0.left) of \($0.replicas), min \($0.required))" }
                    .joined(separator: ", ")
                let edge = degraded.filter { $0.margin == 0 }
                if !edge.isEmpty {
                    out += "; one more host failure takes down " + edge.map { "\($0.name) (\(Self.sum($0.nextCut)))" }
                        .joined(separator: ", ")
                }
            }
            out += "\n"
        } else {
            out += "DOWN: " + down.map { state in
                "\(state.name) (\(state.left) of \(state.replicas), needs \(state.required)"
                    + (state.isMajority ? ": quorum lost" : "") + ")"
            }.joined(separator: ", ") + "\n"
        }
        return out
    }

    func analysisText(_ analysis: SimulationAnalysis) -> String {
        let domain = analysis.domain
        var out = "any \(analysis.k) of \(analysis.units.count) \(domain.plural)"
        if !analysis.after.isEmpty { out += " after \(analysis.after.joined(separator: ", ")) \(analysis.after.count == 1 ? "fails" : "fail")" }
        out += " (\(analysis.scenarioCount.map { ReportText.count($0, "scenario") } ?? "more scenarios than fit in a 64-bit count")"
        out += ")\n"
        let cutHeader = "smallest cut"
        var header = ["purpose", "left", "min", "worst \(analysis.k)", "status", cutHeader, "survives", "notes"]
        if domain == .host { header[6] = "survives any" }
        var rows = [header]
        for exposure in analysis.purposes {
            var notes: [String] = []
            if exposure.worstStatus == .down && exposure.isMajority { notes.append("quorum lost") }
            if exposure.left < exposure.required {
                notes.append("down before these failures")
            } else if exposure.worstStatus == .down {
                if exposure.acceptsSinglePointOfFailure {
                    notes.append("single point of failure accepted")
                } else if exposure.isBeyondBudget(k: analysis.k) {
                    notes.append("beyond its budget (survive \(domain.plural): \(exposure.budget))")
                } else {
                    notes.append("within its budget (survive \(domain.plural): \(exposure.budget))")
                }
            }
            let worst = exposure.worstUnits.isEmpty ? "\(exposure.worstLeft) left"
                : "\(exposure.worstLeft) left: \(units(exposure.worstUnits, domain))"
            rows.append([exposure.name + (exposure.isBalancer ? " (balancer)" : ""), "\(exposure.left)/\(exposure.replicas)",
                         minText(exposure.required, majority: exposure.isMajority), worst, exposure.worstStatus.rawValue,
                         cutText(exposure.cut, domain), survivesText(exposure, domain: domain), notes.joined(separator: "; ")])
        }
        out += ReportText.table(rows, rightAligned: [1, 2], indent: "  ")

        if analysis.weakest.isEmpty {
            out += "  weakest: none; no set of \(domain.plural) takes any purpose down\n"
        } else {
            let weakest = analysis.purposes.filter { analysis.weakest.contains($0.name) }
            let size = weakest.first?.cut?.count ?? 0
            out += "  weakest: " + (size == 0 ? "already down: " : "down after \(size) \(size == 1 ? domain.rawValue : domain.plural): ")
                + weakest.map { exposure in
                    exposure.cut.map { $0.isEmpty ? exposure.name : "\(exposure.name) (\(units($0, domain)))" } ?? exposure.name
                }.joined(separator: ", ") + "\n"
        }

        if !analysis.failureSets.isEmpty {
            out += "  failure sets that take purposes down, worst first (every \(domain.rawValue) in a set is needed):\n"
            var rows: [[String]] = []
            for set in analysis.failureSets {
                var row = [units(set.units, domain), "down: " + set.down.joined(separator: ", ")]
                if !set.degraded.isEmpty { row.append("degraded: " + set.degraded.joined(separator: ", ")) }
                rows.append(row)
            }
            out += ReportText.table(rows, indent: "    ")
            if analysis.failureSetCount > analysis.failureSets.count || analysis.isTruncated {
                out += "    (\(analysis.failureSets.count) of \(analysis.isTruncated ? "at least " : "")\(analysis.failureSetCount) shown"
                    + (analysis.isTruncated ? "; " + stopped(analysis) : "; --limit 0 lists all") + ")\n"
            }
        } else if analysis.isTruncated {
            out += "  failure sets: none found before the " + stopped(analysis) + "\n"
        }

        let down = analysis.downPurposes
        if down.isEmpty {
            out += "ok: every purpose keeps its minimum when any \(analysis.k) "
                + (analysis.k == 1 ? "\(domain.rawValue) fails\n" : "\(domain.plural) fail\n")
        } else {
            out += "DOWN: \(down.count) of \(ReportText.count(analysis.purposes.count, "purpose")) can go down"
            if let worst = analysis.failureSets.first {
                out += "; the worst set, \(units(worst.units, domain)), takes down \(worst.down.count)"
            } else if let already = down.first(where: { $0.left < $0.required }) {
                out += "; \(already.name) is down already"
            }
            out += "\n"
        }
        return out
    }

    /// Why a failure-set enumeration is partial, and what stays exact.
    func stopped(_ analysis: SimulationAnalysis) -> String {
        "enumeration stopped at its "
            + (analysis.stoppedByClock ? "time limit (--time-limit; a rerun may list other sets)" : "work limit (--steps)")
            + ", the per-purpose figures above are exact"
    }

    func minText(_ required: Int, majority: Bool) -> String { majority ? "\(required) (majority)" : String(required) }

    func statusText(_ status: SimulationStatus, majority: Bool) -> String {
        status == .down && majority ? "down (quorum lost)" : status.rawValue
    }

    func cutText(_ cut: [String]?, _ domain: FailureBudget.Domain) -> String {
        guard let cut else { return "none" }
        return cut.isEmpty ? "(down already)" : units(cut, domain)
    }

    /// `app1 + app2`, `zone=a + zone=b`: as `--fail` takes them.
    func units(_ names: [String], _ domain: FailureBudget.Domain) -> String {
        Self.sum(names.map { FailureSelector(domain, $0).description })
    }

    /// Most members of a cut the text names; the rest are counted (`--format json` lists them all).
    /// A purpose spread over 200 hosts has a cut of about 200, which made one line thousands of characters.
    static let namedMembers = 6

    /// `a + b + c`, or for a long list its first `namedMembers` and how many in all.
    static func sum(_ members: [String]) -> String {
        guard members.count > namedMembers else { return members.joined(separator: " + ") }
        return members.prefix(namedMembers).joined(separator: " + ") + " + … (\(members.count) in all)"
    }

    func survivesText(_ exposure: SimulationExposure, domain: FailureBudget.Domain) -> String {
        func count(_ n: Int?, _ noun: String) -> String {
            guard let n else { return "all \(noun)s" }
            return "\(n) \(noun)\(n == 1 ? "" : "s")"
        }
        if domain == .host { return count(exposure.survivesHosts, "host") }
        return count(exposure.survives, domain.rawValue) + ", " + count(exposure.survivesHosts, "host")
    }

    func nextText(_ state: SimulationPurposeState) -> String {
        if state.status == .down { return "down: \(state.left) left, needs \(state.required)" }
        guard let margin = state.margin else { return "no further host failure takes it down" }
        let cut = Self.sum(state.nextCut)
        if margin == 0 { return "down if \(cut) \(state.nextCut.count == 1 ? "fails" : "fail") too" }
        return "survives any \(margin) more \(margin == 1 ? "host" : "hosts"); \(cut) would take it down"
    }

    // MARK: - JSON

    func json(ok: Bool) -> String {
        var object: [String: JSONValue] = [
            "ok": .bool(ok),
            "topology": .string(result.topology.name),
            "placement_source": .string(result.source),
            "warnings": .array(result.warnings.map(JSONValue.string)),
            "analyses": .array(result.analyses.map(analysisJSON)),
            "default_budget": .bool(result.usedDefault),
        ]
        if let scenario = result.scenario { object["scenario"] = scenarioJSON(scenario) }
        return JSONValue.object(object).rendered()
    }

    func scenarioJSON(_ scenario: SimulationScenario) -> JSONValue {
        .object([
            "fail": .array(scenario.selectors.map { .string($0.description) }),
            "failed_hosts": .array(scenario.failedHosts.map(JSONValue.string)),
            "purposes": .array(scenario.purposes.map { state in
                .object([
                    "purpose": .string(state.name),
                    "balancer": .bool(state.isBalancer),
                    "replicas": .int(state.replicas),
                    "left": .int(state.left),
                    "min_available": .int(state.required),
                    "majority": .bool(state.isMajority),
                    "status": .string(state.status.rawValue),
                    "more_host_failures_survived": state.margin.map(JSONValue.int) ?? .null,
                    "next_cut": .array(state.nextCut.map(JSONValue.string)),
                ])
            }),
            "down": .array(scenario.down.map { .string($0.name) }),
            "degraded": .array(scenario.degraded.map { .string($0.name) }),
            "replicas_lost": .int(scenario.replicasLost),
            "capacity_lost": resources(scenario.capacityLost),
            "capacity": resources(scenario.capacity),
            "displaced": resources(scenario.displaced),
            "spare": resources(scenario.spare),
        ])
    }

    func analysisJSON(_ analysis: SimulationAnalysis) -> JSONValue {
        .object([
            "domain": .string(analysis.domain.rawValue),
            "k": .int(analysis.k),
            "after": .array(analysis.after.map(JSONValue.string)),
            "units": .int(analysis.units.count),
            "scenarios": analysis.scenarioCount.map(JSONValue.int) ?? .null,
            "purposes": .array(analysis.purposes.map { exposure in
                .object([
                    "purpose": .string(exposure.name),
                    "balancer": .bool(exposure.isBalancer),
                    "replicas": .int(exposure.replicas),
                    "left": .int(exposure.left),
                    "min_available": .int(exposure.required),
                    "majority": .bool(exposure.isMajority),
                    "budget": .int(exposure.budget),
                    "accepted_single_point_of_failure": .bool(exposure.acceptsSinglePointOfFailure),
                    "worst_left": .int(exposure.worstLeft),
                    "worst_status": .string(exposure.worstStatus.rawValue),
                    "worst_units": .array(exposure.worstUnits.map(JSONValue.string)),
                    "cut": exposure.cut.map { .array($0.map(JSONValue.string)) } ?? .null,
                    "survives": exposure.survives.map(JSONValue.int) ?? .null,
                    "survives_hosts": exposure.survivesHosts.map(JSONValue.int) ?? .null,
                    "host_cut": exposure.hostCut.map { .array($0.map(JSONValue.string)) } ?? .null,
                ])
            }),
            "weakest": .array(analysis.weakest.map(JSONValue.string)),
            "failure_sets": .array(analysis.failureSets.map { set in
                .object([
                    "units": .array(set.units.map(JSONValue.string)),
                    "down": .array(set.down.map(JSONValue.string)),
                    "degraded": .array(set.degraded.map(JSONValue.string)),
                    "capacity_lost": resources(set.capacityLost),
                ])
            }),
            "failure_set_count": .int(analysis.failureSetCount),
            "truncated": .bool(analysis.isTruncated),
            "stopped_by_clock": .bool(analysis.stoppedByClock),
            "down": .array(analysis.downPurposes.map { .string($0.name) }),
        ])
    }

    func resources(_ value: SimulationResources) -> JSONValue {
        .object(["cpu_millicores": .int(Int(value.cpu)), "memory_bytes": .int(Int(value.memory))])
    }
}
