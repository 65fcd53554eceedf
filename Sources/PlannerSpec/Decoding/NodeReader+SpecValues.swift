// NodeReader+SpecValues: the spec's own kinds of value read from a node (names, cpu and memory, durations,
// images, failure budgets, placements, required keys), shared by every decoder.
import Yams

extension NodeReader {
    static let failureKeys = ["hosts", "racks", "zones"]
    static let placementKeys = ["labels", "hosts", "avoid"]

    func decodeName(_ node: Node, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        if let problem = Names.problem(with: text) {
            error(.invalidName, "\(what) '\(Names.printable(text))' is not valid: \(problem)", at: node)
            return nil
        }
        return text
    }

    func decodeFailures(_ node: Node, base: FailureBudget, _ what: String) -> FailureBudget {
        guard let entries = mapping(node, what) else { return base }
        rejectUnknownKeys(entries, allowed: Self.failureKeys, in: what)
        var budget = base
        for entry in entries {
            guard let count = integer(entry.value, "\(what).\(entry.key)", in: 0...1000) else { continue }
            switch entry.key {
            case "hosts": budget.hosts = count
            case "racks": budget.racks = count
            case "zones": budget.zones = count
            default: break
            }
        }
        return budget
    }

    func decodePlacement(_ node: Node, of what: String) -> Placement {
        guard let entries = mapping(node, "placement of \(what)") else { return Placement() }
        rejectUnknownKeys(entries, allowed: Self.placementKeys, in: "placement of \(what)")
        let field = entries.value(of:)
        var placement = Placement()
        func names(_ key: String) -> [String]? {
            guard let node = field(key), let items = nameList(node, "placement.\(key) of \(what)") else { return nil }
            for (name, item) in items { placement.itemLocations["\(key).\(name)"] = location(item) }
            return items.map(\.0)
        }
        placement.labels = names("labels") ?? []
        placement.hosts = names("hosts")
        placement.avoid = names("avoid") ?? []
        return placement
    }

    func decodeImage(_ node: Node, of what: String) -> String? {
        guard let text = string(node, "image of \(what)") else { return nil }
        if let problem = ImageNames.problem(with: text) {
            let shown = text.unicodeScalars.count > 80 ? String(text.prefix(80)) + "…" : text
            error(.badValue, "image '\(Names.printable(shown))' of \(what) is not valid: \(problem)", at: node)
            return nil
        }
        return text
    }

    /// A key the entry cannot do without; when it is missing, that is reported at the entry's name.
    func required<T>(_ node: Node?, _ key: String, of what: String, at owner: Node, decode: (Node) -> T?) -> T? {
        guard let node else {
            error(.missingKey, "missing key '\(key)' in \(what)", at: owner)
            return nil
        }
        return decode(node)
    }

    func cores(_ node: Node, _ what: String) -> Int64? {
        quantity(node, what, Quantity.millicores)
    }

    func bytes(_ node: Node, _ what: String) -> Int64? {
        quantity(node, what, Quantity.bytes)
    }

    private func quantity(_ node: Node, _ what: String, _ parse: (String) -> Result<Int64, QuantityError>) -> Int64? {
        guard let text = scalarText(node, what) else { return nil }
        switch parse(text) {
        case .success(let value): return value
        case .failure(let error):
            let code: DiagnosticCode = { if case .unknownUnit = error { return .badUnit } else { return .badValue } }()
            self.error(code, "\(what): \(error)", at: node)
            return nil
        }
    }

    func duration(_ node: Node, _ what: String) -> Int? {
        guard let text = string(node, what) else { return nil }
        guard let ms = Durations.parse(text) else {
            error(.badValue, "\(what) must be a duration such as 500ms, 2s, 1m (at most 24h), found '\(Names.printable(text))'",
                  at: node)
            return nil
        }
        return ms
    }
}
