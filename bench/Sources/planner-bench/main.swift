// Benchmark of `planner simulate`'s exhaustive analysis: every single and every double host failure
// of a generated 1,000-host, 10,000-replica topology, against a brute-force enumeration of every
// 1- and 2-subset on the same placement. Run through bench/run-simulate.sh.
//
// Prints one line: `analytic_ms per_purpose_ms brute_ms agree purposes failure_sets`, where per_purpose_ms
// is the analysis without listing failure sets (worst cases, cuts, survival counts only).
import Foundation
import PlannerKit
import PlannerSpec

/// 1,000 hosts in 4 zones of 10 racks; purposes of 2 to 100 replicas until 10,000 are placed, each
/// with a random min_available, spread over random hosts (some two to a host, so counts are uneven).
func generate(seed: UInt64, hostCount: Int = 1000, replicaCount: Int = 10_000) -> (Topology, PlacementCounts) {
    var rng = SplitMix64(seed: seed)
    let hosts = (0..<hostCount).map { i in
        Host(name: String(format: "h%04d", i), cpu: 256_000, memory: 1 << 40,
             zone: "z\(i % 4)", rack: "r\(i % 40)")
    }
    let sizes = [2, 3, 3, 3, 5, 5, 7, 9, 12, 20, 30, 50, 100]
    var purposes: [Purpose] = []
    var placement: PlacementCounts = [:]
    var placed = 0
    while placed < replicaCount {
        let r = min(sizes.randomElement(using: &rng)!, replicaCount - placed)
        let minAvailable: MinAvailable
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: minAvailable = .majority
        case 1: minAvailable = .count(1)
        case 2: minAvailable = .count(max(1, r - 1))
        default: minAvailable = .count(max(1, r / 2))
        }
        let name = String(format: "p%04d", purposes.count)
        purposes.append(Purpose(name: name, image: "registry.example/\(name):1", replicas: r, cpu: 100, memory: 1 << 28,
                                minAvailable: minAvailable))
        let doubled = r >= 6 && Int.random(in: 0..<5, using: &rng) == 0
        var perHost: [String: Int] = [:]
        var left = r
        var chosen = Set<Int>()
        while left > 0 {
            var h = Int.random(in: 0..<hostCount, using: &rng)
            while chosen.contains(h) { h = Int.random(in: 0..<hostCount, using: &rng) }
            chosen.insert(h)
            let n = doubled && left >= 2 ? 2 : 1
            perHost[hosts[h].name] = n
            left -= n
        }
        placement[name] = perHost
        placed += r
    }
    return (Topology(name: "bench", hosts: hosts, purposes: purposes), placement)
}

struct Answers: Equatable {
    /// Per purpose, replicas left after its worst 1 and worst 2 host failures.
    var worst1: [Int]
    var worst2: [Int]
    /// Most purposes one failure set of at most 2 hosts takes down.
    var mostDown: Int
}

func analytic(_ topology: Topology, _ placement: PlacementCounts, listing: Bool = true) -> (Answers, Int) {
    let model = SimulationModel(topology: topology, placement: placement)
    let enumerationLimit = listing ? 2_000_000 : 0
    let one = try! model.analyse(.host, k: 1, enumerationLimit: enumerationLimit)
    let two = try! model.analyse(.host, k: 2, enumerationLimit: enumerationLimit)
    return (Answers(worst1: one.purposes.map(\.worstLeft), worst2: two.purposes.map(\.worstLeft),
                    mostDown: max(one.mostDownTogether, two.mostDownTogether)),
            two.failureSetCount)
}

/// Every 1- and 2-subset of hosts, every purpose evaluated for each, from a dense count matrix.
func bruteForce(_ topology: Topology, _ placement: PlacementCounts) -> Answers {
    let H = topology.hosts.count, P = topology.purposes.count
    var index: [String: Int] = [:]
    for (h, host) in topology.hosts.enumerated() { index[host.name] = h }
    var counts = [Int32](repeating: 0, count: H * P)      // host-major
    for (p, purpose) in topology.purposes.enumerated() {
        for (host, n) in placement[purpose.name] ?? [:] { counts[index[host]! * P + p] = Int32(n) }
    }
    let replicas = topology.purposes.map { Int32($0.replicas) }
    let required = topology.purposes.map { Int32($0.required) }
    var worst1 = replicas, worst2 = replicas
    var mostDown = 0
    counts.withUnsafeBufferPointer { c in
        for a in 0..<H {
            var down = 0
            for p in 0..<P {
                let left = replicas[p] - c[a * P + p]
                if left < worst1[p] { worst1[p] = left }
                if left < required[p] { down += 1 }
            }
            mostDown = max(mostDown, down)
            for b in (a + 1)..<H {
                var down = 0
                for p in 0..<P {
                    let left = replicas[p] - c[a * P + p] - c[b * P + p]
                    if left < worst2[p] { worst2[p] = left }
                    if left < required[p] { down += 1 }
                }
                mostDown = max(mostDown, down)
            }
        }
    }
    return Answers(worst1: worst1.map(Int.init), worst2: worst2.map(Int.init), mostDown: mostDown)
}

func milliseconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

var seed: UInt64 = 42
var skipBrute = false
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--seed": seed = UInt64(arguments.next() ?? "") ?? seed
    case "--no-brute-force": skipBrute = true
    default:
        FileHandle.standardError.write(Data("usage: planner-bench [--seed N] [--no-brute-force]\n".utf8))
        exit(2)
    }
}

let (topology, placement) = generate(seed: seed)
var fast = Answers(worst1: [], worst2: [], mostDown: 0)
var sets = 0
let analyticMs = milliseconds { (fast, sets) = analytic(topology, placement) }
var perPurpose = fast
let perPurposeMs = milliseconds { perPurpose = analytic(topology, placement, listing: false).0 }
var slow = fast
let bruteMs = skipBrute ? Double.nan : milliseconds { slow = bruteForce(topology, placement) }
let agree = skipBrute ? "unchecked"
    : (fast == slow && perPurpose.worst1 == slow.worst1 && perPurpose.worst2 == slow.worst2 ? "yes" : "NO")
print(String(format: "%.2f %.2f %.2f %@ %d %d", analyticMs, perPurposeMs, bruteMs, agree, topology.purposes.count, sets))
if agree == "NO" { exit(1) }
