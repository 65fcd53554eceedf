import Foundation
import PlannerTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A real HAProxy with the configuration `planner plan` writes: traffic survives losing a host.
///
/// Each placed replica of `app` is a tiny HTTP server on its host's loopback address and published port;
/// HAProxy listens on the route's port. Requests all succeed; then every server of one host stops; once
/// HAProxy's health checks mark it down (its log says so, within a bounded wait) requests all succeed again,
/// answered by the other hosts. Everything started is stopped at the end, also when the test fails.
@Suite(.serialized) struct PlanFailoverTests {
    static let spec = """
        topology: failover
        failures: { hosts: 1 }
        hosts:
          h1: { address: 127.0.0.21, cpu: 4, memory: 4GiB }
          h2: { address: 127.0.0.22, cpu: 4, memory: 4GiB }
          h3: { address: 127.0.0.23, cpu: 4, memory: 4GiB }
        purposes:
          app:
            image: "example/app:1.0"
            replicas: 3
            min_available: 2
            cpu: 1
            memory: 256MiB
            ports: ["18081:8080"]
            healthcheck: { http: /healthz, interval: 1s }
        balancers:
          front:
            kind: haproxy
            routes:
              - { listen: 18080, purpose: app, port: 8080, health: /healthz, check_interval: 200ms }
        """

    @Test(.enabled(if: ExternalTool.usable("haproxy"), ExternalTool.skipMessage("haproxy")), .timeLimit(.minutes(1)))
    func trafficLeavesADeadHost() throws {
        let haproxy = try ExternalTool.require("haproxy")
        let scratch = try TemporaryDirectory()
        let specFile = scratch.url.appendingPathComponent("failover.spec")
        try Data(Self.spec.utf8).write(to: specFile)
        let out = scratch.url.appendingPathComponent("deploy")
        let plan = try PlannerBinary.run(["plan", specFile.path, "--out", out.path])
        try #require(plan.status == 0, "\(plan.output)\(plan.stderr)")

        // The placement says which hosts run app; the config must list exactly those.
        let placementData = try Data(contentsOf: out.appendingPathComponent("placement.json"))
        let placement = try #require((try JSONSerialization.jsonObject(with: placementData) as? [String: Any])?["placement"]
                                     as? [String: [String: Int]])
        let appHosts = try #require(placement["app"]).filter { $0.value > 0 }.keys.sorted()
        #expect(appHosts == ["h1", "h2", "h3"])
        let config = out.appendingPathComponent("balancers/front/haproxy.cfg")
        let addresses = ["h1": "127.0.0.21", "h2": "127.0.0.22", "h3": "127.0.0.23"]

        var servers: [String: TinyHTTPServer] = [:]
        defer { servers.values.forEach { $0.stop() } }
        for host in appHosts {
            servers[host] = try TinyHTTPServer(address: addresses[host]!, port: 18081, body: "hello from \(host)\n")
        }

        let log = scratch.url.appendingPathComponent("haproxy.log")
        #expect(FileManager.default.createFile(atPath: log.path, contents: nil))
        let logHandle = try FileHandle(forWritingTo: log)
        defer { try? logHandle.close() }
        let balancer = Process()
        balancer.executableURL = haproxy
        balancer.arguments = ["-db", "-f", config.path]
        balancer.standardOutput = logHandle
        balancer.standardError = logHandle
        balancer.standardInput = FileHandle.nullDevice
        try balancer.run()
        defer {
            if balancer.isRunning {
                balancer.terminate()
                let deadline = Date().addingTimeInterval(5)
                while balancer.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
                if balancer.isRunning { kill(balancer.processIdentifier, SIGKILL) }
            }
            balancer.waitUntilExit()
        }

        // Up: wait (bounded) until HAProxy answers, then every request succeeds and every host serves.
        try #require(waitUntil(seconds: 10) { (try? TinyHTTPClient.get(port: 18080))?.status == 200 },
                     "haproxy did not start answering on 18080:\n\(Self.text(log))")
        var answered: Set<String> = []
        for _ in 0..<30 {
            let response = try TinyHTTPClient.get(port: 18080)
            #expect(response.status == 200, "before the failure: \(response)")
            answered.insert(response.body.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(answered == Set(appHosts.map { "hello from \($0)" }))

        // Down: stop every server of h2; the health checks notice within a bounded wait.
        servers["h2"]?.stop()
        let noticed = waitUntil(seconds: 10) { Self.text(log).contains("h2 is DOWN") }
        #expect(noticed, "haproxy never marked h2 down:\n\(Self.text(log))")
        var after: Set<String> = []
        for _ in 0..<30 {
            let response = try TinyHTTPClient.get(port: 18080)
            #expect(response.status == 200, "after the failure: \(response)")
            after.insert(response.body.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(after == ["hello from h1", "hello from h3"])
    }

    static func text(_ url: URL) -> String { (try? String(contentsOf: url, encoding: .utf8)) ?? "" }

    private func waitUntil(seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return condition()
    }
}

/// An HTTP server on one address and port that answers every request with 200 and `body`,
/// on a thread of its own; `stop()` closes it (new connections are then refused).
final class TinyHTTPServer: @unchecked Sendable {
    private let fd: Int32
    private let body: String
    private let lock = NSLock()
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    private var stopped = false

    init(address: String, port: UInt16, body: String) throws {
        self.body = body
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SetupError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        inet_pton(AF_INET, address, &addr.sin_addr)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw SetupError("cannot listen on \(address):\(port): \(message)")
        }
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func serve() {
        defer { finished.signal() }
        while !isStopping {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            answer(client)
        }
    }

    private func answer(_ client: Int32) {
        defer { close(client) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while request.count < 65536 {
            let n = read(client, &buffer, buffer.count)
            if n <= 0 { break }
            request += buffer[0..<n]
            if request.count >= 4, request.suffix(4) == [13, 10, 13, 10] { break }
        }
        let response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        let bytes = Array(response.utf8)
        _ = bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Stops accepting and closes the socket; safe to call more than once.
    func stop() {
        let first: Bool = lock.withLock {
            defer { stopping = true }
            return !stopping
        }
        guard first else { return }
        finished.wait()
        close(fd)
    }
}

/// A one-request HTTP/1.0 client with timeouts.
enum TinyHTTPClient {
    struct Response: CustomStringConvertible {
        var status: Int
        var body: String
        var description: String { "\(status) \(body)" }
    }

    static func get(port: UInt16, path: String = "/", address: String = "127.0.0.1") throws -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SetupError("socket failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        inet_pton(AF_INET, address, &addr.sin_addr)
        let connected = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw SetupError("cannot connect to \(address):\(port): \(String(cString: strerror(errno)))") }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while response.count < 1 << 20 {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            response += buffer[0..<n]
        }
        let text = String(decoding: response, as: UTF8.self)
        let statusLine = text.prefix { $0 != "\r" && $0 != "\n" }
        let parts = statusLine.split(separator: " ")
        let status = parts.count >= 2 ? Int(parts[1]) ?? 0 : 0
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return Response(status: status, body: body)
    }
}
