/// Keys of a mapping mapped to where they were written (the key's own position); `this` is
/// where the entry itself is named (its key in the parent mapping, or the mapping for the root).
public struct Locations: Sendable, Hashable {
    public var this: SourceLocation?
    public var keys: [String: SourceLocation]

    public init(this: SourceLocation? = nil, keys: [String: SourceLocation] = [:]) {
        self.this = this
        self.keys = keys
    }

    /// The key's position, or the mapping's own when the key was left out.
    public subscript(key: String) -> SourceLocation? { keys[key] ?? this }
}
