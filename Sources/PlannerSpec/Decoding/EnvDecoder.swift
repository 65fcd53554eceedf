// EnvDecoder: a purpose's `env:`, plain values and secrets read from an env file on the hosts.
import Yams

/// `NAME: value`, or `NAME: { secret: true [, file: /host/path.env] }`. No message about a variable's
/// value quotes it: a value written where a secret belongs may be one.
struct EnvDecoder {
    let reader: NodeReader

    static let secretKeys = ["secret", "file"]

    func decode(_ node: Node, of what: String) -> [EnvVar] {
        guard let entries = reader.mapping(node, "env of \(what)") else { return [] }
        var env: [EnvVar] = []
        for entry in entries {
            if let problem = EnvNames.problem(with: entry.key) {
                reader.error(.invalidName, "environment variable '\(Names.printable(entry.key))' of \(what) is not valid: \(problem)",
                             at: entry.keyNode)
                continue
            }
            var variable: EnvVar
            if case .mapping = entry.value {
                guard let secret = decodeSecret(entry.value, name: entry.key, of: what) else { continue }
                variable = secret
            } else if reader.isNull(entry.value) {
                variable = EnvVar(entry.key, "")
            } else if case .scalar(let scalar) = entry.value {
                if let problem = ContainerText.problem(with: scalar.string) {
                    reader.error(.badValue, "env \(entry.key) of \(what) is not valid: \(problem)", at: entry.value)
                    continue
                }
                variable = EnvVar(entry.key, scalar.string)
            } else {
                reader.error(.wrongType, "env \(entry.key) of \(what) must be a string or { secret: true }, found "
                             + "\(reader.describe(entry.value))", at: entry.value)
                continue
            }
            variable.location = reader.location(entry.keyNode)
            env.append(variable)
        }
        return env
    }

    private func decodeSecret(_ node: Node, name: String, of what: String) -> EnvVar? {
        let context = "env \(name) of \(what)"
        guard let fields = reader.mapping(node, context) else { return nil }
        var ok = true
        for entry in fields where !Self.secretKeys.contains(entry.key) {
            if ["value", "default"].contains(entry.key) {
                reader.error(.unknownKey, "a secret's value does not belong in the spec (\(context)): put \(name)=… in the env "
                             + "file on the hosts (see 'file'); the value is not shown here", at: entry.keyNode)
            } else {
                reader.error(.unknownKey, "unknown key '\(Names.printable(String(entry.key.prefix(40))))' in \(context); "
                             + "expected secret, file", at: entry.keyNode)
            }
            ok = false
        }
        let field = fields.value(of:)
        if let flag = field("secret") {
            if case .scalar(let scalar) = flag, scalar.style == .plain, scalar.string == "true" {
                // the one accepted form
            } else {
                reader.error(.badValue, "secret of \(context) must be 'true'; the value itself goes in the env file on the "
                             + "hosts, never in the spec (what was written is not shown)", at: flag)
                ok = false
            }
        } else {
            reader.error(.missingKey, "\(context) is a mapping but has no 'secret: true'; write a plain value, or "
                         + "{ secret: true } for a value read from an env file on the hosts", at: node)
            ok = false
        }
        var file: String? = nil
        if let fileNode = field("file") {
            if let text = reader.string(fileNode, "file of \(context)") {
                if let problem = Secrets.pathProblem(text) {
                    reader.error(.badValue, "file '\(Names.printable(String(text.prefix(80))))' of \(context) is not valid: \(problem)",
                                 at: fileNode)
                    ok = false
                } else {
                    file = text
                }
            } else { ok = false }
        }
        return ok ? EnvVar.secret(name, file: file) : nil
    }
}
