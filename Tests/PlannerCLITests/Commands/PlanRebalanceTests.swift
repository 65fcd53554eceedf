import Foundation
import PlannerTestSupport
import Testing

/// `plan --rebalance` / `--max-moves N`, and cosmetic edits of the shop example that move nothing.
@Suite struct PlanRebalanceTests {
    typealias Scene = PlanWriterTests.Scene

    /// PlanReplanTests' six replicas on three hosts, then three empty hosts: spread from scratch puts one on each.
    static let spec = PlanReplanTests.spec
    static let grown = spec.replacingOccurrences(of: "purposes:", with: """
          h4: { address: 10.0.0.4, cpu: 4, memory: 8GiB }
          h5: { address: 10.0.0.5, cpu: 4, memory: 8GiB }
          h6: { address: 10.0.0.6, cpu: 4, memory: 8GiB }
        purposes:
        """)

    @Test func theObjectiveWinsAndSaysWhatTheMovesBuy() throws {
        let scene = try Scene(Self.spec)
        #expect(try scene.plan().status == 0)
        try scene.write(Self.grown)
        let stable = try scene.plan(["--dry-run"])
        #expect(stable.status == 0 && stable.output.contains("moves 0 from "), "\(stable)")
        let run = try scene.plan(["--rebalance"])
        #expect(run.status == 0, "\(run)")
        #expect(run.output.contains("moves 3 (rebalance; the fewest is 0) from "), "\(run.output)")
        #expect(run.output.contains("rebalance: peak 50% → 25% for 3 moves\n"), "\(run.output)")
        let placement = try PlanReplanTests.placement(scene.out)["app"] ?? [:]
        #expect(placement.count == 6 && placement.values.allSatisfy { $0 == 1 }, "\(placement)")
        // Balanced already: a second rebalance buys nothing.
        let again = try scene.plan(["--rebalance"])
        #expect(again.output.contains("moves 0 from ") && again.output.contains("no moves bought"), "\(again.output)")
    }

    @Test func maxMovesIsABudget() throws {
        let scene = try Scene(Self.spec)
        #expect(try scene.plan().status == 0)
        let before = try PlanReplanTests.placement(scene.out)
        try scene.write(Self.grown)
        // Two moves leave one host with two: nothing is bought, nothing moves.
        let two = try scene.plan(["--max-moves", "2", "--format", "json"])
        #expect(two.status == 0, "\(two)")
        let moves = try #require(try two.json()["moves"] as? [String: Any])
        #expect(moves["count"] as? Int == 0)
        let rebalance = try #require(moves["rebalance"] as? [String: Any])
        #expect(rebalance["max_moves"] as? Int == 2 && rebalance["fewest_moves"] as? Int == 0)
        #expect((rebalance["summary"] as? String)?.contains("within 2 moves; no moves bought") == true, "\(rebalance)")
        #expect(try PlanReplanTests.placement(scene.out) == before)
        let three = try scene.plan(["--max-moves", "3", "--format", "json"])
        let bought = try #require(try three.json()["moves"] as? [String: Any])
        #expect(bought["count"] as? Int == 3)
        let after = try #require((bought["rebalance"] as? [String: Any])?["after"] as? [String: Any])
        #expect(after["peak_utilisation"] as? Double == 0.25)
    }

    @Test func aBudgetBelowTheForcedMovesWritesNothing() throws {
        let scene = try Scene(Self.spec)
        #expect(try scene.plan().status == 0)
        let before = try PlanReplanTests.placement(scene.out)
        try scene.write(Self.spec.replacingOccurrences(of: "  h1: { address: 10.0.0.1, cpu: 4, memory: 8GiB }\n", with: ""))
        let run = try scene.plan(["--max-moves", "1"])
        #expect(run.status == 1, "\(run)")
        #expect(run.stderr.contains("--max-moves 1 is fewer than the re-plan must move: moves 2 (fewest possible)"), "\(run.stderr)")
        #expect(try PlanReplanTests.placement(scene.out) == before)
        #expect(try scene.plan(["--max-moves", "2"]).status == 0)
    }

    @Test func badUsageIsExitTwo() throws {
        let scene = try Scene(Self.spec)
        for arguments in [["--max-moves=-1"], ["--max-moves", "many"], ["--fresh", "--rebalance"], ["--fresh", "--max-moves", "3"],
                          ["--dev", "--rebalance"]] {
            let run = try scene.plan(arguments)
            #expect(run.status == 2, "\(arguments): \(run)")
            #expect(scene.files().isEmpty, "\(arguments)")
        }
        #expect(try scene.plan(["--max-moves=-1"]).stderr.contains("--max-moves must be 0 or more, not -1"))
    }

    @Test func helpNamesTheFlags() throws {
        let help = try PlannerBinary.run(["plan", "--help"])
        #expect(help.output.contains("--rebalance") && help.output.contains("--max-moves <N>"), "\(help.output)")
    }

    /// The shop example with its hosts and purposes in reverse order, comments added and flow mappings
    /// spread over lines where it is easy.
    static func cosmeticallyEdited(_ text: String) throws -> String {
        var lines = text.components(separatedBy: "\n")
        let hostsStart = try #require(lines.firstIndex(of: "hosts:")) + 1
        let hostsEnd = try #require(lines[hostsStart...].firstIndex(of: ""))
        lines[hostsStart..<hostsEnd] = ArraySlice(lines[hostsStart..<hostsEnd].reversed())
        let purposesStart = try #require(lines.firstIndex(of: "purposes:")) + 1
        let purposesEnd = try #require(lines.firstIndex(of: "balancers:"))
        var blocks: [[String]] = []
        for line in lines[purposesStart..<purposesEnd] {
            if line.hasPrefix("  "), !line.hasPrefix("   ") { blocks.append([]) }
            if !blocks.isEmpty, !line.isEmpty { blocks[blocks.count - 1].append(line) }
        }
        let purposes = blocks.reversed().map { ["  # a purpose"] + $0 + [""] }.joined()
        lines[purposesStart..<purposesEnd] = ArraySlice(purposes)
        lines.insert("# reordered by hand; nothing else changed", at: hostsStart - 1)
        return lines.joined(separator: "\n").replacingOccurrences(of: "failures:\n  hosts: 1", with: "failures: { hosts: 1 }   # one host")
    }

    @Test func reorderingTheShopMovesNothingAndChangesNoFile() throws {
        let shop = try String(contentsOf: PackageRoot.url.appendingPathComponent("topologies/shop.spec"), encoding: .utf8)
        let edited = try Self.cosmeticallyEdited(shop)
        #expect(edited != shop)
        let scene = try Scene(shop)
        #expect(try scene.plan().status == 0)
        func contents() throws -> [String: String] {
            var files: [String: String] = [:]
            for file in scene.files() {
                var text = try String(contentsOf: scene.out.appendingPathComponent(file), encoding: .utf8)
                // The spec's own hash changes with its bytes: the one line allowed to.
                if file == "placement.json" { text = text.components(separatedBy: "\n").filter { !$0.contains("spec_sha256") }.joined(separator: "\n") }
                files[file] = text
            }
            return files
        }
        let before = try contents()
        try scene.write(edited)
        let run = try scene.plan()
        #expect(run.status == 0, "\(run)")
        #expect(run.output.contains("moves 0 from "), "\(run.output)")
        #expect(run.output.contains("(1 written, 7 unchanged, 0 removed)"), "\(run.output)")
        #expect(try contents() == before)
    }
}
