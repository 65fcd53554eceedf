/// `--secrets DIR`: checks that `DIR/<file name>` defines every secret the spec uses (the folder mirrors the
/// hosts' env files, by the last part of each path). Diagnostics never quote a line of those files.
struct SecretsCheck {
    let topology: Topology
    let directory: String

    func run() -> [Diagnostic] {
        var found: [Diagnostic] = []
        var parsed: [String: Set<String>?] = [:]
        for purpose in topology.purposes {
            for variable in purpose.env where variable.secret {
                let hostFile = Secrets.file(of: variable, topology: topology.name, purpose: purpose.name)
                let name = hostFile.split(separator: "/").last.map(String.init) ?? hostFile
                let local = (directory.hasSuffix("/") ? directory : directory + "/") + name
                if parsed[local] == nil {
                    let (names, problems) = EnvFile.read(local)
                    parsed[local] = .some(names)
                    found += problems
                }
                guard let names = parsed[local] ?? nil else {
                    if !found.contains(where: { $0.location?.file == local && $0.code == .unreadableFile }) {
                        found.append(.error(.unreadableFile, "cannot read the secrets file of purpose '\(purpose.name)' "
                                            + "(on the hosts: \(hostFile))", at: SourceLocation(file: local, line: 1, column: 1)))
                    }
                    continue
                }
                if !names.contains(variable.name) {
                    found.append(.error(.missingKey, "secret \(variable.name) of purpose '\(purpose.name)' is not defined in \(local) "
                                        + "(add a line \(variable.name)=…; on the hosts the file is \(hostFile))",
                                        at: variable.location ?? purpose.locations["env"]))
                }
            }
        }
        return found
    }
}
