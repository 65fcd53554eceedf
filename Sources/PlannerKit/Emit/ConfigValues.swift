// The checks both balancer emitters (HAProxy, nginx) apply to every value they write.

import PlannerSpec

/// The checks both configuration emitters apply to every value they write.
enum ConfigValues {
    /// Names and addresses: letters, digits, `.`, `-`, `:` (IPv6), nothing that ends a directive.
    static func token(_ text: String, _ what: String) throws -> String {
        let ok = !text.isEmpty && text.unicodeScalars.count <= 253 && text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "-" || $0 == ":"
        }
        guard ok else { throw EmitError("\(what) '\(Names.printable(text))' cannot go into a balancer configuration") }
        return text
    }

    static func path(_ text: String) throws -> String {
        if let problem = HealthPaths.problem(with: text) {
            throw EmitError("health path '\(Names.printable(text))' cannot go into a balancer configuration: \(problem)")
        }
        return text
    }

    /// `<purpose>-<port>` per route; a second route to the same purpose and port (on another listen port)
    /// gets `<purpose>-<port>_<listen>`, so no two backends or upstreams share a name (`_` is in no purpose name).
    static func backendNames(_ routes: [Route]) throws -> [String] {
        var seen = Set<String>()
        return try routes.map { route in
            let base = "\(try token(route.purpose, "purpose name"))-\(try port(route.port))"
            let name = seen.contains(base) ? "\(base)_\(try port(route.listen))" : base
            seen.insert(name)
            return name
        }
    }

    static func port(_ value: Int) throws -> Int {
        guard (1...65535).contains(value) else { throw EmitError("\(value) is not a port") }
        return value
    }
}
