/// `volumes:` entries, as `docker run -v` takes them: `/target`, `/source:/target[:mode]` or `name:/target[:mode]`
/// (a named volume, declared in the host's Compose file).
public enum VolumeMounts {
    public static let modes: Set<String> = ["ro", "rw", "z", "Z", "nocopy"]

    public static func problem(with text: String) -> String? {
        if text.unicodeScalars.contains(where: \.isASCIIControl) {
            return "control characters (line breaks, tabs, NUL) are not allowed"
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else {
            return "write /target, /source:/target or name:/target, optionally :ro (a path cannot hold ':')"
        }
        if parts.count == 3 {
            let modes = parts[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard modes.allSatisfy(Self.modes.contains), Set(modes).count == modes.count else {
                return "the mode must be ro or rw (optionally with z, Z or nocopy, comma-separated)"
            }
        }
        let target = parts.count == 1 ? parts[0] : parts[1]
        guard target.hasPrefix("/") else { return "the target must be an absolute path in the container" }
        if parts.count > 1, !parts[0].hasPrefix("/"), namedVolume(parts[0]) == nil {
            return "the source must be an absolute path on the host or a volume name (letters, digits, _ . -)"
        }
        return nil
    }

    /// The volume's name when `source` names a volume rather than a host path.
    public static func namedVolume(_ source: String) -> String? {
        guard let first = source.unicodeScalars.first, first.isASCIILetterOrDigit,
              source.unicodeScalars.count <= 255,
              source.unicodeScalars.allSatisfy({ $0.isASCIILetterOrDigit || "_.-".unicodeScalars.contains($0) })
        else { return nil }
        return source
    }

    /// The named volume a mount uses, if any.
    public static func volumeName(of text: String) -> String? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return nil }
        return namedVolume(parts[0])
    }
}
