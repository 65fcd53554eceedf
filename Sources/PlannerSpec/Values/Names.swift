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
                if scalar.isASCIIControl {
                    result += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
