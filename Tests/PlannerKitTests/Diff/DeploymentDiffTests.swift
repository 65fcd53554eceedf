import PlannerSpec
import Testing
@testable import PlannerKit

@Suite struct DeploymentDiffTests {
    @Test("after random edits of random topologies, the diff of the emitted files agrees with the placements, and the rollout holds",
          arguments: Array(UInt64(1)...120))
    func diffAgreesWithPlacements(seed: UInt64) throws {
        let before = ReplanPropertyTests.roomy(seed: seed)
        guard let old = CheckPipeline.check(LoadedSpec(topology: before, diagnostics: [])).placement else { return }
        var rng = SplitMix64(seed: seed &* 7919)
        let (after, edit) = ReplanPropertyTests.edited(before, rng: &rng)
        guard let new = CheckPipeline.check(LoadedSpec(topology: after, diagnostics: []), previous: old).placement else { return }
        let deployed = try PlanEmitter.files(topology: before, placement: old, specName: "t.spec", specBytes: [])
        let next = try PlanEmitter.files(topology: after, placement: new, specName: "t.spec", specBytes: [])
        let preview = try DeploymentPreview.make(topology: after, previous: old, placement: new, deployed: deployed, files: next)
        // Per host and purpose, the containers started and stopped are the placements' difference.
        for host in preview.diff.hosts {
            for purpose in Set(old.keys).union(new.keys) {
                let was = old[purpose]?[host.host] ?? 0, will = new[purpose]?[host.host] ?? 0
                #expect(host.start.filter { $0.purpose == purpose }.count == max(0, will - was), "seed \(seed) \(edit) \(host.host) \(purpose)")
                #expect(host.stop.filter { $0.purpose == purpose }.count == max(0, was - will), "seed \(seed) \(edit) \(host.host) \(purpose)")
            }
        }
        #expect(preview.diff.moved == Moves.count(from: old, to: new))
        // The same files again change nothing.
        let same = try DeploymentPreview.make(topology: after, previous: new, placement: new, deployed: next, files: next)
        #expect(!same.diff.hasChanges && same.rollout.steps.isEmpty, "seed \(seed) \(edit)")
        let rollout = preview.rollout
        let replay = RolloutChecker.replay(from: old, steps: rollout.steps, minimum: rollout.minimum)
        #expect(rollout.isSafe == replay.violations.isEmpty, "seed \(seed) \(edit): \(rollout.problems)")
        #expect(RolloutChecker.normalised(replay.final) == RolloutChecker.normalised(new), "seed \(seed) \(edit)")
    }

    static func compose(_ services: [(String, String, String)]) -> String {
        "services:\n" + services.map { name, purpose, image in
            "  \"\(name)\":\n    image: \"\(image)\"\n    labels:\n      \"planner.purpose\": \"\(purpose)\"\n"
        }.joined()
    }

    @Test func aServiceNameTakenByAnotherPurposeIsAStopAndAStart() throws {
        let old = ["hosts/a/compose.yaml": Self.compose([("web", "web", "i:1")])]
        let new = ["hosts/a/compose.yaml": Self.compose([("web", "api", "i:1")])]
        let diff = try DeploymentDiffer.diff(old: old, new: new, moved: 0)
        #expect(diff.hosts[0].stop.map(\.purpose) == ["web"] && diff.hosts[0].start.map(\.purpose) == ["api"])
        #expect(diff.hosts[0].recreate.isEmpty)
    }

    @Test func quotingStyleIsNotAChange() throws {
        let old = ["hosts/a/compose.yaml": "services:\n  web:\n    image: i:1\n    cpus: 1\n"]
        let new = ["hosts/a/compose.yaml": "# Generated\nservices:\n  \"web\":\n    image: \"i:1\"\n    cpus: '1'\n"]
        #expect(try !DeploymentDiffer.diff(old: old, new: new, moved: 0).hasChanges)
    }

    @Test func balancerBackendsOfNginxAndHAProxy() throws {
        let old = ["balancers/n/nginx.conf": "# header a\nupstream x {\n    server 10.0.0.1:80 max_fails=1;\n}\nserver {\n    listen 80;\n}\n",
                   "balancers/h/haproxy.cfg": "# a\nbackend b\n    server h1 10.0.0.1:80 check\n"]
        let new = ["balancers/n/nginx.conf": "# header b\nupstream x {\n    server 10.0.0.2:80 max_fails=1;\n}\nserver {\n    listen 80;\n}\n",
                   "balancers/h/haproxy.cfg": "# b\nbackend b\n    server h1 10.0.0.1:80 check\n"]
        let diff = try DeploymentDiffer.diff(old: old, new: new, moved: 0)
        #expect(diff.balancers.count == 1, "only the header changed in h")
        #expect(diff.balancers.first?.added == ["server 10.0.0.2:80 max_fails=1;"])
        #expect(diff.balancers.first?.removed == ["server 10.0.0.1:80 max_fails=1;"])
    }

    @Test func endpointListsAreNamedAsSuch() {
        #expect(DeploymentDiffer.isEndpointList("\"10.0.0.1:26379,10.0.0.2:26379\""))
        #expect(!DeploymentDiffer.isEndpointList("\"prod\""))
        #expect(!DeploymentDiffer.isEndpointList("\"redis://x:6379/0\""))
    }
}
