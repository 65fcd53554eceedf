// Compose files: one per host, and the laptop file of plan --dev.

import PlannerSpec
import Yams

/// Compose files, built as a YAML node tree and written by Yams (libyaml): no text is pasted together,
/// every string from the spec is a double-quoted scalar, and every `$` is doubled for Compose.
public enum ComposeEmitter {
    /// `hosts/<host>/compose.yaml` for `host`: one service per replica placed on it, or nil when it runs
    /// nothing. `here`: what runs on the host (purposes in file order, with their replica counts);
    /// `purposeNames`: every purpose's name. `PlanEmitter` works both out once for all hosts.
    static func hostFile(for host: Host, running here: [(purpose: Purpose, count: Int)], topology: Topology,
                         placement: PlacementCounts, specName: String, purposeNames: Set<String>) throws -> String? {
        var services: [(Node, Node)] = []
        var namedVolumes: [String] = []
        for (purpose, count) in here where count > 0 {
            for volume in purpose.volumes {
                if let name = VolumeMounts.volumeName(of: volume), !namedVolumes.contains(name) { namedVolumes.append(name) }
            }
            // The replicas of a purpose on one host differ only in their service name.
            let body = service(purpose, topology: topology, host: host.name, resolution: .placed(placement), configBase: "../..")
            for replica in 0..<count {
                services.append((quoted(serviceName(purpose.name, replica: replica, taken: purposeNames)), body))
            }
        }
        guard !services.isEmpty else { return nil }
        return try document(services, volumes: namedVolumes, specName: specName)
    }

    /// The laptop file of `plan --dev`: one replica of every purpose, reached by service name; `sourceBase`
    /// is the spec's folder relative to the output folder (dev sources are relative to the spec).
    public static func developmentFile(topology: Topology, specName: String, sourceBase: String) throws -> String {
        var services: [(Node, Node)] = []
        var published = Set<String>()
        for purpose in topology.purposes {
            var dev = purpose
            // One machine: a host port goes to the first purpose (in file order) that publishes it.
            dev.ports = purpose.ports.filter { published.insert($0.hostSide).inserted }
            services.append((quoted(purpose.name), service(dev, topology: topology, host: nil, resolution: .development,
                                                           configBase: ".", sourceBase: sourceBase)))
        }
        return try document(services, specName: specName)
    }

    /// `web` for the first replica on a host, then `web-2`, `web-3`…; `web_2` if a purpose is called `web-2`.
    static func serviceName(_ purpose: String, replica: Int, taken: Set<String>) -> String {
        guard replica > 0 else { return purpose }
        let dashed = "\(purpose)-\(replica + 1)"
        return taken.contains(dashed) ? "\(purpose)_\(replica + 1)" : dashed
    }

    /// `volumes`: named volumes the services mount, declared at the top level as Compose requires.
    private static func document(_ services: [(Node, Node)], volumes: [String] = [], specName: String) throws -> String {
        var top: [(String, Node)] = [("services", .mapping(.init(services)))]
        if !volumes.isEmpty {
            top.append(("volumes", .mapping(.init(volumes.map { (quoted($0), Node.mapping(.init([], .implicit, .flow))) }))))
        }
        let root = mapping(top)
        let yaml = try Yams.serialize(node: root, indent: 2, width: -1, allowUnicode: true)
        return GeneratedHeader.comment(specName: specName) + "\n" + yaml
    }

    /// `host` nil: the development file (no limits, no volumes, no logging; dev sources mounted).
    private static func service(_ purpose: Purpose, topology: Topology, host: String?, resolution: EndpointResolution,
                                configBase: String, sourceBase: String = ".") -> Node {
        let balancer = topology.balancers.first { $0.name == purpose.name }
        var fields: [(String, Node)] = [("image", quoted(escaped(purpose.image)))]
        if let command = purpose.command {
            if purpose.commandIsString, command.count == 1 {
                fields.append(("command", quoted(escaped(command[0]))))
            } else {
                fields.append(("command", sequence(command.map { quoted(escaped($0)) })))
            }
        }
        let visible = purpose.env.filter { !$0.secret }
        if !visible.isEmpty {
            fields.append(("environment", .mapping(.init(visible.map {
                (quoted($0.name), quoted(escaped(resolution.resolve($0.value, in: topology))))
            }))))
        }
        // Secrets: never a value, only the env file the team puts on the host (or, in development, next to the spec).
        let secretFiles = Secrets.files(of: purpose, topology: topology.name).map { file in
            host != nil ? file : join(sourceBase, "secrets/" + (file.split(separator: "/").last.map(String.init) ?? file))
        }
        if !secretFiles.isEmpty {
            fields.append(("env_file", sequence(secretFiles.map { quoted(escaped($0)) })))
        }
        if !purpose.ports.isEmpty {
            fields.append(("ports", sequence(purpose.ports.map { quoted($0.description) })))
        }
        var volumes: [String] = []
        if let balancer {
            volumes.append("\(configBase)/balancers/\(balancer.name)/\(balancer.kind.configFile):\(balancer.kind.configPath):ro")
        }
        if host != nil {
            volumes += purpose.volumes
        } else {
            for source in purpose.devSources {
                guard case .success(let mount) = DevSources.parse(source) else { continue }
                let path = mount.source.hasPrefix("/") ? mount.source : join(sourceBase, mount.source)
                volumes.append("\(path):\(mount.target)" + (mount.mode.map { ":\($0)" } ?? ""))
            }
        }
        if !volumes.isEmpty {
            fields.append(("volumes", sequence(volumes.map { quoted(escaped($0)) })))
        }
        fields.append(("restart", quoted("unless-stopped")))
        if let check = purpose.healthcheck {
            fields.append(("healthcheck", healthcheck(check)))
        }
        if host != nil {
            fields.append(("cpus", plain(cores(purpose.cpu))))
            fields.append(("mem_limit", quoted(dockerBytes(purpose.memory))))
            if let logging = topology.logging {
                var options: [(Node, Node)] = []
                if let address = logging.address { options.append((quoted("syslog-address"), quoted(escaped(address)))) }
                options.append((quoted("tag"), quoted("\(topology.name)/\(purpose.name)")))
                fields.append(("logging", mapping([("driver", quoted(logging.driver.rawValue)), ("options", .mapping(.init(options)))])))
            }
        }
        var labels: [(Node, Node)] = [
            (quoted("planner.topology"), quoted(topology.name)),
            (quoted("planner.purpose"), quoted(purpose.name)),
        ]
        labels.append((quoted("planner.host"), quoted(host ?? "dev")))
        fields.append(("labels", .mapping(.init(labels))))
        return mapping(fields)
    }

    private static func healthcheck(_ check: Healthcheck) -> Node {
        let test: [String]
        switch check.test {
        case .http(let path, let port):
            // The path is limited to a safe charset (no quote); single quotes keep ? and & from the shell.
            let url = "'http://127.0.0.1:\(port)\(path)'"
            test = ["CMD-SHELL", "curl -fsS -o /dev/null \(url) || wget -q -O /dev/null \(url) || exit 1"]
        case .command(let words): test = ["CMD"] + words
        case .shell(let line): test = ["CMD-SHELL", line]
        }
        return mapping([
            ("test", sequence(test.map { quoted(escaped($0)) })),
            ("interval", quoted(Durations.render(check.interval))),
            ("timeout", quoted(Durations.render(check.timeout))),
            ("retries", plain(String(check.retries))),
        ])
    }

    // MARK: - Values

    /// Millicores as Docker's `--cpus` reads them: `2`, `0.5`, `1.25`.
    static func cores(_ millicores: Int64) -> String {
        let whole = millicores / 1000, fraction = millicores % 1000
        guard fraction != 0 else { return String(whole) }
        var digits = String(fraction)
        digits = String(repeating: "0", count: 3 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    /// Bytes in the largest of Docker's binary units that divides them: `2g`, `256m`, `64k`, `1000b`.
    static func dockerBytes(_ bytes: Int64) -> String {
        for (unit, shift) in [("g", 30), ("m", 20), ("k", 10)] where bytes % (Int64(1) << shift) == 0 {
            return "\(bytes >> shift)\(unit)"
        }
        return "\(bytes)b"
    }

    /// Makes a text safe to pass through Compose, which interpolates `$`: each `$` becomes `$$`.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "$" { out += "$$" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    private static func join(_ base: String, _ relative: String) -> String {
        var rest = Substring(relative)
        while rest.hasPrefix("./") { rest = rest.dropFirst(2) }
        if rest == "." || rest.isEmpty { return base }
        return base == "." ? "./" + rest : base + "/" + rest
    }

    /// The tag of every scalar: a string, outright. Yams otherwise resolves an implicit tag by matching
    /// each scalar against its regular expressions (bool, int, float, null…), the costliest part of `plan`
    /// on large topologies; the written text is the same, as the style alone decides the quoting
    /// and the tag is never written. One shared tag, because building a `Tag` builds Yams's default
    /// constructor tables; sharing it is safe because it is only read (Yams changes a tag only while
    /// resolving an implicit one).
    nonisolated(unsafe) private static let string = Tag(.str)
    private static func quoted(_ text: String) -> Node { .scalar(.init(text, string, .doubleQuoted)) }
    private static func plain(_ text: String) -> Node { .scalar(.init(text, string, .plain)) }
    private static func sequence(_ items: [Node]) -> Node { .sequence(.init(items, .implicit, .block)) }
    private static func mapping(_ fields: [(String, Node)]) -> Node {
        .mapping(.init(fields.map { (plain($0.0), $0.1) }, .implicit, .block))
    }
}
