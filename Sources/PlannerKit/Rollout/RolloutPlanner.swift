// Ordering the steps that take one placement to another, every purpose at its minimum at every moment.

/// Works out the steps (one per host that changes, one per balancer replica to restart) and orders them.
///
/// Algorithm. The state after a set of done steps is fixed by that set (up(p) = from(p) + the done steps'
/// gains), so ordering is a search over subsets, as in BtrPlace's reconfiguration plans (Hermenier et al.,
/// "BtrPlace: a flexible consolidation manager", 2013), which use constraint programming for it:
/// 1. Make-before-break closure: while some step is feasible now and gains in no purpose less than it
///    loses (start ≥ stop for every purpose), do it. Exchange argument: moving such a step to the front of
///    any valid order keeps it valid (every later state has at least as many replicas up), so this never
///    loses an order. Hosts that only gain go first by this rule. O(n² · P) for n steps and P purposes.
/// 2. The rest, when at most `exactLimit` steps remain: depth-first search over the remaining steps with
///    the failed subsets remembered, O(2ⁿ · n · P): a rollout is found exactly when one exists.
///    Larger: greedy, each time the feasible step that leaves the most room above the minimum, O(n² · P);
///    it may miss an order that exists and then says so.
/// With one purpose the classic order (gains by need, then losses by need + loss descending) is exact;
/// with several purposes we know of no polynomial algorithm, hence the exact search only on small cases.
public enum RolloutPlanner {
    public static let exactLimit = 16

    public struct Input: Sendable {
        public var from: PlacementCounts
        public var to: PlacementCounts
        /// min_available per purpose of the new spec (purposes missing have none).
        public var required: [String: Int]
        /// Per host, per purpose: replicas kept there whose definition changed (Compose recreates them).
        public var recreate: [String: [String: Int]]
        /// Balancers whose configuration changed, with the purposes they route to: each of their replicas
        /// that no host step recreates is restarted, after the steps that start those purposes' replicas.
        public var reloads: [String: Set<String>]

        public init(from: PlacementCounts, to: PlacementCounts, required: [String: Int],
                    recreate: [String: [String: Int]] = [:], reloads: [String: Set<String>] = [:]) {
            self.from = from
            self.to = to
            self.required = required
            self.recreate = recreate
            self.reloads = reloads
        }
    }

    /// The floor of each purpose: min_available, or what runs before the rollout when that is fewer (a
    /// new purpose starts from nothing); a purpose that is removed has none.
    public static func minimum(_ input: Input) -> [String: Int] {
        var floor: [String: Int] = [:]
        for (purpose, required) in input.required where input.to[purpose] != nil {
            floor[purpose] = min(required, input.from[purpose]?.values.reduce(0, +) ?? 0)
        }
        return floor.filter { $0.value > 0 }
    }

    /// The unordered steps, sorted by host name (reloads after host steps on the same host).
    public static func steps(_ input: Input) -> [RolloutStep] {
        var hosts = Set<String>()
        for perHost in input.from.values { hosts.formUnion(perHost.keys) }
        for perHost in input.to.values { hosts.formUnion(perHost.keys) }
        hosts.formUnion(input.recreate.keys)
        let purposes = Set(input.from.keys).union(input.to.keys)
        var steps: [RolloutStep] = []
        var touched: [String: Set<String>] = [:]
        for host in hosts.sorted() {
            var start: [String: Int] = [:], stop: [String: Int] = [:], recreate: [String: Int] = [:]
            var left = 0
            for purpose in purposes {
                let was = input.from[purpose]?[host] ?? 0, will = input.to[purpose]?[host] ?? 0
                left += will
                if will > was { start[purpose] = will - was }
                if was > will { stop[purpose] = was - will }
                let kept = min(was, will)
                if let changed = input.recreate[host]?[purpose], changed > 0, kept > 0 { recreate[purpose] = min(changed, kept) }
            }
            let step = RolloutStep(kind: left == 0 ? .down : .apply, host: host, start: start, stop: stop, recreate: recreate)
            if step.start.isEmpty, step.stop.isEmpty, step.recreate.isEmpty { continue }
            touched[host] = Set(step.start.keys).union(step.recreate.keys)
            steps.append(step)
        }
        for balancer in input.reloads.keys.sorted() {
            for (host, count) in (input.to[balancer] ?? [:]).sorted(by: { $0.key < $1.key }) {
                let kept = min(count, input.from[balancer]?[host] ?? 0)
                guard kept > 0, touched[host]?.contains(balancer) != true else { continue }
                steps.append(RolloutStep(kind: .reload, host: host, recreate: [balancer: kept], reload: balancer))
            }
        }
        return steps
    }

    public static func plan(_ input: Input) -> Rollout {
        let steps = steps(input)
        let floor = minimum(input)
        var order = Ordering(steps: steps, input: input, floor: floor)
        let found = order.run()
        var problems: [String] = []
        if !found {
            problems.append(order.blockedDescription())
            if let fix = order.fix() { problems.append(fix) }
            order.finishAnyway()
        }
        return Rollout(from: input.from, to: input.to, steps: order.done.map { steps[$0] }, minimum: floor, problems: problems)
    }

    /// The search state: which steps are done, in order, and what is up.
    struct Ordering {
        let steps: [RolloutStep]
        let floor: [String: Int]
        /// Per step, the indices of steps that must come before it (a reload waits for its backends).
        let after: [[Int]]
        var up: [String: Int]
        var done: [Int] = []
        var isDone: [Bool]
        /// Where the search stopped, to explain it.
        var blockedAt: (done: [Int], up: [String: Int])?

        init(steps: [RolloutStep], input: Input, floor: [String: Int]) {
            self.steps = steps
            self.floor = floor
            isDone = Array(repeating: false, count: steps.count)
            up = input.from.mapValues { $0.values.reduce(0, +) }
            after = steps.map { step in
                guard step.kind == .reload, let balancer = step.reload, let backends = input.reloads[balancer] else { return [] }
                return steps.indices.filter { other in
                    steps[other].kind != .reload && steps[other].start.keys.contains(where: backends.contains)
                }
            }
        }

        func feasible(_ index: Int) -> Bool {
            guard !isDone[index], after[index].allSatisfy({ isDone[$0] }) else { return false }
            return steps[index].recreate.keys.allSatisfy(holds(index)) && steps[index].stop.keys.allSatisfy(holds(index))
        }

        private func holds(_ index: Int) -> (String) -> Bool {
            { purpose in (up[purpose] ?? 0) - steps[index].down(purpose) >= (floor[purpose] ?? 0) }
        }

        func gainsOnly(_ index: Int) -> Bool {
            steps[index].stop.allSatisfy { (steps[index].start[$0.key] ?? 0) >= $0.value }
        }

        /// The least room above the minimum, over every purpose, once the step is done.
        func roomAfter(_ index: Int) -> Int {
            var least = Int.max
            for (purpose, minimum) in floor {
                let step = steps[index]
                least = min(least, (up[purpose] ?? 0) + (step.start[purpose] ?? 0) - (step.stop[purpose] ?? 0) - minimum)
            }
            return least
        }

        mutating func apply(_ index: Int) {
            isDone[index] = true
            done.append(index)
            for (purpose, count) in steps[index].start { up[purpose, default: 0] += count }
            for (purpose, count) in steps[index].stop { up[purpose, default: 0] -= count }
        }

        mutating func undo() {
            let index = done.removeLast()
            isDone[index] = false
            for (purpose, count) in steps[index].start { up[purpose, default: 0] -= count }
            for (purpose, count) in steps[index].stop { up[purpose, default: 0] += count }
        }

        /// Step 1: make-before-break closure.
        mutating func closure() {
            var progress = true
            while progress {
                progress = false
                // Steps that take nothing down first (a host that only gains), then the other net gains.
                let ready = steps.indices.filter { feasible($0) && gainsOnly($0) }
                if let index = ready.first(where: { steps[$0].stop.isEmpty && steps[$0].recreate.isEmpty }) ?? ready.first {
                    apply(index)
                    progress = true
                }
            }
        }

        var remaining: [Int] { steps.indices.filter { !isDone[$0] } }

        /// Orders every step; false when the search found no order that holds (the state it stopped in is kept).
        mutating func run() -> Bool {
            closure()
            if remaining.isEmpty { return true }
            if remaining.count <= RolloutPlanner.exactLimit {
                var failed = Set<[Bool]>()
                let start = (done, up)
                if search(&failed) { return true }
                blockedAt = start
                while done.count > start.0.count { undo() }
                return false
            }
            while !remaining.isEmpty {
                closure()
                let candidates = remaining.filter(feasible)
                guard let best = candidates.max(by: { roomAfter($0) < roomAfter($1) || (roomAfter($0) == roomAfter($1) && $0 > $1) }) else {
                    if remaining.isEmpty { return true }
                    blockedAt = (done, up)
                    return false
                }
                apply(best)
            }
            return true
        }

        /// Step 2: depth-first over the remaining steps, most room first, failed sets remembered.
        private mutating func search(_ failed: inout Set<[Bool]>) -> Bool {
            let depth = done.count
            closure()
            if remaining.isEmpty { return true }
            if failed.contains(isDone) {
                while done.count > depth { undo() }
                return false
            }
            let candidates = remaining.filter(feasible).sorted { roomAfter($0) > roomAfter($1) || (roomAfter($0) == roomAfter($1) && $0 < $1) }
            for index in candidates {
                apply(index)
                if search(&failed) { return true }
                undo()
            }
            failed.insert(isDone)
            while done.count > depth { undo() }
            return false
        }

        /// Why no remaining step can run, step by step: the purpose it would take below its minimum.
        func blockedDescription() -> String {
            var reasons: [String] = []
            for index in remaining {
                let step = steps[index]
                if !after[index].allSatisfy({ isDone[$0] }) { continue }
                for purpose in Set(step.stop.keys).union(step.recreate.keys).sorted() {
                    let have = up[purpose] ?? 0, down = step.down(purpose), minimum = floor[purpose] ?? 0
                    if have - down < minimum {
                        reasons.append("\(step.host) takes \(down) of \(purpose) down while \(have) are up (minimum \(minimum))")
                        break
                    }
                }
            }
            let list = reasons.isEmpty ? "every order runs a step that breaks a minimum" : reasons.joined(separator: "; ")
            return "no order of the \(steps.count) steps keeps every purpose at its minimum: after \(done.count) steps, \(list)"
        }

        /// A fix the same search proves: one temporary extra replica of one purpose, up for the whole rollout.
        func fix() -> String? {
            for purpose in floor.keys.sorted() {
                var relaxed = floor
                relaxed[purpose]! -= 1
                var trial = Ordering(copying: self, floor: relaxed)
                if trial.run() {
                    return "one temporary extra replica of \(purpose), started before the rollout on a host it does not touch and "
                        + "stopped after it, makes an order (its capacity is not checked)"
                }
            }
            return nil
        }

        private init(copying other: Ordering, floor: [String: Int]) {
            steps = other.steps
            self.floor = floor
            after = other.after
            isDone = Array(repeating: false, count: other.steps.count)
            var start = other.up
            for index in other.done.reversed() {
                for (purpose, count) in other.steps[index].start { start[purpose, default: 0] -= count }
                for (purpose, count) in other.steps[index].stop { start[purpose, default: 0] += count }
            }
            up = start
        }

        /// Lists the steps the search could not place, in an order that respects the reload dependencies.
        mutating func finishAnyway() {
            while !remaining.isEmpty {
                let next = remaining.first { after[$0].allSatisfy { isDone[$0] } } ?? remaining[0]
                apply(next)
            }
        }
    }
}
