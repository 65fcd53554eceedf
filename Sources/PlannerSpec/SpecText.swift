import Foundation
import Yams

/// Turns the bytes of a spec file into a YAML node tree, or says precisely why it cannot.
///
/// Parsing stops at the first problem of this kind (encoding, YAML syntax, duplicate keys):
/// nothing after it can be trusted.
public enum SpecText {
    /// Larger files are refused before parsing: a topology is written by people.
    public static let maximumBytes = 16 << 20
    /// Flow collections nested deeper than this are refused before libYAML and Yams recurse into them.
    public static let maximumFlowDepth = 64
    /// Content indented further than this is refused for the same reason (block nesting needs indentation).
    public static let maximumIndent = 512

    public static func parse(bytes: [UInt8], file: String) -> Result<Node, Diagnostic> {
        let at = { (line: Int, column: Int) in SourceLocation(file: file, line: line, column: column) }
        if bytes.count > maximumBytes {
            return .failure(.error(.tooLarge, "file is \(bytes.count) bytes; a spec may be at most \(maximumBytes) bytes",
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
        do {
            guard let node = try Yams.compose(yaml: text) else {
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
            return .error(.yamlSyntax, explain(problem), at: at(Position(mark)), notes: notes)
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
    private static func explain(_ problem: String) -> String {
        if problem.contains("tab") { return problem + " (indent with spaces, not tabs)" }
        return problem
    }

    /// Yams reports where a duplicated key was first written; the second one is the mistake.
    private static func secondOccurrence(of key: String, after first: Position, in text: String) -> Position? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        // Flow mapping on the same line: `{a: 1, a: 2}`.
        let firstLine = Array(lines[first.line - 1].unicodeScalars)
        let tail = String(String.UnicodeScalarView(firstLine.dropFirst(first.column)))
        if let range = tail.range(of: key + ":") {
            let column = first.column + tail.unicodeScalars.distance(from: tail.unicodeScalars.startIndex,
                                                                    to: range.lowerBound.samePosition(in: tail.unicodeScalars) ?? tail.unicodeScalars.startIndex) + 1
            return Position(line: first.line, column: column)
        }
        // Block mapping: the same key at the same indentation further down.
        let indent = String(repeating: " ", count: first.column - 1)
        for index in first.line..<lines.count {
            let line = lines[index]
            guard line.hasPrefix(indent) else { continue }
            let rest = line.dropFirst(indent.count)
            if rest.hasPrefix(key + ":") || rest.hasPrefix("\"\(key)\":") || rest.hasPrefix("'\(key)':") {
                return Position(line: index + 1, column: first.column)
            }
        }
        return nil
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
            if character == "\n" { line += 1; column = 1 } else { column += character.unicodeScalars.count }
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
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var scalars = String.UnicodeScalarView()
        var line = 1, column = 1, offset = bytes.startIndex
        var consumed = bytes.startIndex
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                scalars.append(scalar)
                consumed += UTF8.width(scalar)
                offset = consumed
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                return .success(String(scalars))
            case .error:
                return .failure(BadByte(byte: bytes[offset], line: line, column: column))
            }
        }
    }

    private static func onlyComments(_ text: String) -> Bool {
        text.split(separator: "\n").allSatisfy { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
            return trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed == "---" || trimmed == "..."
        }
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
