@testable import PlannerKit
@testable import PlannerCLI
import Testing

@Suite struct DiffReportTests {
    static let diff = DeploymentDiff(hosts: [
        .init(host: "a", start: [.init(name: "web", purpose: "web")], stop: [.init(name: "db", purpose: "db")],
              recreate: [.init(name: "web-2", purpose: "web", reasons: ["image", "env MODE"])], unchanged: [.init(name: "lb", purpose: "lb")]),
        .init(host: "b", unchanged: [.init(name: "web", purpose: "web")]),
    ], balancers: [.init(balancer: "lb", added: ["server a 10.0.0.1:80 check"], removed: [], configChanged: true)], moved: 1)

    @Test func colourOnlyOnATerminalWithoutNoColor() {
        #expect(DiffReport.wantsColour(environment: [:], isTerminal: true))
        #expect(!DiffReport.wantsColour(environment: [:], isTerminal: false))
        #expect(!DiffReport.wantsColour(environment: ["NO_COLOR": "1"], isTerminal: true))
        #expect(DiffReport.wantsColour(environment: ["NO_COLOR": ""], isTerminal: true))
    }

    @Test func textWithAndWithoutColour() {
        let plain = DiffReport.text(Self.diff, colour: false)
        #expect(plain == """
            host a
              + web
              - db
              ~ web-2 (image, env MODE)
              = lb
            host b: 1 unchanged
            balancer lb (reloaded)
              + server a 10.0.0.1:80 check
            1 to start, 1 to stop, 1 moved, 1 recreated on 1 host, 1 balancer reconfigured

            """)
        let coloured = DiffReport.text(Self.diff, colour: true)
        #expect(coloured.contains("\u{1B}[32m  + web\u{1B}[0m") && coloured.contains("\u{1B}[31m  - db\u{1B}[0m"))
        #expect(coloured.replacingOccurrences(of: "\u{1B}[32m", with: "").replacingOccurrences(of: "\u{1B}[31m", with: "")
            .replacingOccurrences(of: "\u{1B}[33m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "") == plain)
    }
}
