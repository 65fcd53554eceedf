// One thing to fail, as --fail names it: a host, a rack or a zone.

import PlannerSpec

/// One thing to fail: a host (`app3` or `host=app3`), a rack (`rack=a1`) or a zone (`zone=b`).
public struct FailureSelector: Sendable, Hashable, CustomStringConvertible {
    public var domain: FailureBudget.Domain
    public var name: String

    public init(_ domain: FailureBudget.Domain, _ name: String) {
        self.domain = domain
        self.name = name
    }

    public var description: String { domain == .host ? name : "\(domain.rawValue)=\(name)" }

    /// `app3`, `host=app3`, `rack=a1`, `zone=b`; several separated by commas.
    public static func parse(_ text: String) throws(SimulationInputError) -> [FailureSelector] {
        var selectors: [FailureSelector] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = item.trimmingWhitespace()
            guard !item.isEmpty else { throw SimulationInputError("empty name in '\(Names.printable(text))'") }
            guard let equals = item.firstIndex(of: "=") else {
                selectors.append(FailureSelector(.host, item))
                continue
            }
            let key = String(item[..<equals]), name = String(item[item.index(after: equals)...])
            guard let domain = FailureBudget.Domain(rawValue: key) else {
                let hint = closestMatch(to: key, among: FailureBudget.Domain.allCases.map(\.rawValue))
                    .map { "; did you mean '\($0)='?" } ?? "; write host=NAME, rack=NAME or zone=NAME"
                throw SimulationInputError("unknown failure domain '\(Names.printable(key))' in '\(Names.printable(item))'" + hint)
            }
            guard !name.isEmpty else { throw SimulationInputError("'\(item)' names no \(domain.rawValue)") }
            selectors.append(FailureSelector(domain, name))
        }
        return selectors
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
