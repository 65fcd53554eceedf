import PlannerSpec
import Testing
@testable import PlannerKit

/// Rollouts between seeded random placements, replayed by `RolloutChecker` (which knows nothing of how
/// the planner orders) and, on tiny instances, against brute force over every order of the host steps.
@Suite struct RolloutPropertyTests {
    /// A random deployed and new placement over `hosts` hosts and `purposes` purposes, minimums and recreates.
    static func instance(seed: UInt64, maxHosts: Int = 5, maxPurposes: Int = 3, survive: Int = 0) -> RolloutPlanner.Input {
        var rng = SplitMix64(seed: seed)
        let hosts = (0..<Int.random(in: 2...maxHosts, using: &rng)).map { "h\($0)" }
        let purposes = (0..<Int.random(in: 1...maxPurposes, using: &rng)).map { "p\($0)" }
        var from: PlacementCounts = [:], to: PlacementCounts = [:], recreate: [String: [String: Int]] = [:]
        var required: [String: Int] = [:]
        for purpose in purposes {
            for host in hosts {
                let was = Int.random(in: 0...2, using: &rng), will = Int.random(in: 0...2, using: &rng)
                if was > 0 { from[purpose, default: [:]][host] = was }
                if will > 0 { to[purpose, default: [:]][host] = will }
                if min(was, will) > 0, Int.random(in: 0..<3, using: &rng) == 0 { recreate[host, default: [:]][purpose] = min(was, will) }
            }
            let total = min(from[purpose]?.values.reduce(0, +) ?? 0, to[purpose]?.values.reduce(0, +) ?? 0)
            required[purpose] = Int.random(in: 0...max(0, total), using: &rng)
        }
        return RolloutPlanner.Input(from: from, to: to, required: required, recreate: recreate, survive: survive)
    }

    /// Whether some order of `steps` keeps every minimum, by the checker on every permutation.
    static func bruteForceFindsOrder(_ steps: [RolloutStep], from: PlacementCounts, minimum: [String: Int], survive: Int = 0) -> Bool {
        var order = steps
        func permute(_ k: Int) -> Bool {
            if k == order.count {
                return RolloutChecker.replay(from: from, steps: order, minimum: minimum, survive: survive).violations.isEmpty
            }
            for i in k..<order.count {
                order.swapAt(k, i)
                if permute(k + 1) { return true }
                order.swapAt(k, i)
            }
            return false
        }
        return permute(0)
    }

    static func normalised(_ counts: PlacementCounts) -> PlacementCounts {
        counts.mapValues { $0.filter { $0.value > 0 } }.filter { !$0.value.isEmpty }
    }

    @Test("every state of a safe rollout keeps every purpose at its minimum, and the steps turn from into to",
          arguments: Array(UInt64(1)...400))
    func safeRolloutsHold(seed: UInt64) {
        let input = Self.instance(seed: seed, survive: Int(seed % 3 == 0 ? 1 : 0))
        let rollout = RolloutPlanner.plan(input)
        let replay = RolloutChecker.replay(from: input.from, steps: rollout.steps, minimum: RolloutPlanner.minimum(input),
                                           survive: input.survive)
        #expect(Self.normalised(replay.final) == Self.normalised(input.to), "seed \(seed): the steps do not reach `to`")
        if rollout.isSafe {
            #expect(replay.violations.isEmpty, "seed \(seed): \(replay.violations)")
            #expect(rollout.fixPurposes.isEmpty)
        } else {
            // Each proposed fix is proven: the checker accepts the order with that purpose's floor one lower.
            for purpose in rollout.fixPurposes {
                var relaxed = rollout.minimum
                relaxed[purpose]! -= 1
                let steps = RolloutPlanner.steps(input)
                if steps.count <= 7 {
                    #expect(Self.bruteForceFindsOrder(steps, from: input.from, minimum: relaxed, survive: input.survive),
                            "seed \(seed): the fix for \(purpose) makes no order")
                }
            }
            #expect(!replay.violations.isEmpty, "seed \(seed): called unsafe, but the listed order holds")
        }
    }

    @Test("on tiny instances a rollout is found exactly when brute force over all host orders finds one",
          arguments: Array(UInt64(1)...400))
    func exactOnTinyInstances(seed: UInt64) {
        let input = Self.instance(seed: seed &* 7919, maxHosts: 5, maxPurposes: 2, survive: Int(seed % 3 == 0 ? 1 : 0))
        let steps = RolloutPlanner.steps(input)
        guard steps.count <= 6 else { return }
        let rollout = RolloutPlanner.plan(input)
        let exists = Self.bruteForceFindsOrder(steps, from: input.from, minimum: RolloutPlanner.minimum(input), survive: input.survive)
        #expect(rollout.isSafe == exists, "seed \(seed): planner \(rollout.isSafe), brute force \(exists)")
    }

    @Test("the seeds exercise safe and impossible rollouts")
    func seedsCoverBothOutcomes() {
        var safe = 0, unsafe = 0
        for seed in UInt64(1)...400 {
            let input = Self.instance(seed: seed &* 7919, maxHosts: 5, maxPurposes: 2)
            guard RolloutPlanner.steps(input).count <= 6 else { continue }
            if RolloutPlanner.plan(input).isSafe { safe += 1 } else { unsafe += 1 }
        }
        #expect(safe >= 50 && unsafe >= 20, "safe \(safe), unsafe \(unsafe)")
    }

    @Test("re-plans after random edits of random topologies roll out with every purpose at its minimum",
          arguments: Array(UInt64(1)...150))
    func replansRollOut(seed: UInt64) {
        let before = ReplanPropertyTests.roomy(seed: seed)
        guard let old = CheckPipeline.check(LoadedSpec(topology: before, diagnostics: [])).placement else { return }
        var rng = SplitMix64(seed: seed &* 7919)
        let (after, edit) = ReplanPropertyTests.edited(before, rng: &rng)
        guard let new = CheckPipeline.check(LoadedSpec(topology: after, diagnostics: []), previous: old).placement else { return }
        // Half the kept replicas get a new definition (an image bump).
        var recreate: [String: [String: Int]] = [:]
        for (purpose, perHost) in new.sorted(by: { $0.key < $1.key }) where rng.next() % 2 == 0 {
            for (host, count) in perHost { recreate[host, default: [:]][purpose] = min(count, old[purpose]?[host] ?? 0) }
        }
        let input = RolloutPlanner.Input(from: old, to: new, required: Dictionary(after.purposes.map { ($0.name, $0.required) }) { a, _ in a },
                                         recreate: recreate)
        let rollout = RolloutPlanner.plan(input)
        let replay = RolloutChecker.replay(from: old, steps: rollout.steps, minimum: RolloutPlanner.minimum(input))
        #expect(Self.normalised(replay.final) == Self.normalised(new), "seed \(seed) \(edit)")
        #expect(rollout.isSafe == replay.violations.isEmpty, "seed \(seed) \(edit): \(rollout.problems) \(replay.violations)")
        let steps = RolloutPlanner.steps(input)
        if steps.count <= 6 {
            #expect(rollout.isSafe == Self.bruteForceFindsOrder(steps, from: old, minimum: RolloutPlanner.minimum(input)),
                    "seed \(seed) \(edit)")
        }
    }
}

@Suite struct RolloutPlannerTests {
    @Test("hosts that gain start before hosts that lose (make-before-break)")
    func makeBeforeBreak() {
        let input = RolloutPlanner.Input(from: ["web": ["a": 1, "b": 1]], to: ["web": ["b": 1, "c": 1]], required: ["web": 2])
        let rollout = RolloutPlanner.plan(input)
        #expect(rollout.isSafe)
        #expect(rollout.steps.map(\.host) == ["c", "a"])
        #expect(rollout.steps[0].start == ["web": 1] && rollout.steps[1].stop == ["web": 1])
    }

    @Test("an image bump recreates host by host within the slack")
    func recreateWithinSlack() {
        let input = RolloutPlanner.Input(from: ["web": ["a": 2, "b": 1, "c": 1]], to: ["web": ["a": 2, "b": 1, "c": 1]],
                                         required: ["web": 2], recreate: ["a": ["web": 2], "b": ["web": 1], "c": ["web": 1]])
        let rollout = RolloutPlanner.plan(input)
        #expect(rollout.isSafe, "\(rollout.problems)")
        #expect(RolloutChecker.replay(from: input.from, steps: rollout.steps, minimum: rollout.minimum).violations.isEmpty)
        #expect(Set(rollout.steps.map(\.host)) == ["a", "b", "c"])
    }

    @Test("with no slack no order exists: the message names the purpose and host, and proposes a checked fix")
    func noOrderSaysWhyAndFixes() throws {
        let input = RolloutPlanner.Input(from: ["web": ["a": 1, "b": 1]], to: ["web": ["a": 1, "b": 1]],
                                         required: ["web": 2], recreate: ["a": ["web": 1], "b": ["web": 1]])
        let rollout = RolloutPlanner.plan(input)
        #expect(!rollout.isSafe)
        let why = try #require(rollout.problems.first)
        #expect(why.contains("web") && why.contains("a takes 1 of web down"), "\(why)")
        #expect(rollout.fixPurposes == ["web"])
        // The fix holds: one more web replica up the whole time lowers the floor the steps must keep by one.
        var relaxed = rollout.minimum
        relaxed["web"]! -= 1
        #expect(RolloutChecker.replay(from: input.from, steps: rollout.steps, minimum: relaxed).violations.isEmpty)
    }

    @Test("--rollout-survive needs more slack, and says when there is not enough")
    func surviveNeedsSlack() {
        let web: PlacementCounts = ["web": ["a": 1, "b": 1, "c": 1]]
        let recreate = ["a": ["web": 1], "b": ["web": 1], "c": ["web": 1]]
        #expect(RolloutPlanner.plan(.init(from: web, to: web, required: ["web": 1], recreate: recreate, survive: 1)).isSafe)
        #expect(RolloutPlanner.plan(.init(from: web, to: web, required: ["web": 2], recreate: recreate, survive: 0)).isSafe)
        let tight = RolloutPlanner.plan(.init(from: web, to: web, required: ["web": 2], recreate: recreate, survive: 1))
        #expect(!tight.isSafe)
        #expect(tight.problems.first?.contains("(minimum 2 and 1 host failure)") == true, "\(tight.problems)")
        let deployedWeak = RolloutPlanner.plan(.init(from: ["web": ["a": 2]], to: ["web": ["a": 1, "b": 1]], required: ["web": 1], survive: 1))
        #expect(deployedWeak.problems.first?.contains("the deployed placement does not survive 1 host failure with web") == true,
                "\(deployedWeak.problems)")
        let weak = RolloutPlanner.plan(.init(from: ["web": ["a": 2, "b": 1]], to: ["web": ["a": 2, "b": 1]], required: ["web": 1],
                                             recreate: ["a": ["web": 2], "b": ["web": 1]], survive: 1))
        #expect(!weak.isSafe)
        #expect(weak.problems.first?.contains("a takes 2 of web down") == true, "\(weak.problems)")
    }

    @Test("the fix names a host with room, checked by the verifier, or else an extra host of the purpose's size")
    func fixNamesAHost() throws {
        let hosts = ["a", "b", "c"].map { Host(name: $0, cpu: 2000, memory: 4 << 30, labels: ["web"]) }
        var web = Purpose(name: "web", image: "img:2", replicas: 2, cpu: 1000, memory: 1 << 30, survive: FailureBudget(hosts: 0, racks: 0, zones: 0))
        web.minAvailable = .count(2)
        web.placement.labels = ["web"]
        let topology = Topology(name: "t", hosts: hosts, purposes: [web])
        let placed: PlacementCounts = ["web": ["a": 1, "b": 1]]
        let rollout = RolloutPlanner.plan(.init(from: placed, to: placed, required: ["web": 2], recreate: ["a": ["web": 1], "b": ["web": 1]]))
        let fix = try #require(RolloutFix.propose(rollout, topology: topology))
        #expect(fix.contains("temporary extra replica of web on a "), "\(fix)")
        // With every host full, an extra host of web's size and labels.
        var full = topology
        full.hosts = ["a", "b"].map { Host(name: $0, cpu: 1000, memory: 4 << 30, labels: ["web"]) }
        let extra = try #require(RolloutFix.propose(rollout, topology: full))
        #expect(extra.contains("add one host (cpu 1, memory 1g, labels [web])"), "\(extra)")
    }

    @Test("many steps: the greedy phase, then the exact one, and a failure after greedy is not called a proof")
    func manyStepsGreedy() {
        let hosts = (0..<40).map { "h\($0)" }
        var from: [String: Int] = [:], to: [String: Int] = [:]
        for (i, host) in hosts.enumerated() { from[host] = 2; to[host] = i % 2 == 0 ? 2 : 0 }
        let shrink = RolloutPlanner.Input(from: ["web": from], to: ["web": to.filter { $0.value > 0 }], required: ["web": 40],
                                          recreate: Dictionary(uniqueKeysWithValues: hosts.map { ($0, ["web": 1]) }))
        let rollout = RolloutPlanner.plan(shrink)
        #expect(rollout.isSafe, "\(rollout.problems)")
        #expect(RolloutChecker.replay(from: shrink.from, steps: rollout.steps, minimum: rollout.minimum).violations.isEmpty)
        #expect(rollout.steps.count == 40)
        var tight = shrink
        tight.required = ["web": 79]
        let blocked = RolloutPlanner.plan(tight)
        #expect(!blocked.isSafe)
        #expect(blocked.problems.first?.contains("a greedy search, which may miss one") == true, "\(blocked.problems)")
        #expect(!RolloutChecker.replay(from: tight.from, steps: blocked.steps, minimum: blocked.minimum).violations.isEmpty)
    }

    @Test("an image bump over 3,000 hosts is ordered without a search (hang guard)")
    func largeImageBump() {
        let hosts = (0..<3000).map { "h\($0)" }
        let web = ["web": Dictionary(uniqueKeysWithValues: hosts.map { ($0, 1) })]
        let input = RolloutPlanner.Input(from: web, to: web, required: ["web": 2700],
                                         recreate: Dictionary(uniqueKeysWithValues: hosts.map { ($0, ["web": 1]) }))
        let rollout = RolloutPlanner.plan(input)
        #expect(rollout.isSafe && rollout.steps.count == 3000)
        #expect(RolloutChecker.replay(from: input.from, steps: rollout.steps, minimum: rollout.minimum).violations.isEmpty)
    }

    @Test("a swap between two full hosts has no order")
    func swapBetweenFullHosts() {
        // a runs x twice, b runs y twice; they trade one each, and each purpose needs both replicas up.
        let input = RolloutPlanner.Input(from: ["x": ["a": 2], "y": ["b": 2]], to: ["x": ["a": 1, "b": 1], "y": ["a": 1, "b": 1]],
                                         required: ["x": 2, "y": 2])
        let rollout = RolloutPlanner.plan(input)
        #expect(!rollout.isSafe)
        #expect(!RolloutPropertyTests.bruteForceFindsOrder(RolloutPlanner.steps(input), from: input.from, minimum: rollout.minimum))
    }

    @Test("a balancer is reloaded one replica at a time, after the steps that start its backends")
    func balancerReloadsAfterBackends() throws {
        let input = RolloutPlanner.Input(from: ["web": ["a": 1, "b": 1], "front": ["a": 1, "b": 1]],
                                         to: ["web": ["a": 1, "b": 1, "c": 1], "front": ["a": 1, "b": 1]],
                                         required: ["web": 1, "front": 1], reloads: ["front": ["web"]])
        let rollout = RolloutPlanner.plan(input)
        #expect(rollout.isSafe)
        let reloads = rollout.steps.enumerated().filter { $0.element.kind == .reload }
        #expect(reloads.map(\.element.host) == ["a", "b"])
        let started = try #require(rollout.steps.firstIndex { $0.host == "c" })
        #expect(reloads.allSatisfy { $0.offset > started })
        #expect(reloads.allSatisfy { $0.element.recreate == ["front": 1] })
        #expect(rollout.steps[reloads[0].offset].command(project: "t").hasSuffix("--force-recreate front"))
    }

    @Test("a host left with nothing is stopped with docker compose down")
    func emptiedHostGoesDown() throws {
        let input = RolloutPlanner.Input(from: ["web": ["a": 1, "b": 1]], to: ["web": ["b": 1, "c": 1]], required: ["web": 1])
        let step = try #require(RolloutPlanner.plan(input).steps.first { $0.host == "a" })
        #expect(step.kind == .down)
        #expect(step.command(project: "shop") == "docker compose -p shop down --remove-orphans")
    }

    @Test("rollout.json reads back as written")
    func fileRoundTrip() throws {
        let rollout = RolloutPlanner.plan(RolloutPropertyTests.instance(seed: 42))
        let text = RolloutFile.json(rollout, topology: "t")
        let back = try RolloutFile.parse(Array(text.utf8))
        #expect(back.rollout == rollout && back.topology == "t")
        #expect(RolloutFile.json(back.rollout, topology: "t") == text)
    }
}
