// Reading what is deployed: the compose files and balancer configurations of an output folder.

import Foundation

/// The generated files of a deployed folder, by relative path: `hosts/*/compose.yaml` and
/// `balancers/*/haproxy.cfg|nginx.conf`. Reading only; a folder that does not exist holds nothing (a first plan).
public enum DeployedFolder {
    public static func read(_ directory: String) -> [String: String] {
        var files: [String: String] = [:]
        let manager = FileManager.default
        for top in ["hosts", "balancers"] {
            let base = directory + "/" + top
            guard let names = try? manager.contentsOfDirectory(atPath: base) else { continue }
            for name in names.sorted() {
                let folder = base + "/" + name
                guard let inner = try? manager.contentsOfDirectory(atPath: folder) else { continue }
                // Only the files planner writes there: a backup copy beside them is not deployed.
                for file in inner.sorted() where top == "balancers" ? ["haproxy.cfg", "nginx.conf"].contains(file) : file == "compose.yaml" {
                    if let data = manager.contents(atPath: folder + "/" + file), let text = String(data: data, encoding: .utf8) {
                        files["\(top)/\(name)/\(file)"] = text
                    }
                }
            }
        }
        return files
    }
}
