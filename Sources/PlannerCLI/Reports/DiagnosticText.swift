// One diagnostic as text: file:line:column: severity: message [code], then its notes.

import PlannerSpec

enum DiagnosticText {
    /// `file:line:column: severity: message [code]`, then one line per note.
    static func render(_ diagnostic: Diagnostic, file: String) -> String {
        var out = "\(place(diagnostic.location, file)): \(diagnostic.severity.rawValue): \(diagnostic.message) "
            + "[\(diagnostic.code.rawValue)]\n"
        for note in diagnostic.notes { out += "\(place(note.location, file)): note: \(note.message)\n" }
        return out
    }

    static func place(_ location: SourceLocation?, _ file: String) -> String {
        location.map { "\(escaped($0.file)):\($0.line):\($0.column)" } ?? escaped(file)
    }

    /// A file name with its control characters escaped (`\n` as `\\n`): a newline in the name would
    /// otherwise start a forged diagnostic line. Not shortened, unlike `Names.printable`.
    static func escaped(_ file: String) -> String {
        guard file.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" || RawPath.rawByte($0) != nil })
        else { return file }
        var out = ""
        for scalar in file.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\\": out += "\\\\"
            default:
                if let byte = RawPath.rawByte(scalar) {
                    out += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
                } else if scalar.value < 0x20 || scalar.value == 0x7F { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
