// binpack: swaps that even out cpu and memory on the hosts in use, so that emptying finds room.

import PlannerSpec

extension HeuristicSolver {
    /// A host's cpu share minus its memory share: above 0 it is short of cpu first, below 0 of memory.
    func tilt(_ h: Int) -> Double {
        Double(cpuUsed[h]) / Double(problem.hosts[h].cpu) - Double(memoryUsed[h]) / Double(problem.hosts[h].memory)
    }

    /// Swaps one replica of a host tilted one way with one of a host tilted the other way, when the
    /// swap is allowed and lowers the two hosts' summed |tilt|. Hosts full in one resource and half
    /// empty in the other strand room that no replica can use; after the swaps, `closeHosts` can often
    /// empty more. A host takes at most one swap a round, and a host of 64 cores holds 20 or more
    /// replicas, so evening out takes many rounds (binpack asks for more rounds and partners than
    /// the defaults); it stops early when a round swaps nothing. O(rounds · H · partners · purposes²) canAdd checks.
    mutating func evenOutTilts(rounds: Int = 2, partners: Int = 24) {
        for _ in 0..<rounds {
            var swapped = 0
            let inUse = problem.hosts.indices.filter { !onHost[$0].isEmpty }
            let byTilt = inUse.sorted { (tilt($0), $0) > (tilt($1), $1) }   // most cpu-tilted first
            let memoryTilted = Array(byTilt.reversed().prefix(partners))   // most memory-tilted first
            for a in byTilt where tilt(a) > 0.02 {
                guard tick() else { return }
                for b in memoryTilted where tilt(b) < -0.02 && b != a {
                    if trySwap(a, b) { swapped += 1; break }
                }
            }
            if swapped == 0 { return }
        }
    }

    /// The best allowed swap between a (cpu-tilted) and b (memory-tilted): a cpu-heavy replica to b
    /// and a memory-heavy one to a. Made when it lowers |tilt(a)| + |tilt(b)|.
    mutating func trySwap(_ a: Int, _ b: Int) -> Bool {
        let before = abs(tilt(a)) + abs(tilt(b))
        var best: (gain: Double, x: Int, y: Int)? = nil
        for x in onHost[a] {
            for y in onHost[b] where x != y {
                let dx = problem.demands[x], dy = problem.demands[y]
                // x should lean further to cpu than y does.
                guard Double(dx.cpu) * Double(dy.memory) > Double(dy.cpu) * Double(dx.memory) else { continue }
                // In floating point: hostile sizes near the 64-bit limit would overflow the integer sums.
                let ca = (Double(cpuUsed[a]) - Double(dx.cpu) + Double(dy.cpu)) / Double(problem.hosts[a].cpu)
                let ma = (Double(memoryUsed[a]) - Double(dx.memory) + Double(dy.memory)) / Double(problem.hosts[a].memory)
                let cb = (Double(cpuUsed[b]) - Double(dy.cpu) + Double(dx.cpu)) / Double(problem.hosts[b].cpu)
                let mb = (Double(memoryUsed[b]) - Double(dy.memory) + Double(dx.memory)) / Double(problem.hosts[b].memory)
                guard ca <= Double(cpuLimit[a]) / Double(problem.hosts[a].cpu), ma <= Double(memoryLimit[a]) / Double(problem.hosts[a].memory),
                      cb <= Double(cpuLimit[b]) / Double(problem.hosts[b].cpu), mb <= Double(memoryLimit[b]) / Double(problem.hosts[b].memory)
                else { continue }
                let gain = before - (abs(ca - ma) + abs(cb - mb))
                if gain > 1e-9, best == nil || gain > best!.gain { best = (gain, x, y) }
            }
        }
        guard let (_, x, y) = best else { return false }
        add(x, a, -1)
        add(y, b, -1)
        if classSets[problem.demands[x].eligibleClass]!.contains(b), classSets[problem.demands[y].eligibleClass]!.contains(a),
           canAdd(x, b, exact: true) {
            add(x, b, 1)
            if canAdd(y, a, exact: true) {
                add(y, a, 1)
                refresh(a)
                refresh(b)
                return true
            }
            add(x, b, -1)
        }
        add(x, a, 1)
        add(y, b, 1)
        return false
    }
}
