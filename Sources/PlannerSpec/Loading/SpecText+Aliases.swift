// SpecText: the alias guard, run on libYAML's events before Yams builds (and hashes) a node tree.
import CYaml

extension SpecText {
    /// Most nodes all aliases together may stand for, each alias counted as the whole expanded size of
    /// its anchor (nested aliases included). A spec that reuses a block of env or labels a few thousand
    /// times stays far below; a "billion laughs" chain crosses it at its sixth level.
    public static let maximumAliasExpansion = 1_000_000

    struct EventProblem {
        var code: DiagnosticCode
        var message: String
        var line: Int
        var column: Int
    }

    /// One pass over the parser's events, which expand nothing: explicit tags are refused on every node; the sizes aliases would expand to are
    /// summed against one budget, wherever the aliases are (keys included), and a key that is a list or
    /// a mapping (or an alias of one) is refused, since Yams hashes every key, walking its expansion,
    /// and a spec's keys are plain names. Nil also on a syntax error: Yams reports those with context.
    static func aliasProblem(_ text: String) -> EventProblem? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> EventProblem? in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)

            struct Frame { var isMapping: Bool; var expectingKey: Bool; var size: Int; var anchor: String? }
            var stack: [Frame] = []
            var anchorSizes: [String: Int] = [:]
            var scalarAnchors: Set<String> = []
            var expanded = 0
            func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            }
            func add(_ size: Int) {
                if !stack.isEmpty { stack[stack.count - 1].size = stack[stack.count - 1].size.saturatingPlus(size) }
            }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1, column = Int(event.start_mark.column) + 1
                let type = event.type
                if type == YAML_STREAM_END_EVENT { return nil }
                let isNode = type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT
                    || type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT
                if isNode, let top = stack.last, top.isMapping {
                    if top.expectingKey {
                        let aliasOfCollection = type == YAML_ALIAS_EVENT
                            && name(event.data.alias.anchor).map { !scalarAnchors.contains($0) && anchorSizes[$0] != nil } == true
                        if type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT || aliasOfCollection {
                            return EventProblem(code: .wrongType, message: "a key must be a plain string, not a list or a mapping",
                                                line: line, column: column)
                        }
                    }
                    stack[stack.count - 1].expectingKey.toggle()
                }
                // libYAML sets a node's tag only when one is written: refuse it on any node, keys and env
                // values included (`!!binary` would be passed on as its base64 text, `!!str 2` read as 2).
                let tag: String? = switch type {
                case YAML_SCALAR_EVENT: name(event.data.scalar.tag)
                case YAML_SEQUENCE_START_EVENT: name(event.data.sequence_start.tag)
                case YAML_MAPPING_START_EVENT: name(event.data.mapping_start.tag)
                default: nil
                }
                if let tag {
                    let shown = tag.hasPrefix("tag:yaml.org,2002:") ? "!!" + tag.dropFirst("tag:yaml.org,2002:".count) : tag
                    return EventProblem(code: .wrongType, message: "the YAML tag '\(Names.printable(String(shown)))' is not allowed; "
                                            + "write the plain value (quote it for a string)",
                                        line: line, column: column)
                }
                switch type {
                case YAML_SCALAR_EVENT:
                    if let anchor = name(event.data.scalar.anchor) { anchorSizes[anchor] = 1; scalarAnchors.insert(anchor) }
                    add(1)
                case YAML_ALIAS_EVENT:
                    // An undefined alias is Yams' to report.
                    guard let alias = name(event.data.alias.anchor), let size = anchorSizes[alias] else { return nil }
                    expanded = expanded.saturatingPlus(size)
                    if expanded > maximumAliasExpansion {
                        return EventProblem(code: .tooLarge,
                                            message: "aliases would expand to more than \(maximumAliasExpansion) nodes (*\(Names.printable(alias)) "
                                                + "alone stands for \(size)); write the values out or reuse less",
                                            line: line, column: column)
                    }
                    add(size)
                case YAML_SEQUENCE_START_EVENT:
                    stack.append(Frame(isMapping: false, expectingKey: false, size: 1, anchor: name(event.data.sequence_start.anchor)))
                case YAML_MAPPING_START_EVENT:
                    stack.append(Frame(isMapping: true, expectingKey: true, size: 1, anchor: name(event.data.mapping_start.anchor)))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let frame = stack.popLast() else { return nil }
                    if let anchor = frame.anchor { anchorSizes[anchor] = frame.size; scalarAnchors.remove(anchor) }
                    add(frame.size)
                default:
                    break
                }
            }
        }
    }
}
