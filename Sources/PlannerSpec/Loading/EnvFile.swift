// EnvFile: reading one env file of secrets from disk (`--secrets`): the names it defines, problems by line.
import Foundation

/// An env file of the kind Compose's `env_file:` names. Only the names it defines matter here; no line is ever shown.
enum EnvFile {
    /// The names an env file defines, or nil when it cannot be read; problems are located by line only.
    static func read(_ path: String) -> (Set<String>?, [Diagnostic]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let data = FileManager.default.contents(atPath: path) else { return (nil, []) }
        guard let text = String(data: data, encoding: .utf8) else {
            return (nil, [.error(.invalidEncoding, "the secrets file is not UTF-8", at: SourceLocation(file: path, line: 1, column: 1))])
        }
        var names = Set<String>()
        var problems: [Diagnostic] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            switch definedName(in: line) {
            case .success(let name?): names.insert(name)
            case .success(nil): break
            case .failure(let problem):
                problems.append(.error(.badValue, "line \(index + 1) of the secrets file: \(problem.message) (the line is not "
                                       + "shown: it may hold a secret)", at: SourceLocation(file: path, line: index + 1, column: 1)))
            }
        }
        return (names, problems)
    }

    /// One line of an env file: blank, a `#` comment, or `NAME=value`. Returns the name defined, nil for
    /// blanks and comments; fails (without the line's text, which may hold a secret) for anything else.
    static func definedName(in line: Substring) -> Result<String?, Problem> {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return .success(nil) }
        if trimmed.unicodeScalars.contains("\u{0}") { return .failure(.nul) }
        guard let equals = trimmed.firstIndex(of: "=") else { return .failure(.notAssignment) }
        let name = String(trimmed[..<equals])
        guard EnvNames.problem(with: name) == nil else { return .failure(.badName) }
        return .success(name)
    }

    enum Problem: Error {
        case nul, notAssignment, badName

        var message: String {
            switch self {
            case .nul: return "a NUL character cannot be in an environment variable"
            case .notAssignment: return "not NAME=value, a comment (#) or blank"
            case .badName: return "the name before '=' must be letters, digits and '_', not starting with a digit"
            }
        }
    }
}
