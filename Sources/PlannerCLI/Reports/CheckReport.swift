// What `planner check` prints: diagnostics, the placement table, survival, the verdict; or the same as JSON.

import Foundation
import PlannerKit
import PlannerSpec

/// Renders a `CheckResult` for people (text) and for programs (JSON, stable key order).
enum CheckReport {
    /// Prints the outcome as `format` asks and returns its exit status.
    static func print(_ outcome: CheckFrontend.Outcome, file: String, format: OutputFormat) -> Int32 {
        switch format {
        case .text: Swift.print(text(outcome.result, file: file), terminator: "")
        case .json: Swift.print(json(outcome.result, file: file, ok: outcome.status == 0))
        }
        return outcome.status
    }

    // MARK: - Text

    static func text(_ result: CheckResult, file: String) -> String {
        var out = ""
        for diagnostic in result.diagnostics { out += DiagnosticText.render(diagnostic, file: file) }
        guard let topology = result.topology, let placement = result.placement else {
            let errors = result.diagnostics.filter { $0.severity == .error }.count
            let warnings = result.diagnostics.filter { $0.severity == .warning }.count
            out += "\(ReportText.count(errors, "error")), \(ReportText.count(warnings, "warning")); no placement\n"
            return out
        }
        if !result.diagnostics.isEmpty { out += "\n" }
        out += placementTable(topology, placement, result.solver)
        out += "\n" + worstCases(topology, placement)
        let replicas = topology.purposes.reduce(0) { $0 + $1.replicas }
        let warnings = result.diagnostics.filter { $0.severity == .warning }.count
        let errors = result.diagnostics.filter { $0.severity == .error }.count
        let placed = "\(ReportText.count(replicas, "replica")) of \(ReportText.count(topology.purposes.count, "purpose")) on "
            + "\(ReportText.count(result.hostsUsed, "host"))"
        if errors > 0 {
            out += "\nfailed: \(ReportText.count(errors, "error")) above; the placement of \(placed) itself holds every rule "
                + "(checked by the verifier)\n"
        } else {
            out += "\nok: \(placed); every rule holds (checked by the verifier)"
                + (warnings > 0 ? "; \(ReportText.count(warnings, "warning"))" : "") + "\n"
        }
        return out
    }

    static func placementTable(_ topology: Topology, _ placement: PlacementCounts, _ solver: SolverResult?) -> String {
        var out = "placement of \(topology.name) (strategy \(topology.strategy.rawValue)"
        if let solver, let objective = solver.objective {
            out += ": \(objective)"
            switch solver.status {
            case .optimal: out += ", optimal"
            default:
                out += " (lower bound \(solver.lowerBound)"
                if let gap = solver.gapPercent { out += String(format: ", within %.1f%%", gap) }
                out += "), not proven optimal"
                if solver.heuristicOnly {
                    out += ": heuristic placement; the complete search runs up to \(Solver.completeSearchHosts) hosts"
                } else {
                    out += solver.stoppedByClock ? ": stopped by --time-limit, so a rerun may differ" : ": stopped by --steps"
                }
            }
        }
        out += ")\n"
        if topology.purposes.count > maximumColumns || topology.hosts.count > maximumRows {
            return out + zoneSummary(topology, placement)
        }
        var header = ["host"] + topology.purposes.map(\.name) + ["cpu", "memory"]
        var rows: [[String]] = []
        let zones = orderedZones(topology)
        for zone in zones {
            rows.append([zone.map { "zone \($0)" } ?? "no zone"])
            for host in topology.hosts where host.zone == zone {
                var cpu: Int64 = 0, memory: Int64 = 0
                var row = ["  " + host.name]
                for purpose in topology.purposes {
                    let n = placement[purpose.name]?[host.name] ?? 0
                    cpu = cpu.saturatingPlus(purpose.cpu.saturatingTimes(n))
                    memory = memory.saturatingPlus(purpose.memory.saturatingTimes(n))
                    row.append(n == 0 ? "." : String(n))
                }
                row.append("\(Quantity.formatCores(cpu))/\(Quantity.formatCores(host.cpu)) \(percent(cpu, host.cpu))")
                row.append("\(Quantity.formatBytes(memory))/\(Quantity.formatBytes(host.memory)) \(percent(memory, host.memory))")
                rows.append(row)
            }
        }
        header[0] = "host"
        return out + ReportText.table([header] + rows, rightAligned: Set(1...topology.purposes.count))
    }

    /// Larger topologies get a summary instead of a host-by-purpose grid; JSON has the full placement.
    static let maximumColumns = 12, maximumRows = 60

    static func zoneSummary(_ topology: Topology, _ placement: PlacementCounts) -> String {
        var cpu: [String: Int64] = [:], memory: [String: Int64] = [:], replicas: [String: Int] = [:]
        for purpose in topology.purposes {
            for (host, count) in placement[purpose.name] ?? [:] {
                cpu[host, default: 0] = cpu[host, default: 0].saturatingPlus(purpose.cpu.saturatingTimes(count))
                memory[host, default: 0] = memory[host, default: 0].saturatingPlus(purpose.memory.saturatingTimes(count))
                replicas[host, default: 0] += count
            }
        }
        var rows = [["zone", "hosts", "used", "replicas", "cpu", "memory", "fullest host"]]
        for zone in orderedZones(topology) {
            let hosts = topology.hosts.filter { $0.zone == zone }
            let used = hosts.filter { (replicas[$0.name] ?? 0) > 0 }
            let usedCPU = hosts.reduce(Int64(0)) { $0.saturatingPlus(cpu[$1.name] ?? 0) }
            let usedMemory = hosts.reduce(Int64(0)) { $0.saturatingPlus(memory[$1.name] ?? 0) }
            let haveCPU = hosts.reduce(Int64(0)) { $0.saturatingPlus($1.cpu) }
            let haveMemory = hosts.reduce(Int64(0)) { $0.saturatingPlus($1.memory) }
            let fullest = hosts.max { a, b in
                let ua = Utilisation.of(cpu: Double(cpu[a.name] ?? 0), memory: Double(memory[a.name] ?? 0),
                                        cpuCapacity: Double(a.cpu), memoryCapacity: Double(a.memory))
                let ub = Utilisation.of(cpu: Double(cpu[b.name] ?? 0), memory: Double(memory[b.name] ?? 0),
                                        cpuCapacity: Double(b.cpu), memoryCapacity: Double(b.memory))
                return ua != ub ? ua < ub : a.name > b.name
            }
            rows.append([zone ?? "(none)", String(hosts.count), String(used.count),
                         String(hosts.reduce(0) { $0 + (replicas[$1.name] ?? 0) }),
                         "\(Quantity.formatCores(usedCPU))/\(Quantity.formatCores(haveCPU)) \(percent(usedCPU, haveCPU))",
                         "\(Quantity.formatBytes(usedMemory))/\(Quantity.formatBytes(haveMemory)) \(percent(usedMemory, haveMemory))",
                         fullest.map(\.name) ?? "-"])
        }
        return ReportText.table(rows, rightAligned: [1, 2, 3], indent: "  ")
            + "  (\(topology.hosts.count) hosts × \(topology.purposes.count) purposes: --format json prints every count)\n"
    }

    /// Every purpose's worst case; for many purposes, the weakest (least margin over the minimum) first.
    static func worstCases(_ topology: Topology, _ placement: PlacementCounts) -> String {
        let hosts = Dictionary(topology.hosts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var entries: [(purpose: Purpose, remaining: Int, failure: String)] = []
        for purpose in topology.purposes {
            let worst = WorstCase.of(purpose, in: topology, placement: placement, hostsByName: hosts)
            let failure = worst.domain.map { "\($0.rawValue) \(worst.lost.joined(separator: ", "))" }
                ?? "none required (single point of failure accepted)"
            entries.append((purpose, worst.remaining, failure))
        }
        var omitted = 0
        if entries.count > 20 {
            entries = entries.enumerated().sorted { a, b in
                let ma = a.element.remaining - a.element.purpose.required, mb = b.element.remaining - b.element.purpose.required
                return ma != mb ? ma < mb : a.offset < b.offset
            }.map(\.element)
            omitted = entries.count - 20
            entries = Array(entries.prefix(20))
        }
        var rows = [["purpose", "replicas", "min", "after worst failure", "worst failure"]]
        for entry in entries {
            rows.append([entry.purpose.name, String(entry.purpose.replicas), String(entry.purpose.required),
                         String(entry.remaining), entry.failure])
        }
        let heading = omitted > 0 ? "survival (the 20 with the least margin; \(omitted) more):\n" : "survival:\n"
        return heading + ReportText.table(rows, rightAligned: [1, 2, 3], indent: "  ")
    }

    // MARK: - JSON

    static func json(_ result: CheckResult, file: String, ok: Bool) -> String {
        var object: [String: JSONValue] = [
            "ok": .bool(ok),
            "diagnostics": .array(result.diagnostics.map { DiagnosticJSON.value($0, file: file) }),
            "hosts_used": .int(result.hostsUsed),
        ]
        if let topology = result.topology { object["topology"] = .string(topology.name) }
        if let placement = result.placement {
            object["placement"] = .object(placement.mapValues { .object($0.mapValues { .int($0) }) })
        }
        if let solver = result.solver {
            var solve: [String: JSONValue] = ["status": .string(solver.status.rawValue), "steps": .int(solver.steps)]
            if solver.status == .feasible || solver.status == .unknown {
                solve["stopped_by"] = .string(solver.heuristicOnly ? "size" : solver.stoppedByClock ? "time-limit" : "steps")
            }
            if let gap = solver.gapPercent { solve["gap_percent"] = .number((gap * 100).rounded() / 100) }
            if let objective = solver.objective { solve["objective"] = objectiveValue(objective) }
            solve["lower_bound"] = objectiveValue(solver.lowerBound)
            object["solver"] = .object(solve)
        }
        return JSONValue.object(object).rendered()
    }

    static func objectiveValue(_ objective: Objective) -> JSONValue {
        switch objective {
        case .hostsUsed(let n): return .object(["hosts_used": .int(n)])
        case .peakUtilisation(let u): return .object(["peak_utilisation": .number((u * 10000).rounded() / 10000)])
        }
    }

    // MARK: - Helpers

    static func orderedZones(_ topology: Topology) -> [String?] {
        var zones: [String?] = []
        for host in topology.hosts where !zones.contains(host.zone) { zones.append(host.zone) }
        return zones
    }

    static func percent(_ used: Int64, _ capacity: Int64) -> String {
        "(\(Int((Double(used) / Double(capacity) * 100).rounded()))%)"
    }

}
