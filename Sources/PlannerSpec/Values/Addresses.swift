/// Host addresses: `address:` of a host, and the host of a syslog address.
enum Addresses {
    /// An IPv4 address (four numbers 0…255), an IPv6 address, or a DNS name (labels of letters, digits
    /// and '-', not starting or ending with '-'). These go into balancer configurations and endpoint lists.
    static func problem(with text: String) -> String? {
        if text.count > 253 { return "too long" }
        let allowed = text.unicodeScalars.allSatisfy {
            $0.isASCIILetterOrDigit || $0 == "." || $0 == "-" || $0 == ":"
        }
        if !allowed { return "use an IP address or a host name (letters, digits, '.', '-', ':')" }
        if text.hasPrefix("-") || text.hasPrefix(".") { return "must start with a letter or digit" }
        if text.contains(":") {
            return isIPv6(text) ? nil : "not an IPv6 address (a ':' is only allowed in one)"
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
            if parts.count != 4 { return "an IPv4 address has four numbers, for example 10.0.0.1" }
            if parts.contains(where: { $0.count > 3 || (Int($0).map { $0 > 255 } ?? true) }) { return "an IPv4 address has numbers 0 to 255" }
            return nil
        }
        for label in parts {
            if label.isEmpty { return "a host name has no empty parts (no '..' and no trailing '.')" }
            if label.count > 63 { return "each part of a host name may be at most 63 characters" }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "a part of a host name cannot start or end with '-'" }
        }
        return nil
    }

    /// RFC 4291 text form, without a zone (`%eth0`) or an embedded IPv4 tail.
    static func isIPv6(_ text: String) -> Bool {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ part: String) -> [Substring]? {
            if part.isEmpty { return [] }
            let items = part.split(separator: ":", omittingEmptySubsequences: false)
            guard items.allSatisfy({ (1...4).contains($0.count) && $0.unicodeScalars.allSatisfy(\.properties.isASCIIHexDigit) }) else { return nil }
            return items
        }
        guard let head = groups(halves[0]) else { return false }
        if halves.count == 1 { return head.count == 8 }
        guard let tail = groups(halves[1]) else { return false }
        return head.count + tail.count <= 7
    }
}
