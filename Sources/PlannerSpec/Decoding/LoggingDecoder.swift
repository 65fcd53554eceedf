// LoggingDecoder: the topology's `logging:`, where every container's logs go.
import Yams

/// Decodes `logging:`; nil when any part of it is wrong (each problem is reported).
struct LoggingDecoder {
    let reader: NodeReader

    static let keys = ["driver", "address"]

    func decode(_ node: Node) -> LoggingConfig? {
        guard let entries = reader.mapping(node, "logging") else { return nil }
        reader.rejectUnknownKeys(entries, allowed: Self.keys, in: "logging")
        let field = entries.value(of:)
        var config = LoggingConfig()
        var ok = true
        if let node = field("driver") {
            if let text = reader.string(node, "logging.driver") {
                if let driver = LoggingConfig.Driver(rawValue: text) {
                    config.driver = driver
                } else {
                    reader.error(.badValue, "logging.driver must be 'syslog', found '\(Names.printable(text))'", at: node)
                    ok = false
                }
            } else { ok = false }
        } else {
            reader.error(.missingKey, "missing key 'driver' in logging (write 'driver: syslog')", at: node)
            ok = false
        }
        if let node = field("address"), let text = reader.string(node, "logging.address") {
            if let problem = SyslogAddresses.problem(with: text) {
                reader.error(.badValue, "logging.address '\(Names.printable(text))' is not valid: \(problem)", at: node)
                ok = false
            } else {
                config.address = text
            }
        }
        return ok ? config : nil
    }
}
