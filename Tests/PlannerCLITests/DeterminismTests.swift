import Testing

@Suite struct DeterminismTests {
    @Test(arguments: [["check", "topologies/shop.spec"], ["check", "--format", "json", "topologies/shop.spec"]])
    func twoRunsPrintIdenticalBytes(arguments: [String]) throws {
        let first = try Planner.run(arguments)
        let second = try Planner.run(arguments)
        #expect(first.status == 0)
        #expect(!first.stdout.isEmpty)
        #expect(first.stdout == second.stdout)
    }

    @Test func malformedSpecReportsIdenticalBytes() throws {
        let first = try Planner.check(spec: Specs.malformed)
        let second = try Planner.check(spec: Specs.malformed)
        #expect(first.status == 2)
        // The temporary paths differ; everything after them must not.
        let strip = { (run: PlannerRun) in run.output.split(separator: "\n").map { $0.split(separator: ":", maxSplits: 1).last ?? "" } }
        #expect(strip(first) == strip(second))
        #expect(strip(first).count >= 2)
    }
}
