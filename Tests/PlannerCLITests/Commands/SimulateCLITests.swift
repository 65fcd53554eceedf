import Foundation
import PlannerTestSupport
import Testing

/// `planner simulate`, run as a process: every flag and every exit status.
@Suite struct SimulateCLITests {
    /// The web shop as topologies/shop.spec first had it (that file grows with the project; these tests pin it).
    static let shop = try! SimulateCLI.temporary("shop.spec", """
        topology: shop-prod
        registry: registry.shop.internal:5000
        failures:
          hosts: 1
        hosts:
          app1: { cpu: 8, memory: 16GiB, zone: a, rack: a1, labels: [public] }
          app2: { cpu: 8, memory: 16GiB, zone: a, rack: a2, labels: [public] }
          app3: { cpu: 8, memory: 16GiB, zone: b, rack: b1, labels: [public] }
          db1:  { cpu: 16, memory: 64GiB, zone: a, rack: a1, labels: [ssd] }
          db2:  { cpu: 16, memory: 64GiB, zone: b, rack: b1, labels: [ssd] }
        purposes:
          web:
            image: registry.shop.internal:5000/web:2015.05.1
            replicas: 3
            cpu: 2
            memory: 2GiB
            ports: ["80:8080"]
            min_available: 2
            placement: { labels: [public] }
          redis-cache:
            image: registry.shop.internal:5000/redis:3.0.1
            replicas: 2
            cpu: 1
            memory: 4GiB
            ports: ["6379:6379"]
            placement: { labels: [ssd] }
          redis-sentinel:
            image: registry.shop.internal:5000/redis:3.0.1
            replicas: 3
            cpu: 500m
            memory: 256MiB
            ports: ["26379:26379"]
            min_available: majority
          openldap:
            image: registry.shop.internal:5000/openldap:2.4.40
            replicas: 2
            cpu: 1
            memory: 1GiB
            ports: ["389:389"]
            placement: { avoid: [web] }
        """)

    /// The on-call question on the real example file, whatever it holds today.
    @Test func shopExample() throws {
        let spec = PackageRoot.path("topologies/shop.spec")
        let run = try PlannerBinary.run("simulate", spec, "--fail", "app3")
        #expect(run.status == 0, "\(run)")
        #expect(run.output.contains("scenario: app3 fails"))
        #expect(run.output.contains(#/web +2/3 +2 +degraded/#))
    }

    @Test func oneHostFailsOnCall() throws {
        let run = try PlannerBinary.run("simulate", Self.shop, "--fail", "app3")
        #expect(run.status == 0, "\(run)")
        #expect(run.output.contains("scenario: app3 fails"))
        #expect(run.output.contains(#/web +2/3 +2 +degraded +down if app1 fails too/#))
        #expect(run.output.contains(#/redis-sentinel +3/3 +2 \(majority\) +up/#))
        #expect(run.output.contains("lost: 1 of 5 hosts, 8 of 56 cores, 16GiB of 176GiB memory"))
        #expect(run.output.contains("ok: no purpose down; degraded: web (2 of 3, min 2)"))
    }

    @Test func zoneAndHostTogetherTakePurposesDown() throws {
        let run = try PlannerBinary.run("simulate", Self.shop, "--fail", "zone=b", "--fail", "app1")
        #expect(run.status == 1, "\(run)")
        #expect(run.output.contains("scenario: zone=b, app1 fail (3 hosts: app1, app3, db2)"))
        #expect(run.output.contains(#/redis-sentinel +1/3 +2 \(majority\) +down \(quorum lost\)/#))
        #expect(run.output.contains("DOWN: web (1 of 3, needs 2), redis-sentinel (1 of 3, needs 2: quorum lost)"))
    }

    @Test func rackFailure() throws {
        let run = try PlannerBinary.run("simulate", Self.shop, "--fail", "rack=a1")
        #expect(run.status == 1, "\(run)")
        #expect(run.output.contains("scenario: rack=a1 fails (2 hosts: app1, db1)"))
        let comma = try PlannerBinary.run("simulate", Self.shop, "--fail", "app1,db1")
        #expect(comma.status == 1)
        #expect(comma.output.components(separatedBy: "\n").dropFirst(3) == run.output.components(separatedBy: "\n").dropFirst(3))
    }

    @Test(arguments: [
        (["--fail", "app9"], "unknown host 'app9'; did you mean"),
        (["--fail", "zone=c"], "unknown zone 'c' (the zones: a, b)"),
        (["--fail", "rack=zz"], "unknown rack 'zz'"),
        (["--fail", "b1"], "'b1' is a rack: write 'rack=b1'"),
        (["--fail", "region=b"], "unknown failure domain 'region'"),
        (["--any", "0"], "--any must be at least 1"),
        (["--any-racks", "0"], "--any-racks must be at least 1"),
        (["--any", "6"], "cannot fail 6 hosts: the spec has only 5 hosts"),
        (["--any-zones", "3"], "cannot fail 3 zones"),
        (["--limit=-1"], "--limit must be 0 or more"),
        (["--format", "xml"], "xml"),
        (["--placement", "/nonexistent/p.json"], "cannot read the placement file"),
    ])
    func invalidInputIsStatusTwo(arguments: [String], message: String) throws {
        let run = try PlannerBinary.run(["simulate", Self.shop] + arguments)
        #expect(run.status == 2, "\(run)")
        #expect(run.stderr.contains(message), "\(run)")
    }

    @Test func invalidInputInJSON() throws {
        let run = try PlannerBinary.run("simulate", Self.shop, "--fail", "app9", "--format", "json")
        #expect(run.status == 2)
        let object = try SimulateCLI.json(run.output)
        #expect(object["ok"] as? Bool == false)
        #expect((object["errors"] as? [String])?.first?.contains("did you mean") == true)
    }

    @Test func anyTwoHostsDesignReview() throws {
        let run = try PlannerBinary.run("simulate", Self.shop, "--any", "2")
        #expect(run.status == 1, "\(run)")
        #expect(run.output.contains("any 2 of 5 hosts (10 scenarios)"))
        #expect(run.output.contains(#/redis-cache +2/2 +1 +0 left: db1 \+ db2 +down +db1 \+ db2 +1 host/#))
        #expect(run.output.contains("weakest: down after 2 hosts: web (app1 + app2)"))
        #expect(run.output.contains(#/\n    db1 \+ db2 +down: redis-cache, redis-sentinel, openldap\n/#))
        #expect(run.output.contains("beyond its budget (survive hosts: 1)"))
        #expect(run.output.contains("DOWN: 4 of 4 purposes can go down; the worst set, db1 + db2, takes down 3"))
    }

    @Test func anyOneHostIsSurvived() throws {
        let run = try PlannerBinary.run("simulate", Self.shop, "--any", "1")
        #expect(run.status == 0, "\(run)")
        #expect(run.output.contains("ok: every purpose keeps its minimum when any 1 host fails"))
        #expect(run.output.contains(#/web +3/3 +2 +2 left: app1 +degraded +app1 \+ app2 +1 host/#))
    }

    @Test func anyRackAndAnyZone() throws {
        let racks = try PlannerBinary.run("simulate", Self.shop, "--any-racks", "1")
        #expect(racks.status == 1, "\(racks)")
        #expect(racks.output.contains("any 1 of 3 racks (3 scenarios)"))
        #expect(racks.output.contains(#/redis-sentinel .* down +rack=a1 +0 racks, 1 host +quorum lost/#))
        let zones = try PlannerBinary.run("simulate", Self.shop, "--any-zones", "1", "--any", "1")
        #expect(zones.status == 1, "\(zones)")
        #expect(zones.output.contains("any 1 of 2 zones (2 scenarios)"))
        #expect(zones.output.contains("any 1 of 5 hosts (5 scenarios)"))
        #expect(zones.output.contains(#/\n    zone=a +down: web, redis-sentinel/#))
    }

    @Test func failThenAny() throws {
        let run = try PlannerBinary.run("simulate", Self.shop, "--fail", "app3", "--any", "1")
        #expect(run.status == 1, "\(run)")
        #expect(run.output.contains("any 1 of 4 hosts after app3 fails (4 scenarios)"))
        #expect(run.output.contains(#/\n    app1 +down: web/#))
    }

    @Test func defaultIsTheSpecsBudget() throws {
        let run = try PlannerBinary.run("simulate", Self.shop)
        #expect(run.status == 0, "\(run)")
        #expect(run.output.contains("no --fail or --any given: analysing the spec's failure budget (1 host)"))
        #expect(run.output.contains("any 1 of 5 hosts"))
    }

    @Test func limitListsFewerSets() throws {
        let run = try PlannerBinary.run("simulate", Self.shop, "--any", "2", "--limit", "2")
        #expect(run.output.contains("(2 of 6 shown; --limit 0 lists all)"), "\(run)")
        let all = try PlannerBinary.run("simulate", Self.shop, "--any", "2", "--limit", "0")
        #expect(!all.output.contains("shown"))
        #expect(all.output.contains("app2 + app3"))
    }

    @Test func jsonScenarioAndAnalysis() throws {
        let run = try PlannerBinary.run("simulate", Self.shop, "--fail", "app3", "--any", "2", "--format", "json")
        #expect(run.status == 1, "\(run)")
        let object = try SimulateCLI.json(run.output)
        #expect(object["ok"] as? Bool == false)
        #expect(object["placement_source"] as? String == "solver")
        let scenario = try #require(object["scenario"] as? [String: Any])
        #expect(scenario["failed_hosts"] as? [String] == ["app3"])
        let web = try #require((scenario["purposes"] as? [[String: Any]])?.first { $0["purpose"] as? String == "web" })
        #expect(web["left"] as? Int == 2 && web["status"] as? String == "degraded" && web["min_available"] as? Int == 2)
        #expect(web["next_cut"] as? [String] == ["app1"])
        let lost = try #require(scenario["capacity_lost"] as? [String: Any])
        #expect(lost["cpu_millicores"] as? Int == 8000)
        let analysis = try #require((object["analyses"] as? [[String: Any]])?.first)
        #expect(analysis["domain"] as? String == "host" && analysis["k"] as? Int == 2)
        #expect(analysis["after"] as? [String] == ["app3"])
        #expect((analysis["failure_sets"] as? [[String: Any]])?.isEmpty == false)
        #expect((analysis["weakest"] as? [String])?.contains("web") == true)
    }

    /// Eight hosts, one replica each: the cut is every host, more than the text names.
    static let wide = try! SimulateCLI.temporary("wide.spec", """
        topology: wide
        failures: { hosts: 1 }
        hosts:
        \((1...8).map { "  w\($0): { cpu: 4, memory: 8GiB }" }.joined(separator: "\n"))
        purposes:
          cache:
            image: r/cache:1
            replicas: 8
            min_available: 1
            max_per_host: 1
            cpu: 1
            memory: 1GiB
        """)

    @Test("a long cut is named in part in the text, with its size, and in full in JSON")
    func longCutIsAbbreviated() throws {
        let text = try PlannerBinary.run("simulate", Self.wide, "--any", "1")
        #expect(text.status == 0, "\(text)")
        #expect(text.output.contains(#/cache +8/8 +1 +7 left: w\d +degraded +w\d \+ w\d \+ w\d \+ w\d \+ w\d \+ w\d \+ … \(8 in all\) +7 hosts/#),
                "\(text.output)")
        let json = try PlannerBinary.run("simulate", Self.wide, "--any", "1", "--format", "json")
        let analysis = try #require((try SimulateCLI.json(json.output)["analyses"] as? [[String: Any]])?.first)
        let cache = try #require((analysis["purposes"] as? [[String: Any]])?.first { $0["purpose"] as? String == "cache" })
        #expect((cache["cut"] as? [String])?.count == 8)
    }

    @Test func jsonAllUp() throws {
        let run = try PlannerBinary.run("simulate", Self.shop, "--any", "1", "--format", "json")
        #expect(run.status == 0)
        let object = try SimulateCLI.json(run.output)
        #expect(object["ok"] as? Bool == true)
        let analysis = try #require((object["analyses"] as? [[String: Any]])?.first)
        #expect(analysis["down"] as? [String] == [])
        #expect(analysis["failure_set_count"] as? Int == 0)
    }

    @Test func placementFromCheckOutput() throws {
        let check = try PlannerBinary.run("check", Self.shop, "--format", "json")
        #expect(check.status == 0)
        let file = try SimulateCLI.temporary("placement.json", check.output)
        let fromFile = try PlannerBinary.run("simulate", Self.shop, "--placement", file, "--fail", "app3", "--any", "2")
        let solved = try PlannerBinary.run("simulate", Self.shop, "--fail", "app3", "--any", "2")
        #expect(fromFile.status == solved.status)
        #expect(fromFile.output.contains("placement from \(file)"))
        #expect(fromFile.output.split(separator: "\n").dropFirst() == solved.output.split(separator: "\n").dropFirst())
    }

    @Test func stalePlacementWarns() throws {
        let check = try PlannerBinary.run("check", Self.shop, "--format", "json")
        let renamed = check.output.replacingOccurrences(of: #""topology": "shop-prod""#, with: #""topology": "shop-old""#)
        let file = try SimulateCLI.temporary("placement.json", renamed)
        let run = try PlannerBinary.run("simulate", Self.shop, "--placement", file, "--fail", "app3")
        #expect(run.status == 0, "\(run)")
        #expect(run.output.contains("may be stale: it was made for topology 'shop-old'"))
    }

    @Test func placementThatDoesNotMatchTheSpec() throws {
        let unknown = try SimulateCLI.temporary("unknown.json", #"{"placement": {"web": {"app1": 1, "app2": 1, "app7": 1}}}"#)
        let run = try PlannerBinary.run("simulate", Self.shop, "--placement", unknown)
        #expect(run.status == 2)
        #expect(run.stderr.contains("unknown host 'app7'"), "\(run)")
        let ghost = try SimulateCLI.temporary("ghost.json", #"{"placement": {"ghost": {"app1": 1}}}"#)
        #expect(try PlannerBinary.run("simulate", Self.shop, "--placement", ghost).stderr.contains("purpose 'ghost'"))
        let garbage = try SimulateCLI.temporary("garbage.json", "not json")
        let bad = try PlannerBinary.run("simulate", Self.shop, "--placement", garbage)
        #expect(bad.status == 2 && bad.stderr.contains("not valid JSON"))
    }

    /// Issue 18, defect 4: two counts of 2^62 once overflowed a sum in the Verifier (SIGILL).
    @Test func placementWithCountsWhoseSumOverflowsIsADiagnostic() throws {
        let huge = 1 << 62
        let file = try SimulateCLI.temporary("huge.json", """
            {"placement": {"web": {"app1": \(huge), "app2": \(huge), "app3": 1}, "redis-cache": {"db1": 1, "db2": 1},
              "redis-sentinel": {"app1": 1, "db1": 1, "db2": 1}, "openldap": {"db1": 1, "db2": 1}}}
            """)
        let run = try PlannerBinary.run("simulate", Self.shop, "--placement", file, "--any", "1")
        #expect(run.status == 2, "\(run)")
        #expect(run.stderr.contains("\(file): placement of 'web' on 'app1' (at placement.web.app1) is \(huge)"), "\(run)")
        #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("backtrace"))
    }

    @Test func placementThatBreaksARuleIsSimulatedWithAWarning() throws {
        let lopsided = """
            {"placement": {"web": {"app1": 2, "app2": 1}, "redis-cache": {"db1": 1, "db2": 1},
              "redis-sentinel": {"app1": 1, "db1": 1, "db2": 1}, "openldap": {"db1": 1, "db2": 1}}}
            """
        let file = try SimulateCLI.temporary("lopsided.json", lopsided)
        let run = try PlannerBinary.run("simulate", Self.shop, "--placement", file, "--fail", "app1")
        #expect(run.status == 1, "\(run)")
        #expect(run.output.contains("warning: the placement in \(file) breaks a rule of the spec"))
        #expect(run.output.contains(#/web +1/3 +2 +down/#))
    }

    @Test func acceptedSinglePointOfFailureIsReported() throws {
        let spec = try SimulateCLI.temporary("spof.spec", """
            topology: spof
            hosts:
              a: { cpu: 4, memory: 8GiB }
              b: { cpu: 4, memory: 8GiB }
            purposes:
              web: { image: registry.example/web:1, replicas: 2, cpu: 1, memory: 1GiB }
              cron: { image: registry.example/cron:1, replicas: 1, cpu: 1, memory: 1GiB, survive: { hosts: 0 } }
            """)
        let run = try PlannerBinary.run("simulate", spec, "--any", "1")
        #expect(run.status == 1, "\(run)")
        #expect(run.output.contains(#/cron +1/1 +1 +0 left: \w +down .* single point of failure accepted/#))
        #expect(run.output.contains("weakest: down after 1 host: cron"))
    }

    @Test func specProblems() throws {
        let broken = try SimulateCLI.temporary("broken.spec", "topology: [")
        let run = try PlannerBinary.run("simulate", broken, "--any", "1")
        #expect(run.status == 2, "\(run)")
        #expect(run.output.contains("error"))
        let unplaceable = try SimulateCLI.temporary("tight.spec", """
            topology: tight
            hosts:
              a: { cpu: 1, memory: 1GiB }
              b: { cpu: 1, memory: 1GiB }
            purposes:
              big: { image: registry.example/big:1, replicas: 2, cpu: 2, memory: 512MiB }
            """)
        let none = try PlannerBinary.run("simulate", unplaceable, "--fail", "a")
        #expect(none.status == 1, "\(none)")
        #expect(none.output.contains("no placement to simulate"))
        let missing = try PlannerBinary.run("simulate", "/nonexistent.spec")
        #expect(missing.status == 2)
    }

    @Test func helpMentionsEveryFlag() throws {
        let run = try PlannerBinary.run("simulate", "--help")
        #expect(run.status == 0)
        for flag in ["--placement", "--fail", "--any", "--any-racks", "--any-zones", "--format", "--limit"] {
            #expect(run.output.contains(flag), "\(flag)")
        }
    }
}

/// Scratch files and JSON parsing for these tests (the binary runs through `PlannerBinary`).
enum SimulateCLI {
    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// One directory for every file these tests write (some live as long as the process, in static
    /// properties), removed when the test process exits.
    static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("simulate-cli-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: SimulateCLI.scratch) }
        return url
    }()

    /// Writes `contents` to a fresh file in a directory of its own under `scratch`; returns its path.
    static func temporary(_ name: String, _ contents: String) throws -> String {
        let directory = scratch.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
