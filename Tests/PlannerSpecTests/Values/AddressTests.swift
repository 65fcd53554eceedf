import PlannerSpec
import Testing

/// Host addresses (issue 18, defect 6): only canonical dotted-decimal IPv4, since resolvers read leading
/// zeros as octal and bare or hex numbers as addresses, and balancers disagree on them.
@Suite struct AddressTests {
    static func spec(address: String) -> String {
        """
        topology: t
        hosts:
          h1: {address: "\(address)", cpu: 4, memory: 8GiB}
          h2: {cpu: 4, memory: 8GiB}
        purposes:
          web: {image: a:1, replicas: 2, cpu: 1, memory: 1GiB}

        """
    }

    static func addressFindings(_ address: String) -> [Diagnostic] {
        SpecLoader.load(text: spec(address: address), file: "t.spec").diagnostics.filter {
            $0.severity == .error && $0.message.contains("address '")
        }
    }

    @Test(arguments: ["127.0.0.010", "010.0.0.1", "127.00.0.1", "0x7f000001", "0X7F000001", "0x7f.0.0.1", "0x", "127.1",
                      "2130706433", "1.2.3.4.5", "1.2.3.", "127.0.0.256", "0x7f.1", "1..2.3"])
    func numbersThatAreNotCanonicalIPv4AreRefused(address: String) throws {
        let findings = Self.addressFindings(address)
        #expect(findings.count == 1, "\(address): \(findings)")
        let finding = try #require(findings.first)
        #expect(finding.code == .badValue)
        #expect(finding.location?.line == 3 && finding.location?.column == 17, "\(finding)")
    }

    @Test(arguments: ["127.0.0.10", "10.0.0.1", "0.0.0.0", "255.255.255.255", "db1.internal", "0xdb.example",
                      "x0x7f", "0abc", "3com.example", "fe80::1", "::ffff:7f00:1", "00ab::1"])
    func canonicalAddressesAndNamesAreAccepted(address: String) {
        #expect(Self.addressFindings(address).isEmpty, "\(address)")
    }

    @Test func leadingZerosSayWhy() throws {
        let finding = try #require(Self.addressFindings("127.0.0.010").first)
        #expect(finding.message.contains("no leading zeros"), "\(finding.message)")
        let hex = try #require(Self.addressFindings("0x7f000001").first)
        #expect(hex.message.contains("looks like a number"), "\(hex.message)")
    }
}
