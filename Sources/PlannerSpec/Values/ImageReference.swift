/// `registry/name:tag@digest`, split the way Docker reads it.
public struct ImageReference: Sendable, Hashable {
    public var name: String
    public var tag: String?
    public var digest: String?

    public init(_ reference: String) {
        var rest = Substring(reference)
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        // A colon after the last slash starts the tag; one before it belongs to a registry's port.
        let lastSlash = rest.lastIndex(of: "/") ?? rest.startIndex
        if let colon = rest[lastSlash...].lastIndex(of: ":") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        name = String(rest)
    }
}
