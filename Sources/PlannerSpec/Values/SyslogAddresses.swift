/// `logging.address`: where Docker's syslog driver sends logs, `udp://`, `tcp://` or `tcp+tls://` with a host
/// and port (an IPv6 host in brackets), or a local `unix://` (or `unixgram://`) socket.
enum SyslogAddresses {
    static func problem(with text: String) -> String? {
        if text.hasPrefix("unix://") || text.hasPrefix("unixgram://") {
            let path = text.drop { $0 != "/" }.dropFirst(2)
            guard path.hasPrefix("/"), path.count > 1,
                  path.unicodeScalars.allSatisfy({ $0.isASCIILetterOrDigit || "/._-".unicodeScalars.contains($0) }) else { return "write unix:///path/to/socket (letters, digits, / . _ -)" }
            return nil
        }
        let schemes = ["udp://", "tcp://", "tcp+tls://"]
        guard let scheme = schemes.first(where: text.hasPrefix) else {
            return "write udp://HOST:PORT, tcp://HOST:PORT, tcp+tls://HOST:PORT or unix:///PATH"
        }
        let rest = text.dropFirst(scheme.count)
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
              (1...65535).contains(port), rest[rest.index(after: colon)...].allSatisfy(\.isNumber) else {
            return "add a port, for example udp://127.0.0.1:514"
        }
        var host = String(rest[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { return "name the host" }
        return Addresses.problem(with: host)
    }
}
