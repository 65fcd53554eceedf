// SpecText: the bytes of a spec file to a YAML node tree, with the guards that run before libYAML.
import Foundation
import Yams

/// Turns the bytes of a spec file into a YAML node tree, or says precisely why it cannot.
///
/// Parsing stops at the first problem of this kind (encoding, YAML syntax, duplicate keys):
/// nothing after it can be trusted.
public enum SpecText {
    /// Larger files are refused before parsing: a topology is written by people. Only one byte past it is
    /// read, so the real size is not known: the message says "larger than 16 MiB".
    public static let maximumBytes = 16 << 20
    /// Flow collections nested deeper than this are refused before libYAML and Yams recurse into them.
    public static let maximumFlowDepth = 64
    /// Content indented further than this is refused for the same reason (block nesting needs indentation).
    public static let maximumIndent = 512

    public static func parse(bytes: [UInt8], file: String) -> Result<Node, Diagnostic> {
        let at = { (line: Int, column: Int) in SourceLocation(file: file, line: line, column: column) }
        if bytes.count > maximumBytes {
            return .failure(.error(.tooLarge, "file is larger than 16 MiB; a spec may be at most 16 MiB (\(maximumBytes) bytes)",
                                   at: at(1, 1)))
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let text: String
        switch decodeUTF8(body) {
        case .success(let decoded): text = decoded
        case .failure(let position):
            return .failure(.error(.invalidEncoding, "file is not valid UTF-8 (byte 0x\(String(format: "%02X", position.byte)))",
                                   at: at(position.line, position.column)))
        }
        if text.allSatisfy({ $0.isWhitespace }) || onlyComments(text) {
            return .failure(.error(.emptyFile, "spec is empty; it needs at least 'topology', 'hosts' and 'purposes'",
                                   at: at(1, 1)))
        }
        if let tooDeep = nestingProblem(text) {
            return .failure(.error(.tooLarge, tooDeep.message, at: at(tooDeep.line, tooDeep.column)))
        }
        if let aliasKey = aliasUsedAsKey(text) {
            return .failure(.error(.wrongType, "an alias (*\(aliasKey.name)) cannot be a key: keys must be plain strings",
                                   at: at(aliasKey.line, aliasKey.column)))
        }
        if let problem = aliasProblem(text) {
            return .failure(.error(problem.code, problem.message, at: at(problem.line, problem.column)))
        }
        do {
            // The basic resolver: we read every scalar ourselves, and the default one runs a regular
            // expression per scalar (Yams hashes resolved tags when it checks for duplicate keys).
            guard let node = try Yams.compose(yaml: text, .basic) else {
                return .failure(.error(.emptyFile, "spec is empty; it needs at least 'topology', 'hosts' and 'purposes'",
                                       at: at(1, 1)))
            }
            return .success(node)
        } catch let error as YamlError {
            return .failure(diagnostic(for: error, text: text, file: file))
        } catch {
            return .failure(.error(.yamlSyntax, "cannot parse YAML: \(error)", at: at(1, 1)))
        }
    }

    // MARK: - Errors from Yams

    static func diagnostic(for error: YamlError, text: String, file: String) -> Diagnostic {
        let at = { (mark: Position) in SourceLocation(file: file, line: max(mark.line, 1), column: max(mark.column, 1)) }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var notes: [Diagnostic.Note] = []
            if let context, context.mark.line != mark.line || context.mark.column != mark.column {
                notes.append(.init(context.text, at: at(Position(context.mark))))
            }
            return .error(.yamlSyntax, explain(problem, line: mark.line, in: text), at: at(Position(mark)), notes: notes)
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? "?"
            let first = at(Position(context.mark))
            let second = secondOccurrence(of: key, after: Position(context.mark), in: text).map(at)
            if let second {
                return .error(.duplicateKey, "duplicate key '\(key)'; each key may appear once in a mapping",
                              at: second, notes: [.init("first written here", at: first)])
            }
            return .error(.duplicateKey, "duplicate key '\(key)'; each key may appear once in a mapping", at: first)
        case let .reader(problem, offset, _, _):
            let mark = offset.map { position(ofCharacterOffset: $0, in: text) } ?? Position(line: 1, column: 1)
            return .error(.invalidEncoding, "cannot read the file: \(problem)", at: at(mark))
        default:
            return .error(.yamlSyntax, "cannot parse YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }

    /// libYAML's wording, with the hint people need most often.
    private static func explain(_ problem: String, line: Int, in text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let hasTab = line >= 1 && line <= lines.count && lines[line - 1].contains("\t")
        if problem.contains("tab") || hasTab { return problem + " (a tab is on this line: indent with spaces, not tabs)" }
        return problem
    }

    /// Yams reports where a duplicated key was first written; the second one is the mistake.
    /// Looks past the first key, outside comments: first the same column further down (block
    /// mappings), then anywhere after it (flow mappings, which may span lines).
    private static func secondOccurrence(of key: String, after first: Position, in text: String) -> Position? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array(uncommented($0).unicodeScalars) }
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let patterns = [key + ":", "\"\(key)\":", "'\(key)':"].map { Array($0.unicodeScalars) }
        func matches(_ line: [Unicode.Scalar], at column: Int) -> Bool {
            guard column >= 0, column < line.count else { return false }
            if column > 0, !" \t{,".unicodeScalars.contains(line[column - 1]) { return false }
            return patterns.contains { pattern in
                column + pattern.count <= line.count && Array(line[column..<column + pattern.count]) == pattern
            }
        }
        for index in first.line..<lines.count where matches(lines[index], at: first.column - 1) {
            if lines[index].prefix(first.column - 1).allSatisfy({ $0 == " " || $0 == "-" }) {
                return Position(line: index + 1, column: first.column)
            }
        }
        for index in (first.line - 1)..<lines.count {
            let start = index == first.line - 1 ? first.column : 0
            for column in stride(from: start, to: lines[index].count, by: 1) where matches(lines[index], at: column) {
                return Position(line: index + 1, column: column + 1)
            }
        }
        return nil
    }

    /// A line without its comment (a `#` after a space or at the start, outside quotes).
    private static func uncommented(_ line: Substring) -> Substring {
        var quote: Character? = nil
        var previous: Character = " "
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#", previous == " " || previous == "\t" {
                return line[..<index]
            }
            previous = character
        }
        return line
    }

    struct Position {
        var line: Int
        var column: Int
        init(line: Int, column: Int) { self.line = line; self.column = column }
        init(_ mark: Mark) { self.init(line: mark.line, column: mark.column) }
    }

    private static func position(ofCharacterOffset offset: Int, in text: String) -> Position {
        var line = 1, column = 1
        for (index, character) in text.enumerated() {
            if index >= offset { break }
            if character == "\n" || character == "\r\n" { line += 1; column = 1 } else { column += character.unicodeScalars.count }
        }
        return Position(line: line, column: column)
    }

    // MARK: - Before parsing

    struct BadByte: Error {
        var byte: UInt8
        var line: Int
        var column: Int
    }

    static func decodeUTF8(_ bytes: ArraySlice<UInt8>) -> Result<String, BadByte> {
        if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
        // Invalid somewhere: walk scalar by scalar to say where.
        var index = bytes.startIndex, line = 1, column = 1
        while index < bytes.endIndex {
            var iterator = bytes[index...].makeIterator()
            var decoder = UTF8()
            guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { break }
            index += UTF8.width(scalar)
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return .failure(BadByte(byte: index < bytes.endIndex ? bytes[index] : 0, line: line, column: column))
    }

    private static func onlyComments(_ text: String) -> Bool {
        text.split(separator: "\n").allSatisfy { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
            return trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed == "---" || trimmed == "..."
        }
    }

    /// An alias in key position (`*a: …`, `? *a`, `{*a: …}`). Refused before parsing: Yams hashes every
    /// key to find duplicates, and hashing an alias walks its whole expansion, which an alias bomb
    /// makes exponential. Keys are plain names in a spec anyway.
    static func aliasUsedAsKey(_ text: String) -> (name: String, line: Int, column: Int)? {
        let separators: Set<Unicode.Scalar> = [" ", "\t", "[", "{", ",", "?", "-"]
        let nameEnds: Set<Unicode.Scalar> = [" ", "\t", ",", "[", "]", "{", "}", "\r"]
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let scalars = Array(line.unicodeScalars)
            var quote: Unicode.Scalar? = nil
            var i = 0
            while i < scalars.count {
                let scalar = scalars[i]
                if let open = quote {
                    if scalar == open { quote = nil }
                } else if scalar == "\"" || scalar == "'" {
                    quote = scalar
                } else if scalar == "#", i == 0 || scalars[i - 1] == " " {
                    break
                } else if scalar == "*", i == 0 || separators.contains(scalars[i - 1]) {
                    var end = i + 1
                    while end < scalars.count, !nameEnds.contains(scalars[end]) { end += 1 }
                    // A trailing ':' belongs to the key syntax, not the name.
                    var nameEnd = end
                    var colon = false
                    if nameEnd > i + 1, scalars[nameEnd - 1] == ":" { nameEnd -= 1; colon = true }
                    var next = end
                    while next < scalars.count, scalars[next] == " " || scalars[next] == "\t" { next += 1 }
                    if !colon, next < scalars.count, scalars[next] == ":" { colon = true }
                    var before = i - 1
                    while before >= 0, scalars[before] == " " || scalars[before] == "\t" { before -= 1 }
                    let explicitKey = before >= 0 && scalars[before] == "?"
                    if colon || explicitKey {
                        let name = String(String.UnicodeScalarView(scalars[(i + 1)..<nameEnd]))
                        return (name, index + 1, i + 1)
                    }
                    i = end
                    continue
                }
                i += 1
            }
        }
        return nil
    }

    /// A lexical look for nesting that would make the recursive parser run out of stack.
    /// It errs on the side of letting a file through: libYAML still checks the syntax.
    static func nestingProblem(_ text: String) -> (message: String, line: Int, column: Int)? {
        var depth = 0
        var line = 1, column = 0
        var quote: Unicode.Scalar? = nil
        var inComment = false
        var atLineStart = true, indent = 0
        var previous: Unicode.Scalar = "\n"
        for scalar in text.unicodeScalars {
            column += 1
            if scalar == "\n" {
                line += 1; column = 0; inComment = false; atLineStart = true; indent = 0
                if quote == "'" || quote == "\"" { /* multi-line quoted scalar continues */ }
                previous = scalar
                continue
            }
            if atLineStart {
                if scalar == " " || scalar == "-" || scalar == "?" || scalar == ":" {
                    indent += 1
                    if indent > maximumIndent {
                        return ("content is nested deeper than \(maximumIndent) columns", line, column)
                    }
                    previous = scalar
                    continue
                }
                atLineStart = false
            }
            if inComment { previous = scalar; continue }
            if let open = quote {
                if scalar == open { quote = nil }
                previous = scalar
                continue
            }
            switch scalar {
            case "#" where previous == " " || previous == "\t" || column == 1: inComment = true
            case "\"", "'": if previous == " " || previous == "\n" || previous == "[" || previous == "{" || previous == "," || previous == ":" { quote = scalar }
            case "[", "{":
                // Only where a flow collection can start: `^[a-z` in a plain scalar is text.
                guard depth > 0 || " \n-:?,[{".unicodeScalars.contains(previous) else { break }
                depth += 1
                if depth > maximumFlowDepth {
                    return ("collections are nested more than \(maximumFlowDepth) levels deep", line, column)
                }
            case "]", "}": depth = max(0, depth - 1)
            default: break
            }
            previous = scalar
        }
        return nil
    }
}
