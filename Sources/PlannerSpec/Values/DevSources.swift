/// `SOURCE:TARGET[:ro|:rw]` bind mounts for `plan --dev`; SOURCE relative to the spec's folder or absolute.
public enum DevSources {
    public struct Mount: Sendable, Hashable {
        public var source: String
        public var target: String
        public var mode: String?
    }

    public static func parse(_ text: String) -> Result<Mount, ValueError> {
        var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        var mode: String? = nil
        if parts.count == 3, ["ro", "rw"].contains(parts[2]) { mode = parts.removeLast() }
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            return .failure(.init("write SOURCE:TARGET, for example \"./web:/app\" (optionally :ro)"))
        }
        guard parts[0].hasPrefix("./") || parts[0].hasPrefix("../") || parts[0].hasPrefix("/") || parts[0] == "." else {
            return .failure(.init("the source must be a path relative to the spec's folder (./web) or absolute"))
        }
        guard parts[1].hasPrefix("/") else { return .failure(.init("the target must be an absolute path in the container")) }
        if text.unicodeScalars.contains(where: \.isASCIIControl) {
            return .failure(.init("control characters are not allowed"))
        }
        return .success(Mount(source: parts[0], target: parts[1], mode: mode))
    }
}
