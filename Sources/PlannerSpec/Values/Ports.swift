/// `host:container[/tcp|udp]`, or one port for both sides.
public enum Ports {
    public static func parse(_ text: String) -> Result<PortMapping, ValueError> {
        var body = Substring(text)
        var proto = PortMapping.TransportProtocol.tcp
        if let slash = body.lastIndex(of: "/") {
            guard let parsed = PortMapping.TransportProtocol(rawValue: String(body[body.index(after: slash)...])) else {
                return .failure(.init("the protocol must be tcp or udp"))
            }
            proto = parsed
            body = body[..<slash]
        }
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            return .failure(.init("write host:container, for example \"80:8080\" (binding to one address is not supported)"))
        }
        var numbers: [Int] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 5, part.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(part) else {
                return .failure(.init("write host:container with numbers, for example \"80:8080\""))
            }
            guard (1...65535).contains(number) else { return .failure(.init("\(number) is not a port (1 to 65535)")) }
            numbers.append(number)
        }
        return .success(PortMapping(hostPort: numbers[0], containerPort: numbers.last!, proto: proto))
    }
}
