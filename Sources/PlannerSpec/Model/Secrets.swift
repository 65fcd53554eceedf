/// Secret environment variables: `env: { DB_PASSWORD: { secret: true } }`. Their values are never in the
/// spec, never printed, never written: each host's Compose file names an env file (`env_file:`) that the
/// team puts on the host, by default `/etc/planner/<topology>/<purpose>.env`.
public enum Secrets {
    /// The env file holding a purpose's secrets on each host, unless the variable names its own `file:`.
    public static func defaultFile(topology: String, purpose: String) -> String {
        "/etc/planner/\(topology)/\(purpose).env"
    }

    public static func file(of variable: EnvVar, topology: String, purpose: String) -> String {
        variable.secretFile ?? defaultFile(topology: topology, purpose: purpose)
    }

    /// The env files of a purpose's secrets, in order of first use, without repeats.
    public static func files(of purpose: Purpose, topology: String) -> [String] {
        var seen = Set<String>()
        return purpose.env.filter(\.secret).map { file(of: $0, topology: topology, purpose: purpose.name) }
            .filter { seen.insert($0).inserted }
    }

    /// `file:` of a secret: an absolute path on the host of letters, digits and / . _ - (no `..`).
    public static func pathProblem(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return "write an absolute path on the host, for example /etc/shop/db.env" }
        if path.unicodeScalars.count > 255 { return "a path may be at most 255 characters" }
        guard path.unicodeScalars.allSatisfy({ $0.isASCIILetterOrDigit || "/._-".unicodeScalars.contains($0) }) else {
            return "use letters, digits and / . _ -"
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            return "empty, '.' and '..' parts are not allowed"
        }
        return nil
    }

    /// `--secrets DIR`: every secret the spec uses must be defined in the folder's copy of its env file
    /// (see `SecretsCheck`).
    public static func check(_ topology: Topology, directory: String) -> [Diagnostic] {
        SecretsCheck(topology: topology, directory: directory).run()
    }
}
