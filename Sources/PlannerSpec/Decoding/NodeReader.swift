// NodeReader: typed reads from the YAML node tree that record a diagnostic instead of throwing.
import Yams

/// Reads values out of a Yams node tree, collecting a diagnostic for every problem
/// instead of stopping at the first. Each accessor returns nil when it reported one.
final class NodeReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    func report(_ diagnostic: Diagnostic) { diagnostics.append(diagnostic) }

    func location(_ node: Node) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: max(mark?.line ?? 1, 1), column: max(mark?.column ?? 1, 1))
    }

    func error(_ code: DiagnosticCode, _ message: String, at node: Node, notes: [Diagnostic.Note] = []) {
        report(.error(code, message, at: location(node), notes: notes))
    }

    // MARK: Shapes

    struct Entry {
        var key: String
        var keyNode: Node
        var value: Node
    }

    /// The entries of a mapping, or a wrong-type diagnostic. Keys must be plain strings.
    func mapping(_ node: Node, _ what: String) -> [Entry]? {
        guard case .mapping(let mapping) = node else {
            error(.wrongType, "\(what) must be a mapping, found \(describe(node))", at: node)
            return nil
        }
        var entries: [Entry] = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                error(.wrongType, "keys in \(what) must be strings, found \(describe(key))", at: key)
                continue
            }
            entries.append(Entry(key: scalar.string, keyNode: key, value: value))
        }
        return entries
    }

    /// Reports every key not in `allowed`, with the closest allowed key as a suggestion.
    func rejectUnknownKeys(_ entries: [Entry], allowed: [String], in what: String) {
        for entry in entries where !allowed.contains(entry.key) {
            var message = "unknown key '\(entry.key)' in \(what)"
            if let guess = closestMatch(to: entry.key, among: allowed) {
                message += "; did you mean '\(guess)'?"
            } else {
                message += "; expected one of: " + allowed.joined(separator: ", ")
            }
            error(.unknownKey, message, at: entry.keyNode)
        }
    }

    func locations(of entries: [Entry], mapping node: Node) -> Locations {
        var keys: [String: SourceLocation] = [:]
        for entry in entries where keys[entry.key] == nil { keys[entry.key] = location(entry.keyNode) }
        return Locations(this: location(node), keys: keys)
    }

    func sequence(_ node: Node, _ what: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            error(.wrongType, "\(what) must be a list, found \(describe(node))", at: node)
            return nil
        }
        return Array(sequence)
    }

    // MARK: Scalars

    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// Any scalar's text (numbers and booleans included), as YAML wrote it.
    func scalarText(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node, !isNull(node) else {
            error(.wrongType, "\(what) must be a string, found \(describe(node))", at: node)
            return nil
        }
        guard !hasExplicitTag(node, what) else { return nil }
        return scalar.string
    }

    /// Explicit YAML tags (`!!str 2`, `!!python/object:…`) are refused: a spec value means what it
    /// says, and a tag would make `2` and `"2"` differ from what the reader sees.
    func hasExplicitTag(_ node: Node, _ what: String) -> Bool {
        // Untagged values keep the empty (plain) or non-specific "!" (quoted) tag; keys are never read here.
        // Yams resolves a tag in place when a node is hashed, so an untagged value may read as `!!str`:
        // that one cannot be told apart and is let through (its text is read as written anyway).
        guard case .scalar(let scalar) = node,
              !["", "!", "tag:yaml.org,2002:str"].contains(scalar.tag.rawValue) else { return false }
        error(.wrongType, "\(what) has the YAML tag '\(Names.printable(scalar.tag.rawValue))'; "
              + "tags are not supported, write the plain value", at: node)
        return true
    }

    func string(_ node: Node, _ what: String) -> String? {
        guard let text = scalarText(node, what) else { return nil }
        if text.isEmpty {
            error(.badValue, "\(what) must not be empty", at: node)
            return nil
        }
        return text
    }

    /// A whole number written without quotes, within `range`.
    func integer(_ node: Node, _ what: String, in range: ClosedRange<Int>) -> Int? {
        guard case .scalar(let scalar) = node, !isNull(node) else {
            error(.wrongType, "\(what) must be a whole number, found \(describe(node))", at: node)
            return nil
        }
        guard !hasExplicitTag(node, what) else { return nil }
        let text = scalar.string
        let digits = text.hasPrefix("+") ? String(text.dropFirst()) : text
        guard digits.contains(where: \.isNumber), digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }),
              digits.dropFirst().allSatisfy({ $0 != "-" }) else {
            error(.wrongType, "\(what) must be a whole number, found '\(text)'", at: node)
            return nil
        }
        // YAML 1.1 readers take 010 as octal 8: a leading zero would mean different counts to different tools.
        let unsigned = digits.hasPrefix("-") ? digits.dropFirst() : Substring(digits)
        if unsigned.count > 1, unsigned.hasPrefix("0") {
            error(.wrongType, "\(what) must be a whole number without leading zeros, found '\(text)'", at: node)
            return nil
        }
        guard let value = Int(digits) else {
            error(.badValue, "\(what) \(text) is out of range; it must be between \(range.lowerBound) and \(range.upperBound)",
                  at: node)
            return nil
        }
        guard range.contains(value) else {
            let rule = range.upperBound == Int.max ? "at least \(range.lowerBound)"
                : "between \(range.lowerBound) and \(range.upperBound)"
            error(.badValue, "\(what) must be \(rule), found \(value)", at: node)
            return nil
        }
        if scalar.style != .plain {
            error(.wrongType, "\(what) must be a number, not a quoted string; write \(value) without quotes", at: node)
            return nil
        }
        return value
    }

    /// A list of strings; a single string is accepted where `acceptSingle`.
    func stringList(_ node: Node, _ what: String, acceptSingle: Bool = false) -> [(String, Node)]? {
        if acceptSingle, case .scalar = node, !isNull(node) {
            return string(node, what).map { [($0, node)] }
        }
        guard let items = sequence(node, what) else { return nil }
        var result: [(String, Node)] = []
        for item in items {
            if let text = string(item, "each entry of \(what)") { result.append((text, item)) }
        }
        return result
    }

    /// A list of names, each checked with `Names.problem`, without repeats.
    func nameList(_ node: Node, _ what: String) -> [(String, Node)]? {
        guard let items = stringList(node, what) else { return nil }
        var seen: [String: Node] = [:]
        var result: [(String, Node)] = []
        for (name, item) in items {
            if let problem = Names.problem(with: name) {
                error(.invalidName, "'\(Names.printable(name))' in \(what) is not a valid name: \(problem)", at: item)
                continue
            }
            if let first = seen[name] {
                error(.duplicateName, "'\(name)' appears twice in \(what)", at: item,
                      notes: [.init("first written here", at: location(first))])
                continue
            }
            seen[name] = item
            result.append((name, item))
        }
        return result
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if isNull(node) { return "nothing (null)" }
            let text = scalar.string
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "'\(Names.printable(shown))'"
        }
    }
}

extension Array where Element == NodeReader.Entry {
    /// The value written for `key`, if any (the first, should a key come twice).
    func value(of key: String) -> Node? { first { $0.key == key }?.value }
}
