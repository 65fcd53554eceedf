/// Image references, as `docker pull` reads them: `[registry[:port]/]name[/name…][:tag][@algorithm:hex]`.
/// They go into Compose files, so anything else (spaces, `$`, quotes, line breaks) is refused at the spec.
public enum ImageNames {
    public static func problem(with text: String) -> String? {
        func isLowerAlnum(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("0"..."9").contains(s) }
        if text.unicodeScalars.count > 255 { return "an image reference may be at most 255 characters" }
        if let bad = text.unicodeScalars.first(where: { !($0.isASCIILetterOrDigit || "._-/:@+".unicodeScalars.contains($0)) }) {
            return "'\(Names.printable(String(bad)))' cannot be in an image reference "
                + "([registry[:port]/]name[:tag][@sha256:…]: letters, digits, . _ - / : @)"
        }
        // Split as Docker reads it (`ImageReference`), then each part is held to its own grammar.
        let reference = ImageReference(text)
        if let digest = reference.digest {
            let parts = digest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let first = parts[0].unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first),
                  parts[0].unicodeScalars.allSatisfy({ $0.isASCIILetterOrDigit || "_+.-".unicodeScalars.contains($0) }),
                  !parts[1].isEmpty, parts[1].unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }) else {
                return "a digest is written @algorithm:hex, for example @sha256:…"
            }
        }
        if let tag = reference.tag {
            guard let first = tag.unicodeScalars.first, first.isASCIILetterOrDigit || first == "_", tag.unicodeScalars.count <= 128,
                  tag.unicodeScalars.allSatisfy({ $0.isASCIILetterOrDigit || "_.-".unicodeScalars.contains($0) }) else {
                return "a tag is 1 to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'"
            }
        }
        var components = reference.name.split(separator: "/", omittingEmptySubsequences: false)
        if components.count > 1, let first = components.first,
           first.contains(".") || first.contains(":") || first == "localhost" || first.unicodeScalars.contains(where: { ("A"..."Z").contains($0) }) {
            let hostAndPort = first.split(separator: ":", omittingEmptySubsequences: false)
            guard hostAndPort.count <= 2, !hostAndPort[0].isEmpty,
                  hostAndPort[0].unicodeScalars.allSatisfy({ $0.isASCIILetterOrDigit || $0 == "." || $0 == "-" }),
                  hostAndPort.count == 1 || (!hostAndPort[1].isEmpty && hostAndPort[1].count <= 5 && hostAndPort[1].allSatisfy(\.isNumber)) else {
                return "the registry is written host[:port], for example registry.example:5000"
            }
            components.removeFirst()
        }
        for component in components {
            guard let first = component.unicodeScalars.first, let last = component.unicodeScalars.last,
                  isLowerAlnum(first), isLowerAlnum(last),
                  component.unicodeScalars.allSatisfy({ isLowerAlnum($0) || "._-".unicodeScalars.contains($0) }) else {
                return "each part of an image name is lower-case letters, digits and . _ -, starting and ending with a letter or digit"
            }
        }
        return nil
    }
}
