// Why no placement exists, in terms a person can act on: each rule alone, then combinations.

import PlannerSpec

/// Says why no placement exists, in terms a person can act on: purposes, hosts, numbers, and a fix.
///
/// Each rule is checked on its own first (survival by construction, labels and host lists,
/// per-host capacity, spreading across hosts, racks and zones), then shared capacity, then pairs
/// of purposes that may not share a host, and only then the whole combination, which is narrowed
/// to a smallest set of purposes that cannot be placed together (a deletion filter).
struct Explainer {
    let topology: Topology
    let problem: PlacementProblem
    /// Steps for each sub-search of the combination stage.
    let subSearchSteps: Int

    // MARK: - Each purpose on its own, and shared capacity

    /// Problems visible without search. Empty when a search is worth running.
    func precheck() -> [Diagnostic] {
        var found: [Diagnostic] = []
        for (d, purpose) in topology.purposes.enumerated() {
            if let problem = survivalByConstruction(purpose) ?? eligibility(d, purpose) ?? perHostCapacity(d, purpose)
                ?? spreading(d, purpose) {
                found.append(problem)
            }
        }
        if found.isEmpty { found += sharedCapacity() }
        if found.isEmpty { found += separatedGroups() }
        return found
    }

    private func survivalByConstruction(_ purpose: Purpose) -> Diagnostic? {
        for domain in FailureBudget.Domain.allCases {
            let k = purpose.survive[domain]
            guard k > 0, purpose.tolerableLoss < k else { continue }
            // The fewest replicas that would survive, with min_available as written (majority grows with r).
            var needed = purpose.replicas
            while needed - purpose.minAvailable.resolved(replicas: needed) < k { needed += 1 }
            let failures = "\(k) \(domain.rawValue) failure\(k == 1 ? "" : "s")"
            let accept = "survive: { \(domain.plural): 0 }"
            let minimum = purpose.minAvailable == .majority ? "majority (\(purpose.required))" : "\(purpose.required)"
            var fixes = ["raise replicas to \(needed)"]
            if purpose.required > 1, purpose.minAvailable != .majority { fixes.append("lower min_available") }
            fixes.append("accept the risk explicitly with '\(accept)'")
            var notes: [Diagnostic.Note] = []
            if let written = writtenSurviveLocation(purpose) { notes.append(.init("the failures to survive are set here", at: written)) }
            return .error(.cannotSurvive,
                          "purpose '\(purpose.name)' has \(replicas(purpose.replicas)) and min_available \(minimum), so it cannot "
                          + "survive \(failures): each failure may take a replica, and it needs at least \(needed) replicas; "
                          + fixes.dropLast().joined(separator: ", ") + " or " + fixes.last!,
                          at: purpose.locations["replicas"], notes: notes)
        }
        return nil
    }

    private func eligibility(_ d: Int, _ purpose: Purpose) -> Diagnostic? {
        let eligible = problem.demands[d].eligible
        let at = purpose.locations["placement"]
        if eligible.isEmpty {
            var filters: [String] = []
            if !purpose.placement.labels.isEmpty { filters.append("labels [\(purpose.placement.labels.joined(separator: ", "))]") }
            if let hosts = purpose.placement.hosts { filters.append("host list [\(hosts.joined(separator: ", "))]") }
            return .error(.noEligibleHost, "purpose '\(purpose.name)' may run on no host: none matches its "
                          + filters.joined(separator: " and ") + "; add the labels to a host or widen placement", at: at)
        }
        if problem.capHistogram(d).isEmpty {
            let largest = eligible.max { (problem.hosts[$0].cpu, problem.hosts[$0].memory) < (problem.hosts[$1].cpu, problem.hosts[$1].memory) }!
            let host = problem.hosts[largest]
            return .error(.noEligibleHost, "purpose '\(purpose.name)' needs \(Quantity.formatCores(purpose.cpu)) cpu and "
                          + "\(Quantity.formatBytes(purpose.memory)) memory per replica, more than any host it may use has "
                          + "(the largest, '\(host.name)', has \(Quantity.formatCores(host.cpu)) cpu and "
                          + "\(Quantity.formatBytes(host.memory))); lower its cpu or memory or add a larger host",
                          at: purpose.locations["cpu"])
        }
        return nil
    }

    private func perHostCapacity(_ d: Int, _ purpose: Purpose) -> Diagnostic? {
        let total = problem.capHistogram(d).reduce(0) { $0 + $1.cap * $1.count }
        guard total < purpose.replicas else { return nil }
        let eligible = problem.demands[d].eligible
        let usable = eligible.filter { problem.staticCap(d, $0) > 0 }.map { problem.hosts[$0].name }
        var reasons: [String] = []
        if !purpose.ports.isEmpty { reasons.append("it publishes port \(purpose.ports[0].hostPort), so at most 1 replica per host") }
        if let cap = purpose.maxPerHost, cap < purpose.replicas { reasons.append("max_per_host is \(cap)") }
        if !purpose.survive.isNone, purpose.tolerableLoss < purpose.replicas {
            reasons.append("to survive a failure no host may hold more than \(purpose.tolerableLoss) (replicas − min_available)")
        }
        let byCapacity = eligible.reduce(0) { total, h in
            let host = problem.hosts[h]
            return total + Int(min(host.cpu / max(purpose.cpu, 1), host.memory / max(purpose.memory, 1), Int64(purpose.replicas)))
        }
        if byCapacity < purpose.replicas { reasons.append("their cpu and memory fit only \(byCapacity)") }
        return .error(.insufficientCapacity,
                      "purpose '\(purpose.name)' needs \(replicas(purpose.replicas)) but the \(usable.count) host"
                      + "\(usable.count == 1 ? "" : "s") it may use (\(quotedList(usable))) can take only \(total): "
                      + reasons.joined(separator: "; ") + "; add hosts it may use or lower replicas",
                      at: purpose.locations["replicas"])
    }

    private func spreading(_ d: Int, _ purpose: Purpose) -> Diagnostic? {
        let demand = problem.demands[d]
        for domain in FailureBudget.Domain.allCases {
            let k = purpose.survive[domain]
            guard k > 0 else { continue }
            var caps = Array(repeating: 0, count: problem.domainCount(domain))
            // Stop early once min(cap, ⌊L/k⌋) summed over domains covers every replica: that is already
            // a placement that keeps any k domains at or under L, so large clusters are not walked in full.
            let share = demand.tolerableLoss / k
            var covered = 0
            for h in demand.eligible where covered < purpose.replicas {
                let index = problem.domainIndex(domain, of: h)
                guard index >= 0 else { continue }
                let before = min(caps[index], share)
                caps[index] += problem.staticCap(d, h)
                covered += min(caps[index], share) - before
            }
            if covered >= purpose.replicas { continue }
            let most = SurvivalMath.maxPlaceable(caps: caps, k: k, tolerableLoss: demand.tolerableLoss)
            guard most < purpose.replicas else { continue }
            let usable = caps.indices.filter { caps[$0] > 0 }.map { problem.domainName(domain, $0) }
            let L = demand.tolerableLoss
            let rule = k == 1 ? "at most \(L) replica\(L == 1 ? "" : "s") per \(domain.rawValue)"
                : "any \(k) \(domain.plural) together may hold at most \(L) replicas"
            let needed = SurvivalMath.fewestDomains(replicas: purpose.replicas, required: purpose.required, k: k) ?? 0
            var message = "purpose '\(purpose.name)': \(replicas(purpose.replicas)) with min_available \(purpose.minAvailable)"
                + (purpose.minAvailable == .majority ? " (\(purpose.required))" : "")
                + " must survive \(k) \(domain.rawValue) failure\(k == 1 ? "" : "s"), so \(rule)"
            if usable.count < needed {
                message += ", but only \(usable.count) \(usable.count == 1 ? domain.rawValue : domain.plural)"
                    + (usable.isEmpty ? "" : " (\(usable.joined(separator: ", ")))")
                    + " \(usable.count == 1 ? "has" : "have") hosts it may use; it needs at least \(needed): "
                    + "add a host in \(ordinal(usable.count + 1)) \(domain.rawValue)"
                    + (needed - usable.count > 1 ? " (and \(needed - usable.count - 1) more)" : "")
                    + " or lower survive.\(domain.plural)"
            } else {
                message += ", and the \(usable.count) \(domain.plural) it may use can then hold only \(most) of its "
                    + "\(purpose.replicas) replicas; add capacity in more \(domain.plural) or lower survive.\(domain.plural)"
            }
            return .error(.insufficientSpread, message, at: surviveLocation(purpose),
                          notes: [.init("replicas set here", at: purpose.locations["replicas"])])
        }
        return nil
    }

    /// Demand of every group of purposes confined to the same hosts against those hosts' capacity.
    private func sharedCapacity() -> [Diagnostic] {
        var found: [Diagnostic] = []
        // One group per eligibility class, plus all hosts; a purpose belongs to every group holding its hosts.
        var classes: [Int: [Int]] = [:]
        for demand in problem.demands where classes[demand.eligibleClass] == nil { classes[demand.eligibleClass] = demand.eligible }
        let classList = classes.sorted { $0.key < $1.key }
        var groups: [[Int]] = [problem.hosts.indices.map { $0 }]
        for (_, hosts) in classList where hosts.count < problem.hosts.count { groups.append(hosts) }
        for hosts in groups {
            let inside = Set(hosts)
            let within = Set(classList.filter { $0.value.allSatisfy(inside.contains) }.map(\.key))
            let members = problem.demands.indices.filter { within.contains(problem.demands[$0].eligibleClass) }
            guard !members.isEmpty else { continue }
            for (resource, need, have) in [
                ("cpu", members.reduce(Int64(0)) { $0.saturatingPlus(problem.demands[$1].cpu.saturatingTimes(problem.demands[$1].replicas)) },
                 hosts.reduce(Int64(0)) { $0.saturatingPlus(problem.hosts[$1].cpu) }),
                ("memory", members.reduce(Int64(0)) { $0.saturatingPlus(problem.demands[$1].memory.saturatingTimes(problem.demands[$1].replicas)) },
                 hosts.reduce(Int64(0)) { $0.saturatingPlus(problem.hosts[$1].memory) }),
            ] where need > have {
                let format = resource == "cpu" ? Quantity.formatCores : Quantity.formatBytes
                let names = members.map { problem.demands[$0].name }
                let scope = hosts.count == problem.hosts.count ? "all \(hosts.count) hosts"
                    : "the \(hosts.count) hosts they may use (\(quotedList(hosts.map { problem.hosts[$0].name })))"
                found.append(.error(.insufficientCapacity,
                                    "not enough \(resource): \(names.count == 1 ? "purpose" : "purposes") \(quotedList(names)) need "
                                    + "\(format(need)) \(resource) in all, but \(scope) have \(format(have)); add at least "
                                    + "\(format(need - have)) \(resource) there or lower replicas or per-replica \(resource)",
                                    at: topology.locations["hosts"]))
                break
            }
            if !found.isEmpty { break }
        }
        return found
    }

    /// Purposes that pairwise may not share a host need disjoint hosts: more than their hosts can give.
    private func separatedGroups() -> [Diagnostic] {
        for clique in problem.conflictCliques() {
            let usable = Set(clique.members.flatMap { d in problem.demands[d].eligible.filter { problem.staticCap(d, $0) > 0 } })
            guard clique.hostsNeeded > usable.count else { continue }
            if clique.members.count == 2 { return [pairConflict(clique.members[0], clique.members[1])] }
            let names = clique.members.map { problem.demands[$0].name }
            let needs = clique.members.map { "'\(problem.demands[$0].name)' \(fewestHosts($0))" }
            let first = topology.purposes[clique.members[0]]
            return [.error(.conflictingPurposes,
                           "purposes \(quotedList(names, limit: 8)) may not share hosts with one another (avoid rules or the same "
                           + "published port), so they need \(clique.hostsNeeded) hosts between them (\(needs.joined(separator: ", "))), "
                           + "but only \(usable.count) hosts may run them; add hosts, publish different ports, or drop avoid rules",
                           at: first.locations.this,
                           notes: clique.members.dropFirst().map { .init("'\(problem.demands[$0].name)' is declared here",
                                                                         at: topology.purposes[$0].locations.this) })]
        }
        return []
    }

    // MARK: - Combinations

    /// Called when the full search proved there is no placement.
    func explainCombination() -> [Diagnostic] {
        // Pairs that may never share a host come first: they are the commonest cause and easy to state.
        for (d, demand) in problem.demands.enumerated() {
            for other in demand.conflicts where other > d && infeasible([d, other]) == true {
                return [pairConflict(d, other)]
            }
        }
        // Deletion filter: drop each purpose whose removal keeps the rest unplaceable.
        var set = Array(problem.demands.indices)
        for d in set {
            let without = set.filter { $0 != d }
            if !without.isEmpty, infeasible(without, searchingWhenRelaxationAdmits: false) == true { set = without }
        }
        return [combination(set)]
    }

    /// True: proven unplaceable; false: placeable; nil: undecided within the sub-search budget.
    /// Up to 40 hosts the configuration LP answers first: when it excludes every placement that is a
    /// proof. When it admits one and `searchingWhenRelaxationAdmits` is false, the answer is nil
    /// without a sub-search: on a tight cluster most subsets of an unplaceable set are placeable
    /// only just, and the sub-search would spend its whole budget on each without deciding it.
    private func infeasible(_ subset: [Int], searchingWhenRelaxationAdmits: Bool = true) -> Bool? {
        let restricted = problem.restricted(to: subset)
        if Solver(restricted).fitsCompleteSearch {
            var relaxation = ConfigurationLP(problem: restricted, cpuLimit: restricted.hosts.map(\.cpu),
                                             memoryLimit: restricted.hosts.map(\.memory))
            relaxation.meter = ConfigurationWork(steps: subSearchSteps, deadline: nil)
            switch relaxation.verdict() {
            case .excluded: return true
            case .admitted where !searchingWhenRelaxationAdmits: return nil
            case .admitted, .unknown: break
            }
        }
        let result = Solver(restricted, limits: .init(steps: subSearchSteps, feasibilityOnly: true)).solve()
        switch result.status {
        case .infeasible: return true
        case .unknown: return nil
        case .optimal, .feasible: return false
        }
    }

    private func pairConflict(_ a: Int, _ b: Int) -> Diagnostic {
        let pa = topology.purposes[a], pb = topology.purposes[b]
        var why: [String] = []
        if pa.placement.avoid.contains(pb.name) { why.append("'\(pa.name)' avoids '\(pb.name)'") }
        if pb.placement.avoid.contains(pa.name) { why.append("'\(pb.name)' avoids '\(pa.name)'") }
        let shared = Set(pa.ports.map(\.hostSide)).intersection(pb.ports.map(\.hostSide)).sorted()
        if !shared.isEmpty { why.append("both publish host port \(shared.joined(separator: ", "))") }
        let union = Set(problem.demands[a].eligible).union(problem.demands[b].eligible).sorted()
        let fewestA = fewestHosts(a), fewestB = fewestHosts(b)
        let location = pa.placement.avoid.contains(pb.name) ? pa.placement.itemLocations["avoid.\(pb.name)"]
            : pb.placement.avoid.contains(pa.name) ? pb.placement.itemLocations["avoid.\(pa.name)"] : pa.locations.this
        var fixes = ["add hosts they may use"]
        if !shared.isEmpty { fixes.append("publish a different host port in one of them") }
        if pa.placement.avoid.contains(pb.name) || pb.placement.avoid.contains(pa.name) { fixes.append("drop the avoid rule") }
        return .error(.conflictingPurposes,
                      "purposes '\(pa.name)' and '\(pb.name)' can never share a host (\(why.joined(separator: "; "))), and "
                      + "together they do not fit on the \(union.count) host\(union.count == 1 ? "" : "s") they may use"
                      + " (\(quotedList(union.map { problem.hosts[$0].name })))"
                      + ": '\(pa.name)' needs at least \(fewestA) and '\(pb.name)' at least \(fewestB) hosts of their own; "
                      + fixes.dropLast().joined(separator: ", ") + (fixes.count > 1 ? " or " : "") + fixes.last!,
                      at: location, notes: [.init("'\(pb.name)' is declared here", at: pb.locations.this)]
                        + suggestion(for: [a, b]))
    }

    private func combination(_ set: [Int]) -> Diagnostic {
        let names = set.map { problem.demands[$0].name }
        let hosts = Set(set.flatMap { problem.demands[$0].eligible }).sorted()
        let cpu = set.reduce(Int64(0)) { $0.saturatingPlus(problem.demands[$1].cpu.saturatingTimes(problem.demands[$1].replicas)) }
        let memory = set.reduce(Int64(0)) { $0.saturatingPlus(problem.demands[$1].memory.saturatingTimes(problem.demands[$1].replicas)) }
        let haveCPU = hosts.reduce(Int64(0)) { $0.saturatingPlus(problem.hosts[$1].cpu) }
        let haveMemory = hosts.reduce(Int64(0)) { $0.saturatingPlus(problem.hosts[$1].memory) }
        let fewest = set.map { "'\(problem.demands[$0].name)' at least \(fewestHosts($0))" }
        let subject = set.count == 1 ? "purpose \(quotedList(names))" : "purposes \(quotedList(names)) together"
        let message = "no placement exists for \(subject): on the \(hosts.count) host\(hosts.count == 1 ? "" : "s") "
            + "they may use they need \(Quantity.formatCores(cpu)) of \(Quantity.formatCores(haveCPU)) cpu and "
            + "\(Quantity.formatBytes(memory)) of \(Quantity.formatBytes(haveMemory)) memory, spread so each survives its "
            + "failures (\(fewest.joined(separator: ", ")) hosts), and the hosts' sizes leave no way to fit them; "
            + "add a host, or lower replicas, cpu or memory"
        let first = topology.purposes[set[0]]
        return .error(.noPlacement, message, at: first.locations.this,
                      notes: set.dropFirst().map { .init("'\(problem.demands[$0].name)' is declared here",
                                                         at: topology.purposes[$0].locations.this) } + suggestion(for: set))
    }

    /// A fix the solver has checked: one more host like an existing one.
    private func suggestion(for set: [Int]) -> [Diagnostic.Note] {
        let candidates = Set(set.flatMap { problem.demands[$0].eligible }).sorted {
            (problem.hosts[$0].cpu, problem.hosts[$0].memory, -$0) > (problem.hosts[$1].cpu, problem.hosts[$1].memory, -$1)
        }
        let needsZone = set.contains { problem.demands[$0].survive.zones > 0 }
        let needsRack = set.contains { problem.demands[$0].survive.racks > 0 }
        for template in candidates.prefix(3) {
            let grown = problem.adding(copyOf: template, name: "new-host", ownZone: needsZone, ownRack: needsRack)
            let result = Solver(grown.restricted(to: set), limits: .init(steps: subSearchSteps, feasibilityOnly: true)).solve()
            if result.status == .optimal || result.status == .feasible {
                let host = topology.hosts[template]
                let domain = needsZone ? " in a new zone" : needsRack ? " in a new rack" : ""
                return [.init("fix that works: add one more host like '\(host.name)' (\(Quantity.formatCores(host.cpu)) cpu, "
                              + "\(Quantity.formatBytes(host.memory))\(host.labels.isEmpty ? "" : ", labels [\(host.labels.joined(separator: ", "))]"))"
                              + domain, at: host.locations.this)]
            }
        }
        return []
    }

    // MARK: - Helpers

    private func fewestHosts(_ d: Int) -> Int { problem.fewestHosts(d) ?? problem.demands[d].eligible.count + 1 }

    private func surviveLocation(_ purpose: Purpose) -> SourceLocation? {
        writtenSurviveLocation(purpose) ?? purpose.locations.this
    }

    /// Where the purpose's failure budget was written, or nil when it is the default.
    private func writtenSurviveLocation(_ purpose: Purpose) -> SourceLocation? {
        purpose.locations.keys["survive"] ?? topology.locations.keys["failures"]
    }

    private func replicas(_ n: Int) -> String { "\(n) replica\(n == 1 ? "" : "s")" }

    private func ordinal(_ n: Int) -> String {
        let words = ["", "a first", "a second", "a third", "a fourth", "a fifth", "a sixth", "a seventh", "an eighth", "a ninth"]
        return n < words.count ? words[n] : "a \(n)th"
    }
}
