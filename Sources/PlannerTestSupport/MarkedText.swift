// Inline YAML with markers where diagnostics must land, and the positions the markers name.

import PlannerSpec

/// A line and column in a spec: 1-based, columns counted in Unicode scalars (as libYAML counts them).
public struct Position: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(_ line: Int, _ column: Int) {
        self.line = line
        self.column = column
    }

    public init(_ location: SourceLocation) { self.init(location.line, location.column) }

    public static func < (lhs: Position, rhs: Position) -> Bool { (lhs.line, lhs.column) < (rhs.line, rhs.column) }

    public var description: String { "\(line):\(column)" }
}

/// Inline YAML with markers where diagnostics must land, in the manner of swift-format's `MarkedText`.
///
/// A marker is a keycap emoji, `0️⃣` to `9️⃣` or `🔟`. It is removed from `text`, and `self["1️⃣"]`
/// is the position of the character that followed it.
public struct MarkedText: Sendable {
    /// The text without its markers.
    public let text: String
    /// Each marker's position in `text`.
    public let markers: [String: Position]

    public init(_ marked: String) {
        var text = String.UnicodeScalarView()
        var markers: [String: Position] = [:]
        let scalars = Array(marked.unicodeScalars)
        var line = 1, column = 1
        var index = 0
        while index < scalars.count {
            if let (marker, length) = Self.marker(in: scalars, at: index) {
                precondition(markers[marker] == nil, "marker \(marker) is used twice")
                markers[marker] = Position(line, column)
                index += length
                continue
            }
            let scalar = scalars[index]
            text.append(scalar)
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            index += 1
        }
        self.text = String(text)
        self.markers = markers
    }

    /// The position of `marker`; a marker missing from the text is a mistake in the test.
    public subscript(marker: String) -> Position {
        guard let position = markers[marker] else { fatalError("marker \(marker) is not in the text") }
        return position
    }

    /// Loads the text as a spec file named `file`.
    public func load(file: String = "test.spec") -> LoadedSpec { SpecLoader.load(text: text, file: file) }

    private static let keycap: Unicode.Scalar = "\u{20E3}"
    private static let variationSelector: Unicode.Scalar = "\u{FE0F}"

    /// A keycap marker (digit, U+FE0F, U+20E3) or `🔟` starting at `index`, and how many scalars it spans.
    private static func marker(in scalars: [Unicode.Scalar], at index: Int) -> (String, Int)? {
        if scalars[index] == "🔟" { return ("🔟", 1) }
        guard ("0"..."9").contains(scalars[index]), index + 2 < scalars.count,
              scalars[index + 1] == variationSelector, scalars[index + 2] == keycap else { return nil }
        var name = String.UnicodeScalarView()
        name.append(contentsOf: scalars[index...(index + 2)])
        return (String(name), 3)
    }
}
