/// `@{purpose:port}` in an environment value: replaced by `plan` with a comma-separated list of
/// `address:port` of every placed replica of the purpose (its host's address and the host port
/// published for that container port). `@@{` writes a literal `@{`.
public enum EndpointReferences {
    public enum Piece: Sendable, Hashable {
        case text(String)
        case reference(purpose: String, port: Int)
    }

    public static func parse(_ value: String) -> Result<[Piece], ValueError> {
        var pieces: [Piece] = []
        var text = ""
        let scalars = Array(value.unicodeScalars)
        var index = 0
        func flush() {
            if !text.isEmpty { pieces.append(.text(text)); text = "" }
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "@", index + 2 < scalars.count, scalars[index + 1] == "@", scalars[index + 2] == "{" {
                text += "@{"
                index += 3
                continue
            }
            if scalar == "@", index + 1 < scalars.count, scalars[index + 1] == "{" {
                guard let close = scalars[(index + 2)...].firstIndex(of: "}") else {
                    return .failure(ValueError("'@{' is not closed; write @{purpose:port} (or @@{ for a literal '@{')"))
                }
                let inner = String(String.UnicodeScalarView(scalars[(index + 2)..<close]))
                let parts = inner.split(separator: ":", omittingEmptySubsequences: false)
                guard parts.count == 2, let port = Int(parts[1]), parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                      (1...65535).contains(port) else {
                    return .failure(ValueError("'@{\(Names.printable(inner))}' is not a reference; "
                                               + "write @{purpose:port} with the purpose's container port"))
                }
                let name = String(parts[0])
                if let problem = Names.problem(with: name) {
                    return .failure(ValueError("'@{\(Names.printable(inner))}' does not name a purpose: \(problem)"))
                }
                flush()
                pieces.append(.reference(purpose: name, port: port))
                index = close + 1
                continue
            }
            text.unicodeScalars.append(scalar)
            index += 1
        }
        flush()
        return .success(pieces)
    }
}
