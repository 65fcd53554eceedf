// A value refused on its way into a balancer configuration.

/// A value refused on its way into haproxy.cfg or nginx.conf. The spec layer validates names, addresses
/// and health paths already; the emitters check again so that no spec value can ever add a directive.
public struct EmitError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
