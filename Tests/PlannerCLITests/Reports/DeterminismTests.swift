import PlannerTestSupport
import Testing

@Suite struct DeterminismTests {
    @Test(arguments: [["check", "topologies/shop.spec"], ["check", "--format", "json", "topologies/shop.spec"]])
    func twoRunsPrintIdenticalBytes(arguments: [String]) throws {
        let first = try PlannerBinary.run(arguments)
        let second = try PlannerBinary.run(arguments)
        #expect(first.status == 0)
        #expect(!first.stdout.isEmpty)
        #expect(first.stdout == second.stdout)
    }

    @Test func malformedSpecReportsIdenticalBytes() throws {
        let first = try PlannerBinary.check(spec: Specs.malformed)
        let second = try PlannerBinary.check(spec: Specs.malformed)
        #expect(first.status == 2)
        // The temporary paths differ; everything after them must not.
        let strip = { (run: CapturedRun) in run.output.split(separator: "\n").map { $0.split(separator: ":", maxSplits: 1).last ?? "" } }
        #expect(strip(first) == strip(second))
        #expect(strip(first).count >= 2)
    }
}
