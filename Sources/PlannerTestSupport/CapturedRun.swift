// What one program run by the tests produced: exit status, output, and how it ended.
import Foundation
import Testing

public struct CapturedRun: CustomStringConvertible {
    public var status: Int32
    public var stdout: Data
    /// stderr, or with `.mergedIntoStandardOutput` nothing (it is in `stdout`).
    public var stderr: String
    /// Ended by a signal rather than an exit (a crash, or the kill after a timeout).
    public var signalled: Bool
    /// Still running when its time ran out, and killed.
    public var timedOut: Bool
    public var seconds: Double

    public var output: String { String(decoding: stdout, as: UTF8.self) }

    public var description: String { "status \(status)\n--- stdout\n\(output)--- stderr\n\(stderr)" }

    /// stdout parsed as one JSON object.
    public func json() throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: stdout)
        return try #require(value as? [String: Any], "stdout is not a JSON object:\n\(output)")
    }
}
