// placement.json: its format, and writing it (reading is in PlacementFile+Reading).

import PlannerSpec

/// placement.json: `{"generated_by": …, "placement": {purpose: {host: count}}, "spec_sha256": hex, "topology": name}`,
/// keys sorted, two-space indentation, so it is byte-stable. `plan` writes it; `simulate --placement` reads it back,
/// as it reads the JSON of `check --format json`.
public enum PlacementFile {
    public static func json(placement: PlacementCounts, topology: Topology, specName: String, specBytes: [UInt8]) -> String {
        JSONValue.object([
            "generated_by": .string(GeneratedHeader.jsonValue(specName: specName)),
            "placement": .object(placement.mapValues { hosts in .object(hosts.filter { $0.value > 0 }.mapValues { .int($0) }) }),
            "spec_sha256": .string(SHA256.hex(specBytes)),
            "topology": .string(topology.name),
        ]).rendered() + "\n"
    }
}
