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
}
