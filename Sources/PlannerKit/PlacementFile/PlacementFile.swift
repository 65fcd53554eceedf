import PlannerSpec

/// placement.json: `{"generated_by": …, "placement": {purpose: {host: count}}, "spec_sha256": hex, "topology": name}`,
/// keys sorted, two-space indentation, so it is byte-stable. `planner simulate --placement` reads its "placement".
public enum PlacementFile {
    public static func json(placement: PlacementCounts, topology: Topology, specName: String, specBytes: [UInt8]) -> String {
        var purposes: [(String, String)] = []
        for (purpose, hosts) in placement {
            let members = hosts.filter { $0.value > 0 }.sorted { $0.key < $1.key }
                .map { "      \(quote($0.key)): \($0.value)" }
            purposes.append((purpose, members.isEmpty ? "{}" : "{\n" + members.joined(separator: ",\n") + "\n    }"))
        }
        let placementText = purposes.isEmpty ? "{}"
            : "{\n" + purposes.sorted { $0.0 < $1.0 }.map { "    \(quote($0.0)): \($0.1)" }.joined(separator: ",\n") + "\n  }"
        return "{\n"
            + "  \"generated_by\": \(quote(GeneratedHeader.jsonValue(specName: specName))),\n"
            + "  \"placement\": \(placementText),\n"
            + "  \"spec_sha256\": \(quote(SHA256.hex(specBytes))),\n"
            + "  \"topology\": \(quote(topology.name))\n"
            + "}\n"
    }

    /// A JSON string literal holding exactly `text` (control characters escaped); shared with the CLI's JSON output.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
