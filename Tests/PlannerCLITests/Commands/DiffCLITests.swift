import Foundation
import PlannerTestSupport
import Testing

/// `planner diff`: every kind of change with its reason, against a folder `plan` wrote; exit statuses; JSON;
/// nothing written; and `plan` printing the same summary.
@Suite struct DiffCLITests {
    typealias Scene = PlanWriterTests.Scene

    /// Web on h1 and h2 (pinned), a sentinel pinned to h3 that web's env lists, a balancer in front of web.
    static let spec = """
        topology: difftest
        failures: { hosts: 0 }
        hosts:
          h1: { address: 10.0.0.1, cpu: 8, memory: 8GiB }
          h2: { address: 10.0.0.2, cpu: 8, memory: 8GiB }
          h3: { address: 10.0.0.3, cpu: 8, memory: 8GiB }
          h4: { address: 10.0.0.4, cpu: 8, memory: 8GiB }
        purposes:
          web:
            image: "web:1"
            replicas: 2
            cpu: 1
            memory: 1GiB
            ports: ["8080:8080"]
            command: ["serve", "--fast"]
            env: { MODE: "prod", SENTINELS: "@{sentinel:26379}" }
            placement: { hosts: [h1, h2] }
          sentinel:
            image: "redis:7"
            ports: ["26379:26379"]
            replicas: 1
            cpu: 1
            memory: 1GiB
            placement: { hosts: [h3] }
        balancers:
          lb:
            kind: haproxy
            replicas: 1
            placement: { hosts: [h4] }
            routes:
              - { listen: 80, purpose: web, port: 8080 }

        """

    func deployed(_ text: String = DiffCLITests.spec) throws -> Scene {
        let scene = try Scene(text)
        let run = try scene.plan()
        #expect(run.status == 0, "\(run)")
        return scene
    }

    func diff(_ scene: Scene, _ extra: [String] = []) throws -> CapturedRun {
        try PlannerBinary.run(["diff", scene.specPath, "--out", scene.out.path] + extra)
    }

    /// Deploys the spec, writes the edited one, and diffs: the text output, after checking nothing was written.
    func change(_ edit: (String) -> String) throws -> String {
        let scene = try deployed()
        let before = WriteFaultTests.snapshot(scene.out)
        try scene.write(edit(Self.spec))
        let run = try diff(scene)
        #expect(run.status == 0, "\(run)")
        #expect(WriteFaultTests.snapshot(scene.out) == before, "diff wrote into the folder")
        return run.output
    }

    @Test func noChangesIsStatusZeroEvenWithExitCode() throws {
        let scene = try deployed()
        // A backup copy beside a generated file is not deployed.
        try FileManager.default.copyItem(at: scene.out.appendingPathComponent("balancers/lb/haproxy.cfg"),
                                         to: scene.out.appendingPathComponent("balancers/lb/haproxy.cfg.bak"))
        let run = try diff(scene, ["--exit-code"])
        #expect(run.status == 0, "\(run)")
        #expect(run.output.hasSuffix("no changes\n"), "\(run.output)")
        #expect(run.output.contains("host h1: 1 unchanged"), "\(run.output)")
    }

    @Test func changesAreStatusThreeWithExitCodeOnly() throws {
        let scene = try deployed()
        try scene.write(Self.spec.replacingOccurrences(of: "web:1", with: "web:2"))
        #expect(try diff(scene).status == 0)
        let run = try diff(scene, ["--exit-code"])
        #expect(run.status == 3, "\(run)")
    }

    @Test func errorsKeepTheirStatuses() throws {
        let scene = try deployed()
        try scene.write(Self.spec.replacingOccurrences(of: "replicas: 2", with: "replicas: 9"))
        #expect(try diff(scene, ["--exit-code"]).status == 1)
        try scene.write("topology: [")
        #expect(try diff(scene, ["--exit-code"]).status == 2)
        try scene.write(Self.spec)
        try Data("services: [".utf8).write(to: scene.out.appendingPathComponent("hosts/h1/compose.yaml"))
        let broken = try diff(scene)
        #expect(broken.status == 2, "\(broken)")
        #expect(broken.stderr.contains("hosts/h1/compose.yaml: not valid YAML"), "\(broken.stderr)")
        // plan replaces it, counting its services as recreated.
        let plan = try scene.plan()
        #expect(plan.status == 0, "\(plan)")
        #expect(plan.output.contains("changes: 0 to start, 0 to stop, 0 moved, 1 recreated on 1 host"), "\(plan.output)")
    }

    @Test func imageBumpRecreatesWithItsReason() throws {
        let output = try change { $0.replacingOccurrences(of: "web:1", with: "web:2") }
        #expect(output.contains("host h1\n  ~ web (image)\n"), "\(output)")
        #expect(output.contains("host h2\n  ~ web (image)\n"), "\(output)")
        #expect(output.contains("host h3: 1 unchanged"), "\(output)")
        #expect(output.hasSuffix("0 to start, 0 to stop, 0 moved, 2 recreated on 2 hosts\n"), "\(output)")
    }

    @Test func aNamedEnvVarCommandPortsAndLimits() throws {
        #expect(try change { $0.replacingOccurrences(of: "\"prod\"", with: "\"staging\"") }.contains("~ web (env MODE)"))
        #expect(try change { $0.replacingOccurrences(of: "\"--fast\"", with: "\"--slow\"") }.contains("~ web (command)"))
        #expect(try change { $0.replacingOccurrences(of: "8080:8080\"]", with: "8080:8080\", \"9090:9090\"]") }.contains("~ web (ports)"))
        let limits = try change { $0.replacingOccurrences(of: "    cpu: 1\n    memory: 1GiB\n    ports", with: "    cpu: 2\n    memory: 1GiB\n    ports") }
        #expect(limits.contains("~ web (limits)"), "\(limits)")
    }

    @Test func aMovedSentinelChangesTheEndpointList() throws {
        let output = try change { $0.replacingOccurrences(of: "placement: { hosts: [h3] }", with: "placement: { hosts: [h4] }") }
        #expect(output.contains("host h3 (left with nothing: docker compose down)\n  - sentinel\n"), "\(output)")
        #expect(output.contains("host h4\n  + sentinel\n  = lb\n"), "\(output)")
        #expect(output.contains("~ web (env SENTINELS (endpoints))"), "\(output)")
        #expect(output.hasSuffix("1 to start, 1 to stop, 1 moved, 2 recreated on 4 hosts\n"), "\(output)")
    }

    @Test func moreReplicasStartAndAddBackends() throws {
        let output = try change {
            $0.replacingOccurrences(of: "replicas: 2", with: "replicas: 3").replacingOccurrences(of: "hosts: [h1, h2]", with: "hosts: [h1, h2, h4]")
        }
        #expect(output.contains("host h4\n  + web\n  = lb\n"), "\(output)")
        #expect(output.contains("balancer lb (reloaded)\n  + server h4 10.0.0.4:8080 check\n"), "\(output)")
        #expect(output.hasSuffix("1 to start, 0 to stop, 0 moved, 0 recreated on 1 host, 1 balancer reconfigured\n"), "\(output)")
    }

    @Test func fewerReplicasStopAndRemoveBackends() throws {
        let output = try change {
            $0.replacingOccurrences(of: "replicas: 2", with: "replicas: 1").replacingOccurrences(of: "hosts: [h1, h2]", with: "hosts: [h1]")
        }
        #expect(output.contains("host h2 (left with nothing: docker compose down)\n  - web\n"), "\(output)")
        #expect(output.contains("balancer lb (reloaded)\n  - server h2 10.0.0.2:8080 check\n"), "\(output)")
        #expect(output.contains("0 to start, 1 to stop, 0 moved"), "\(output)")
    }

    @Test func jsonNamesEveryChange() throws {
        let scene = try deployed()
        try scene.write(Self.spec.replacingOccurrences(of: "web:1", with: "web:2")
            .replacingOccurrences(of: "placement: { hosts: [h3] }", with: "placement: { hosts: [h4] }"))
        let run = try diff(scene, ["--format", "json", "--exit-code"])
        #expect(run.status == 3, "\(run)")
        let object = try run.json()
        #expect(object["ok"] as? Bool == true)
        #expect(object["changes"] as? Bool == true)
        #expect(object["summary"] as? String == "1 to start, 1 to stop, 1 moved, 2 recreated on 4 hosts")
        #expect(object["moved"] as? Int == 1 && object["recreate"] as? Int == 2)
        let hosts = try #require(object["hosts"] as? [[String: Any]])
        #expect(hosts.map { $0["host"] as? String } == ["h1", "h2", "h3", "h4"])
        let recreated = try #require((hosts[0]["recreate"] as? [[String: Any]])?.first)
        #expect(recreated["service"] as? String == "web")
        #expect(recreated["reasons"] as? [String] == ["image", "env SENTINELS (endpoints)"])
        #expect(hosts[2]["emptied"] as? Bool == true)
        #expect((hosts[3]["start"] as? [[String: Any]])?.first?["purpose"] as? String == "sentinel")
    }

    @Test func noColourThroughAPipeOrWithNoColor() throws {
        let scene = try deployed()
        try scene.write(Self.spec.replacingOccurrences(of: "web:1", with: "web:2"))
        #expect(!(try diff(scene).output.contains("\u{1B}[")))
    }

    @Test func planPrintsTheSameSummaryAndARollout() throws {
        let scene = try deployed()
        try scene.write(Self.spec.replacingOccurrences(of: "placement: { hosts: [h3] }", with: "placement: { hosts: [h4] }"))
        let summary = try #require(try diff(scene).output.split(separator: "\n").last)
        let run = try scene.plan()
        #expect(run.status == 0, "\(run)")
        #expect(run.output.contains("changes: \(summary)\n"), "\(run.output)")
        #expect(run.output.contains("rollout: 4 steps in "), "\(run.output)")
        let rollout = try PlannerBinary.run(["rollout", scene.out.path])
        #expect(rollout.status == 0, "\(rollout)")
        #expect(rollout.output.contains("1. h4: apply (start sentinel 1)\n   on h4: docker compose -p difftest -f hosts/h4/compose.yaml up -d --remove-orphans\n"),
                "\(rollout.output)")
        #expect(rollout.output.contains("h3: stop everything (stop sentinel 1)\n   on h3: docker compose -p difftest down --remove-orphans\n"),
                "\(rollout.output)")
        let replay = try PlannerBinary.run(["simulate", scene.specPath, "--rollout", scene.out.appendingPathComponent("rollout.json").path])
        #expect(replay.status == 0, "\(replay)")
        #expect(replay.output.contains("every step keeps every purpose at its minimum; the steps reach the planned placement"), "\(replay.output)")
        // After it, nothing changes.
        #expect(try diff(scene, ["--exit-code"]).status == 0)
    }

    @Test func simulateRolloutCatchesAnEditedFile() throws {
        let scene = try deployed()
        try scene.write(Self.spec.replacingOccurrences(of: "web:1", with: "web:2"))
        #expect(try scene.plan().status == 0)
        let path = scene.out.appendingPathComponent("rollout.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
        // Both web replicas recreated in one step: web (min_available 1 of 2) is down while it runs.
        object["steps"] = [["host": "h1", "start": [:], "stop": [:], "recreate": ["web": 2]]]
        try JSONSerialization.data(withJSONObject: object).write(to: path)
        let replay = try PlannerBinary.run(["simulate", scene.specPath, "--rollout", path.path])
        #expect(replay.status == 1, "\(replay)")
        #expect(replay.output.contains("below: step 1 on h1 takes down 2 of web but 1 run there"), "\(replay.output)")
        let missing = try PlannerBinary.run(["simulate", scene.specPath, "--rollout", "/nonexistent/rollout.json"])
        #expect(missing.status == 2, "\(missing)")
    }
}
