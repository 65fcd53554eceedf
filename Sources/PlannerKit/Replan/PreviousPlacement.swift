// Where a re-plan starts: the deployed placement, from the output folder or --from.

import Foundation

/// The placement that is deployed, as `plan` reads it: `--from FILE` when given, else
/// `DIR/placement.json` when it exists, else none (a first plan). `--fresh` reads neither.
public struct PreviousPlacement: Sendable, Equatable {
    public var placement: PlacementCounts
    /// The file it was read from, as given.
    public var path: String

    /// The deployed placement for a plan into `directory`; throws a message (exit status 2) for a file
    /// that cannot be read or parsed: a placement.json that is there but unreadable is not silently
    /// ignored, since planning from scratch could move every replica (`--fresh` does that on purpose).
    public static func locate(from: String?, directory: String) throws(SimulationInputError) -> PreviousPlacement? {
        if let from {
            do {
                return PreviousPlacement(placement: try PlacementFile.load(path: from).placement, path: from)
            } catch {
                throw SimulationInputError("--from: \(error.message)")
            }
        }
        let path = directory + "/placement.json"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            return PreviousPlacement(placement: try PlacementFile.load(path: path).placement, path: path)
        } catch {
            throw SimulationInputError("\(error.message); fix or remove it, or plan from scratch with --fresh")
        }
    }
}
