// Reading placement.json (or check --format json) back, for simulate --placement.

import Foundation
import PlannerSpec

/// Reading a placement saved as JSON: an object whose "placement" is `{purpose: {host: count}}`, as
/// `planner check --format json` prints it and `planner plan` writes it (placement.json). Other keys are
/// ignored, but for "spec_sha256" and "topology", which say what the placement was made from.
extension PlacementFile {
    public struct Contents: Sendable, Equatable {
        public var placement: PlacementCounts
        /// The counts as written, zeros included: names are checked on these, so an unknown host with 0
        /// is refused as an unknown purpose with 0 is.
        public var written: PlacementCounts = [:]
        /// The SHA-256 of the spec the placement was planned from (`plan` writes it), and its topology's name.
        public var specSHA256: String?
        public var topology: String?
    }

    public static func parse(_ bytes: [UInt8]) throws(SimulationInputError) -> PlacementCounts {
        try read(bytes).placement
    }

    /// Why a placement read from a file may not fit `spec` any more: a different topology name, or a
    /// spec whose bytes changed since `plan` wrote it. Nil when nothing says so.
    public static func staleness(of contents: Contents, spec: LoadedSpec) -> String? {
        if let name = contents.topology, let topology = spec.topology, name != topology.name {
            return "it was made for topology '\(name)', the spec is '\(topology.name)'"
        }
        if let hash = contents.specSHA256, hash != SHA256.hex(spec.bytes) {
            return "the spec has changed since it was planned (spec_sha256 differs)"
        }
        return nil
    }

    /// The most replicas a count may say: the spec's limit on `replicas`.
    public static let maxCount = 1_000_000

    public static func read(_ bytes: [UInt8]) throws(SimulationInputError) -> Contents {
        struct File: Decodable {
            var ok: Bool?
            var placement: [String: [String: Int]]?
            var spec_sha256: String?
            var topology: String?
        }
        if let problem = strictProblem(bytes) { throw SimulationInputError(problem) }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(bytes))
        } catch let DecodingError.typeMismatch(_, context) where context.codingPath.isEmpty {
            throw SimulationInputError("expected a JSON object with a \"placement\" key, as `planner check --format json` prints")
        } catch let DecodingError.typeMismatch(_, context) {
            throw SimulationInputError(mismatch(context.codingPath))
        } catch let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty {
            throw SimulationInputError(mismatch(context.codingPath))
        } catch {
            throw SimulationInputError("not valid JSON")
        }
        guard let placement = file.placement else {
            throw SimulationInputError("no \"placement\" key" + (file.ok == false ? " (the run that wrote it found no placement)" : ""))
        }
        // Sorted, so the error named is the same on every run; bounded by the spec's own replica limit, so
        // no later sum over these counts can overflow.
        for (purpose, perHost) in placement.sorted(by: { $0.key < $1.key }) {
            for (host, count) in perHost.sorted(by: { $0.key < $1.key }) where !(0...maxCount).contains(count) {
                throw SimulationInputError("placement of '\(purpose)' on '\(host)' (at placement.\(purpose).\(host)) is \(count); "
                                           + "it must be 0 to \(maxCount), the most replicas a purpose may have")
            }
        }
        return Contents(placement: placement.mapValues { $0.filter { $0.value > 0 } }, written: placement,
                        specSHA256: file.spec_sha256, topology: file.topology)
    }

    private static func mismatch(_ path: [any CodingKey]) -> String {
        let keys = path.map(\.stringValue)
        switch keys.count {
        case 1 where keys[0] == "placement": return "\"placement\" must be an object: {purpose: {host: count}}"
        case 2: return "placement of '\(keys[1])' must be an object: {host: count}"
        case 3: return "placement of '\(keys[1])' on '\(keys[2])' must be a whole number of replicas"
        default: return "unexpected value at \(keys.joined(separator: "."))"
        }
    }

    /// Reads and parses a placement file.
    public static func load(path: String) throws(SimulationInputError) -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SimulationInputError("cannot read the placement file '\(path)'")
        }
        do {
            return try read([UInt8](data))
        } catch {
            throw SimulationInputError("\(path): \(error.message)")
        }
    }

    /// What makes `placement` unusable for `topology` (unknown names, replica counts that differ from
    /// the spec) and what merely breaks its rules (capacity, survival...), which a simulation can still show.
    public static func validate(_ placement: PlacementCounts, against topology: Topology)
        -> (errors: [String], warnings: [String]) {
        var errors: [String] = [], warnings: [String] = []
        for violation in Verifier.violations(of: placement, in: topology) {
            switch violation.rule {
            case .unknownName, .replicas: errors.append(violation.message)
            default: warnings.append(violation.description)
            }
        }
        return (errors, warnings)
    }
}
