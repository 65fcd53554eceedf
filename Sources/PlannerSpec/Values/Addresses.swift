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
        // Only canonical dotted decimal: resolvers (inet_aton) read "010" as octal 8 and "0x7f000001" or
        // "127.1" as 127.0.0.1, while other tools read them as decimal or as names, so two balancers of one
        // spec would route to different machines.
        if text.unicodeScalars.allSatisfy({ $0.isASCIIDigit || $0 == "." }) {
            if parts.count != 4 || parts.contains(where: \.isEmpty) {
                return "an IPv4 address has four numbers, for example 10.0.0.1"
            }
            if parts.contains(where: { $0.count > 3 || (Int($0).map { $0 > 255 } ?? true) }) { return "an IPv4 address has numbers 0 to 255" }
            if parts.contains(where: { $0.count > 1 && $0.hasPrefix("0") }) {
                return "an IPv4 address has no leading zeros (resolvers read 010 as octal 8): write it in plain decimal"
            }
            return nil
        }
        if parts.allSatisfy(isNumberPart) {
            return "looks like a number, which resolvers read as an IPv4 address: write the address in dotted decimal"
        }
        for label in parts {
            if label.isEmpty { return "a host name has no empty parts (no '..' and no trailing '.')" }
            if label.count > 63 { return "each part of a host name may be at most 63 characters" }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "a part of a host name cannot start or end with '-'" }
        }
        return nil
    }

    /// A part inet_aton reads as a number: decimal digits, or 0x followed by hex digits (or nothing).
    private static func isNumberPart(_ part: Substring) -> Bool {
        let scalars = Array(part.unicodeScalars)
        if !scalars.isEmpty && scalars.allSatisfy(\.isASCIIDigit) { return true }
        guard scalars.count >= 2, scalars[0] == "0", scalars[1] == "x" || scalars[1] == "X" else { return false }
        return scalars.dropFirst(2).allSatisfy(\.properties.isASCIIHexDigit)
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
