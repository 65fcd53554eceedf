// The fix proposed when no order exists: where a temporary extra replica can run, checked first.

import PlannerSpec

/// For a rollout with no safe order, the fix that makes one, checked before it is proposed: one
/// temporary extra replica of a purpose the search proved would do (`Rollout.fixPurposes`), on an
/// existing host that has room for it both before and after the rollout and where the Verifier
/// accepts the new placement with it; else one extra host, of the purpose's size and labels.
/// The temporary replica runs as its own Compose project, so no step's `--remove-orphans` stops it.
public enum RolloutFix {
    public static func propose(_ rollout: Rollout, topology: Topology) -> String? {
        for name in rollout.fixPurposes {
            guard let purpose = topology.purposes.first(where: { $0.name == name }) else { continue }
            let project = "\(topology.name)-temporary"
            if let host = host(for: purpose, rollout: rollout, topology: topology) {
                return "fix: start one temporary extra replica of \(name) on \(host) before the rollout and stop it after it "
                    + "(as its own project: docker compose -p \(project) …); then an order exists (checked: \(host) has room for "
                    + "it before and after, and the verifier accepts the new placement with it)"
            }
            let labels = purpose.placement.labels.isEmpty ? "" : ", labels [\(purpose.placement.labels.joined(separator: ", "))]"
            return "fix: add one host (cpu \(ComposeEmitter.cores(purpose.cpu)), memory \(ComposeEmitter.dockerBytes(purpose.memory))\(labels)) "
                + "running one temporary extra replica of \(name) during the rollout; then an order exists (no existing host "
                + "has room for it)"
        }
        return nil
    }

    /// The first host by name that can hold one more replica of `purpose` before and after the rollout.
    static func host(for purpose: Purpose, rollout: Rollout, topology: Topology) -> String? {
        var extended = topology
        guard let index = extended.purposes.firstIndex(where: { $0.name == purpose.name }) else { return nil }
        extended.purposes[index].replicas += 1
        extended.purposes[index].minAvailable = .count(purpose.required)
        let sizes = Dictionary(topology.purposes.map { ($0.name, ($0.cpu, $0.memory)) }) { a, _ in a }
        for host in topology.hosts.sorted(by: { $0.name < $1.name }) {
            var after = rollout.to
            after[purpose.name, default: [:]][host.name, default: 0] += 1
            guard Verifier.violations(of: after, in: extended).isEmpty else { continue }
            // Before: what runs there now, by the new sizes (a purpose the spec lost: unknown, so not this host).
            var cpu = purpose.cpu, memory = purpose.memory, known = true
            for (name, perHost) in rollout.from {
                guard let count = perHost[host.name], count > 0 else { continue }
                guard let size = sizes[name] else { known = false; break }
                cpu += size.0 * Int64(count)
                memory += size.1 * Int64(count)
            }
            if known, cpu <= host.cpu, memory <= host.memory { return host.name }
        }
        return nil
    }
}
