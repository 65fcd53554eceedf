// Comparing the deployed folder's files with the files the next plan writes.

import Foundation

/// Compares file contents by path (as `PlanEmitter.files` returns them and `DeployedFolder` reads them):
/// compose files service by service, balancer configurations by their `server` lines. Pure.
///
/// Design: the comparison is of what Compose and the balancers will see, not of placements, so every
/// cause of a recreate shows (an image, a variable, an endpoint list such as `REDIS_SENTINELS` after a
/// sentinel moved), including edits nobody placed. The re-plan's moves come from the placements.
public enum DeploymentDiffer {
    /// `strict` (diff): a deployed compose file that does not parse is an error. Otherwise (plan, which
    /// must be able to replace it) every service of the new file there counts as recreated.
    public static func diff(old: [String: String], new: [String: String], moved: Int,
                            strict: Bool = true) throws(SimulationInputError) -> DeploymentDiff {
        var hosts: [DeploymentDiff.HostChanges] = []
        let hostNames = Set((Array(old.keys) + Array(new.keys)).compactMap(hostName)).sorted()
        for host in hostNames {
            let path = "hosts/\(host)/compose.yaml"
            let after = try new[path].map(ComposeServices.parse) ?? ComposeServices()
            var before: ComposeServices
            // An unchanged file (the usual case on a re-plan) is parsed once.
            do { before = old[path] == new[path] ? after : try old[path].map(ComposeServices.parse) ?? ComposeServices() } catch {
                if strict { throw SimulationInputError("\(path): \(error.message)") }
                before = ComposeServices(services: after.services.mapValues { .init(purpose: $0.purpose, fields: ["unreadable deployed file": ""]) })
            }
            var changes = DeploymentDiff.HostChanges(host: host, emptied: new[path] == nil)
            for name in Set(before.services.keys).union(after.services.keys).sorted() {
                switch (before.services[name], after.services[name]) {
                case (nil, let added?): changes.start.append(.init(name: name, purpose: added.purpose))
                case (let gone?, nil): changes.stop.append(.init(name: name, purpose: gone.purpose))
                case (let was?, let will?):
                    if was.purpose != will.purpose {
                        changes.stop.append(.init(name: name, purpose: was.purpose))
                        changes.start.append(.init(name: name, purpose: will.purpose))
                    } else if was.fields != will.fields {
                        changes.recreate.append(.init(name: name, purpose: will.purpose, reasons: reasons(was.fields, will.fields)))
                    } else {
                        changes.unchanged.append(.init(name: name, purpose: will.purpose))
                    }
                case (nil, nil): break
                }
            }
            hosts.append(changes)
        }
        var balancers: [DeploymentDiff.BalancerChanges] = []
        for path in Set(old.keys).union(new.keys).sorted() where path.hasPrefix("balancers/") {
            let was = old[path] ?? "", will = new[path] ?? ""
            guard body(was) != body(will), let name = path.split(separator: "/").dropFirst().first.map(String.init) else { continue }
            let before = servers(was), after = servers(will)
            balancers.append(.init(balancer: name, added: after.filter { !before.contains($0) },
                                   removed: before.filter { !after.contains($0) }, configChanged: !will.isEmpty && !was.isEmpty))
        }
        return DeploymentDiff(hosts: hosts, balancers: balancers, moved: moved)
    }

    /// Why a service is recreated, from the fields that differ: one reason per kind, in a fixed order.
    static func reasons(_ was: [String: String], _ will: [String: String]) -> [String] {
        var reasons: [String] = []
        // What a person looks for first: the image, then the command and variables, then the rest by name.
        func rank(_ field: String) -> (Int, String) {
            switch field {
            case "image": return (0, field)
            case "command": return (1, field)
            default: return (field.hasPrefix("environment.") ? 2 : 3, field)
            }
        }
        for field in Set(was.keys).union(will.keys).sorted(by: { rank($0) < rank($1) }) where was[field] != will[field] {
            let reason: String
            if field.hasPrefix("environment.") {
                let name = String(field.dropFirst("environment.".count))
                reason = isEndpointList(was[field]) && isEndpointList(will[field]) ? "env \(name) (endpoints)" : "env \(name)"
            } else {
                switch field {
                case "cpus", "mem_limit": reason = "limits"
                case "env_file": reason = "secrets files"
                default: reason = field
                }
            }
            if !reasons.contains(reason) { reasons.append(reason) }
        }
        return reasons
    }

    /// `"10.0.1.1:26379,10.0.1.2:26379"`: what `@{purpose:port}` resolves to.
    static func isEndpointList(_ canonical: String?) -> Bool {
        guard let canonical, canonical.count > 2 else { return false }
        let items = canonical.dropFirst().dropLast().split(separator: ",")
        return !items.isEmpty && items.allSatisfy { item in
            let parts = item.split(separator: ":")
            return parts.count >= 2 && parts.last!.allSatisfy(\.isNumber) && !parts[0].isEmpty
        }
    }

    private static func hostName(_ path: String) -> String? {
        let parts = path.split(separator: "/")
        return parts.count == 3 && parts[0] == "hosts" && parts[2] == "compose.yaml" ? String(parts[1]) : nil
    }

    /// A configuration without its comment header (which names the spec file).
    private static func body(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("#") }.joined(separator: "\n")
    }

    /// The `server …` lines of an HAProxy or nginx configuration, trimmed.
    static func servers(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("server ") && !$0.hasSuffix("{") }
    }
}
