/// Topology-level `logging:`: every container's logs go to syslog through Docker's logging driver.
public struct LoggingConfig: Sendable, Hashable {
    public enum Driver: String, Sendable, CaseIterable { case syslog }
    public var driver: Driver
    /// `udp://HOST:PORT`, `tcp://HOST:PORT`, `tcp+tls://HOST:PORT` or `unix:///PATH`; nil: the local syslog.
    public var address: String?

    public init(driver: Driver = .syslog, address: String? = nil) {
        self.driver = driver
        self.address = address
    }
}
