// Bad input to a simulation, with a message for people.

/// Bad input to a simulation: an unknown name, an impossible `--any`. The message is for people.
public struct SimulationInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
