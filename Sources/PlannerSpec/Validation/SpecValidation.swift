/// Checks that need the whole topology: references between entries, failure domains,
/// and the team's container standards (as warnings). Gathers every problem in one pass.
struct SpecValidation {
    let topology: Topology
    let declaredHosts: Set<String>
    let declaredPurposes: Set<String>
    var incompletePlacements: [(purpose: String, placement: Placement)] = []

    func run() -> [Diagnostic] {
        var found: [Diagnostic] = []
        found += references()
        found += failureDomains()
        found += lints()
        found += environmentSizes()
        return found
    }

    /// The limits of `EnvLimits`: each variable, each purpose's total, and what the plan would write.
    private func environmentSizes() -> [Diagnostic] {
        var found: [Diagnostic] = []
        var planned: Int64 = 0
        for purpose in topology.purposes {
            var total = 0
            let before = found.count
            for variable in purpose.env {
                let size = EnvLimits.bytes(variable)
                total += size
                if size > EnvLimits.variableBytes {
                    found.append(.error(.tooLarge, "env \(variable.name) of purpose '\(purpose.name)' takes \(size) bytes; Linux starts "
                                        + "no process with a variable larger than 128 KiB (MAX_ARG_STRLEN), so its containers "
                                        + "could not start", at: variable.location ?? purpose.locations["env"]))
                }
            }
            // One diagnostic per cause: a too-large variable already explains the totals.
            if found.count == before, total > EnvLimits.purposeBytes {
                found.append(.error(.tooLarge, "the environment of purpose '\(purpose.name)' takes \(total) bytes; with the default "
                                    + "8 MiB stack Linux passes at most 2 MiB of arguments and environment (ARG_MAX)",
                                    at: purpose.locations["env"]))
            }
            planned = planned.saturatingPlus(Int64(total).saturatingTimes(purpose.replicas))
        }
        if found.isEmpty, planned > EnvLimits.planBytes {
            found.append(.error(.tooLarge, "the plan would write \(planned) bytes of environment values (each replica repeats "
                                + "its purpose's env), more than the 256 MiB planner writes; move large values into files "
                                + "in the image or an env file on the hosts", at: topology.locations["purposes"]))
        }
        return found
    }

    private func references() -> [Diagnostic] {
        var found: [Diagnostic] = []
        let hostNames = declaredHosts.sorted()
        let purposeNames = declaredPurposes.sorted()
        let labelSet = Set(topology.hosts.flatMap(\.labels))
        let allLabels = labelSet.sorted()
        let placements = topology.purposes.map { ($0.name, $0.placement) } + incompletePlacements.map { ($0.purpose, $0.placement) }
        for (name, placement) in placements {
            let at = { (key: String) in placement.itemLocations[key] }
            for host in placement.hosts ?? [] where !declaredHosts.contains(host) {
                found.append(.error(.unknownHost, "purpose '\(name)' names host '\(host)', which is not in hosts"
                                    + didYouMean(host, among: hostNames), at: at("hosts.\(host)")))
            }
            for other in placement.avoid {
                if other == name {
                    found.append(.error(.badValue, "purpose '\(name)' cannot avoid itself; use max_per_host: 1 "
                                        + "to keep its replicas apart", at: at("avoid.\(other)")))
                } else if !declaredPurposes.contains(other) {
                    found.append(.error(.unknownPurpose, "purpose '\(name)' avoids '\(other)', which is not a purpose"
                                        + didYouMean(other, among: purposeNames), at: at("avoid.\(other)")))
                }
            }
            for label in placement.labels where !labelSet.contains(label) {
                found.append(.error(.unknownLabel, "purpose '\(name)' needs label '\(label)', which no host carries"
                                    + didYouMean(label, among: allLabels), at: at("labels.\(label)")))
            }
        }
        return found
    }

    /// Survival across racks or zones needs every host the purpose may use to name its rack or zone.
    private func failureDomains() -> [Diagnostic] {
        var found: [Diagnostic] = []
        // Usually every host names its rack and zone: then there is nothing to look for per purpose.
        let withoutDomain = [FailureBudget.Domain.rack, .zone].map { domain in topology.hosts.filter { $0.domain(domain) == nil } }
        for purpose in topology.purposes {
            for (index, domain) in [FailureBudget.Domain.rack, .zone].enumerated() where purpose.survive[domain] > 0 {
                let missing = withoutDomain[index].filter(purpose.placement.admits)
                guard !missing.isEmpty else { continue }
                let key = purpose.locations.keys["survive"] != nil ? "survive" : nil
                let at = key.map { purpose.locations[$0] } ?? topology.locations["failures"] ?? purpose.locations.this
                let code: DiagnosticCode = domain == .zone ? .missingZone : .missingRack
                let names = missing.map(\.name)
                found.append(.error(code, "purpose '\(purpose.name)' must survive \(purpose.survive[domain]) \(domain.rawValue) "
                                    + "failure\(purpose.survive[domain] == 1 ? "" : "s"), but \(quotedList(names)) "
                                    + "\(names.count == 1 ? "has" : "have") no \(domain.rawValue); give "
                                    + "\(names.count == 1 ? "it" : "each") a '\(domain.rawValue):'",
                                    at: at ?? nil,
                                    notes: missing.prefix(5).map { .init("host '\($0.name)' is here", at: $0.locations.this) }))
            }
        }
        var zoneOfRack: [String: Host] = [:]
        for host in topology.hosts {
            guard let rack = host.rack else { continue }
            if let first = zoneOfRack[rack] {
                if first.zone != host.zone {
                    found.append(.error(.rackInTwoZones, "rack '\(rack)' is in zone '\(host.zone ?? "(none)")' on host "
                                        + "'\(host.name)' but in zone '\(first.zone ?? "(none)")' on host '\(first.name)'; "
                                        + "a rack lies within one zone", at: host.locations["rack"],
                                        notes: [.init("host '\(first.name)' is here", at: first.locations["rack"])]))
                }
            } else {
                zoneOfRack[rack] = host
            }
        }
        return found
    }

    private func lints() -> [Diagnostic] {
        var found: [Diagnostic] = []
        for purpose in topology.purposes {
            let image = ImageReference(purpose.image)
            let at = purpose.locations["image"]
            if image.digest == nil, image.tag == nil || image.tag == "latest" {
                let what = image.tag == nil ? "has no tag" : "is tagged 'latest'"
                found.append(.warning(.unpinnedImage, "image '\(Names.printable(purpose.image))' of purpose '\(purpose.name)' "
                                      + "\(what); pin a version so every host runs the same build", at: at))
            }
            if let registry = topology.registry, !purpose.image.hasPrefix(registry + "/") {
                found.append(.warning(.foreignRegistry, "image '\(Names.printable(purpose.image))' of purpose '\(purpose.name)' "
                                      + "is not from the registry '\(registry)'",
                                      at: at, notes: [.init("registry set here", at: topology.locations["registry"])]))
            }
            if purpose.survive.isNone {
                let key = purpose.locations.keys["survive"] != nil ? purpose.locations["survive"] : topology.locations["failures"]
                found.append(.warning(.singlePointOfFailure, "purpose '\(purpose.name)' accepts a single point of failure "
                                      + "(it need not survive any host failure)", at: key ?? purpose.locations.this))
            }
        }
        for balancer in topology.balancers where balancer.kind == .nginx {
            for route in balancer.routes where route.checkInterval % 1000 != 0 {
                let seconds = Durations.renderWholeSeconds(route.checkInterval)
                found.append(.warning(.roundedDuration, "check_interval \(Durations.render(route.checkInterval)) of balancer "
                                      + "'\(balancer.name)' (listen \(route.listen)) is written to nginx.conf as \(seconds): "
                                      + "nginx's fail_timeout takes whole seconds",
                                      at: route.locations["check_interval"]))
            }
        }
        return found
    }
}
