/// Names of hosts, purposes, zones, racks and labels become file and service names,
/// so they are held to what every consumer accepts.
public enum Names {
    public static let maximumLength = 63

    /// Why `name` is not a valid name, or nil when it is.
    ///
    /// Valid: 1 to 63 of lower-case ASCII letters, digits, `-` and `.`, starting with a letter or digit.
    public static func problem(with name: String) -> String? {
        if name.isEmpty { return "a name must not be empty" }
        if name.unicodeScalars.count > maximumLength { return "a name may be at most \(maximumLength) characters" }
        for scalar in name.unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9", "-", ".": continue
            case "A"..."Z": return "use lower-case letters ('\(name.lowercased())')"
            case "/": return "'/' is not allowed (names become file names)"
            case " ", "\t": return "spaces are not allowed"
            case "\n", "\r": return "line breaks are not allowed"
            case "_": return "'_' is not allowed; use '-'"
            default:
                if !scalar.isASCII {
                    return "only ASCII letters, digits, '-' and '.' are allowed (found U+\(String(scalar.value, radix: 16, uppercase: true)))"
                }
                return "'\(printable(String(scalar)))' is not allowed; use lower-case letters, digits, '-' and '.'"
            }
        }
        if let first = name.unicodeScalars.first, first == "." || first == "-" {
            return "a name must start with a letter or digit"
        }
        return nil
    }

    /// `text` with control characters made visible, for messages; cut at 120 characters so a huge
    /// value cannot flood the output.
    public static func printable(_ text: String) -> String {
        var result = ""
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index == 120 {
                result += "…"
                break
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}

/// The candidate closest to `word` by edit distance, when it is close enough to be a likely typo.
public func closestMatch(to word: String, among candidates: [String]) -> String? {
    let limit = max(1, word.count / 3)
    var best: (String, Int)? = nil
    for candidate in candidates {
        let distance = editDistance(word.lowercased(), candidate.lowercased())
        if distance <= limit, distance < (best?.1 ?? Int.max) { best = (candidate, distance) }
    }
    return best?.0
}

/// Levenshtein distance, O(|a|·|b|) time and O(|b|) space.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.unicodeScalars.prefix(256)), b = Array(b.unicodeScalars.prefix(256))
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
