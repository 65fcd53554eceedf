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
        location.map(\.description) ?? file
    }
}
