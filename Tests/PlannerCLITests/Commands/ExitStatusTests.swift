import Foundation
import PlannerTestSupport
import Testing

/// 0: every rule holds; 1: no placement (or --strict warnings); 2: unreadable or malformed spec, or bad usage.
@Suite struct ExitStatusTests {
    @Test func shopSpecIsPlacedWithStatusZero() throws {
        let run = try PlannerBinary.run(["check", "topologies/shop.spec"])
        #expect(run.status == 0, "\(run.output)\(run.stderr)")
        #expect(run.output.hasPrefix("placement of shop-prod"))
        #expect(run.output.contains("survival:"))
        #expect(run.output.contains("\nok: 12 replicas of 5 purposes"))  // 4 purposes and the balancer front
        let header = try #require(run.output.split(separator: "\n").dropFirst().first)
        #expect(header.split(separator: " ", omittingEmptySubsequences: true).prefix(5)
                == ["host", "web", "redis-cache", "redis-sentinel", "openldap"])
    }

    @Test func malformedSpecIsStatusTwo() throws {
        let run = try PlannerBinary.check(spec: Specs.malformed)
        #expect(run.status == 2)
        #expect(run.output.contains("[unknown-key]"))
        #expect(run.output.contains("[bad-unit]"))
        #expect(run.output.contains("test.spec:7:5: error: unknown key 'replica'"))
    }

    @Test func missingFileIsStatusTwo() throws {
        let run = try PlannerBinary.run(["check", "/nonexistent/planner-cli-test.spec"])
        #expect(run.status == 2)
        #expect(run.output.contains("[unreadable-file]"))
    }

    @Test func directoryIsStatusTwo() throws {
        let directory = try TemporaryDirectory()
        let run = try PlannerBinary.run(["check", directory.url.path])
        #expect(run.status == 2)
        #expect(run.output.contains("is a directory"))
    }

    @Test(arguments: [
        ["check", "--bogus", "topologies/shop.spec"],
        ["check", "--format", "xml", "topologies/shop.spec"],
        ["check"],
        ["check", "topologies/shop.spec", "--steps", "0"],
        ["frobnicate"],
    ])
    func badUsageIsStatusTwoNotSixtyFour(arguments: [String]) throws {
        let run = try PlannerBinary.run(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains("Error"), "bad usage is explained on stderr")
        #expect(run.output.isEmpty)
    }

    @Test func replicaThatCannotSurviveIsStatusOne() throws {
        let run = try PlannerBinary.check(spec: Specs.cannotSurvive)
        #expect(run.status == 1)
        #expect(run.output.contains("[cannot-survive]"))
        #expect(run.output.contains("no placement"))
    }

    @Test func majorityAcrossTwoZonesIsInsufficientSpreadNamingTheZones() throws {
        let run = try PlannerBinary.check(spec: Specs.twoZones)
        #expect(run.status == 1)
        let line = try #require(run.output.split(separator: "\n").first { $0.contains("[insufficient-spread]") })
        #expect(line.contains("north"))
        #expect(line.contains("south"))
        #expect(line.contains("quorum"))
    }

    @Test func strictTurnsAnUnpinnedImageWarningIntoStatusOne() throws {
        let spec = Specs.placeable(image: "registry.example/web:latest")
        let lenient = try PlannerBinary.check(spec: spec)
        #expect(lenient.status == 0)
        #expect(lenient.output.contains("warning:"))
        #expect(lenient.output.contains("[unpinned-image]"))
        let strict = try PlannerBinary.check(spec: spec, ["--strict"])
        #expect(strict.status == 1)
        #expect(strict.output.contains("error:"))
        #expect(strict.output.contains("[unpinned-image]"))
    }

    @Test func strictLeavesACleanSpecAtStatusZero() throws {
        let run = try PlannerBinary.check(spec: Specs.placeable(), ["--strict"])
        #expect(run.status == 0, "\(run.output)")
    }

    @Test func helpIsStatusZero() throws {
        let run = try PlannerBinary.run(["--help"])
        #expect(run.status == 0)
        #expect(run.output.contains("USAGE"))
        #expect(run.output.contains("check"))
        let checkHelp = try PlannerBinary.run(["check", "--help"])
        #expect(checkHelp.status == 0)
        #expect(checkHelp.output.contains("--strict"))
    }

    @Test func diffAndRolloutHelpDocumentTheirStatuses() throws {
        let root = try PlannerBinary.run(["--help"])
        #expect(root.output.contains("diff") && root.output.contains("rollout"), "\(root.output)")
        #expect(root.output.replacingOccurrences(of: "\n", with: " ").contains("exits 3"), "\(root.output)")
        let diff = try PlannerBinary.run(["diff", "--help"])
        #expect(diff.status == 0)
        #expect(diff.output.contains("--exit-code") && diff.output.replacingOccurrences(of: "\n", with: " ").contains("3 when something does"), "\(diff.output)")
        let rollout = try PlannerBinary.run(["rollout", "--help"])
        #expect(rollout.status == 0 && rollout.output.contains("rollout.json"), "\(rollout.output)")
        let simulate = try PlannerBinary.run(["simulate", "--help"])
        #expect(simulate.output.contains("--rollout"), "\(simulate.output)")
        let plan = try PlannerBinary.run(["plan", "--help"])
        #expect(plan.output.contains("--rollout-survive"), "\(plan.output)")
    }

    @Test func diffAndRolloutBadUsageIsStatusTwo() throws {
        #expect(try PlannerBinary.run(["diff", "topologies/shop.spec", "--fresh", "--from", "x.json"]).status == 2)
        #expect(try PlannerBinary.run(["rollout", "/nonexistent"]).status == 2)
        #expect(try PlannerBinary.run(["simulate", "topologies/shop.spec", "--rollout", "x.json", "--any", "1"]).status == 2)
        #expect(try PlannerBinary.run(["plan", "topologies/shop.spec", "--rollout-survive", "-1", "--dry-run"]).status == 2)
    }
}
