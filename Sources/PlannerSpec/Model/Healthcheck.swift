/// A container health check: an HTTP request from inside the container, or a command.
public struct Healthcheck: Sendable, Hashable {
    public enum Test: Sendable, Hashable {
        /// GET http://127.0.0.1:PORT PATH must answer 2xx.
        case http(path: String, port: Int)
        /// Run directly (a list) or through the shell (a string).
        case command([String])
        case shell(String)
    }

    public var test: Test
    /// Milliseconds.
    public var interval: Int
    public var timeout: Int
    public var retries: Int

    public init(test: Test, interval: Int = 10_000, timeout: Int = 5_000, retries: Int = 3) {
        self.test = test
        self.interval = interval
        self.timeout = timeout
        self.retries = retries
    }
}
