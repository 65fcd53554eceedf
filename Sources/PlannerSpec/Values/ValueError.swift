/// Why a text is not a value of its grammar (a port, a dev source, an endpoint reference); the description
/// is the diagnostic's message.
public struct ValueError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    init(_ description: String) { self.description = description }
}
