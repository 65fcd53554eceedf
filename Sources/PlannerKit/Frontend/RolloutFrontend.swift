// What `planner rollout` runs: read a rollout.json, by folder or by file.

import Foundation

public struct RolloutFrontend {
    /// An output folder (its rollout.json is read) or a rollout file.
    public var path: String

    public init(path: String) { self.path = path }

    public func run() -> Result<RolloutFile.Contents, SimulationInputError> {
        var isFolder: ObjCBool = false
        let file = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
            ? path + "/rollout.json" : path
        do { return .success(try RolloutFile.load(path: file)) } catch { return .failure(error) }
    }
}
