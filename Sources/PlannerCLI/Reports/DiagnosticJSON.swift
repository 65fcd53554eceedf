// One diagnostic as a JSON object, with its file, line, column and notes.

import PlannerKit
import PlannerSpec

enum DiagnosticJSON {
    static func value(_ diagnostic: Diagnostic, file: String) -> JSONValue {
        var object: [String: JSONValue] = [
            "severity": .string(diagnostic.severity.rawValue),
            "code": .string(diagnostic.code.rawValue),
            "message": .string(diagnostic.message),
        ]
        position(diagnostic.location, file, into: &object)
        if !diagnostic.notes.isEmpty {
            object["notes"] = .array(diagnostic.notes.map { note in
                var value: [String: JSONValue] = ["message": .string(note.message)]
                position(note.location, file, into: &value)
                return .object(value)
            })
        }
        return .object(object)
    }

    private static func position(_ location: SourceLocation?, _ file: String, into object: inout [String: JSONValue]) {
        object["file"] = .string(location?.file ?? file)
        object["line"] = location.map { .int($0.line) } ?? .null
        object["column"] = location.map { .int($0.column) } ?? .null
    }
}
