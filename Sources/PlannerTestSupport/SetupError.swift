// The error of a test that could not be set up: it says what is missing.

/// A test could not be set up (no binary, no pseudo-terminal): a failure that says what is missing.
public struct SetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
