// Ordering the steps that take one placement to another, every purpose at its minimum at every moment.

/// Works out the steps (one per host that changes, one per balancer replica to restart) and orders them.
///
/// Algorithm. The state after a set of done steps is fixed by that set (up(p) = from(p) + the done steps'
/// gains), so ordering is a search over subsets: BtrPlace's reconfiguration plans with "continuous"
/// constraints that hold in every intermediate state (Hermenier, Lawall, Muller, "BtrPlace: a flexible
/// consolidation manager for highly available applications", IEEE TDSC 2013; Dang, Hermenier, HotDep
/// 2013), restricted to one step per host; BtrPlace uses constraint programming for it.
/// 1. Make-before-break closure: while some step can run now and gains in no purpose less than it
///    stops (start ≥ stop for every purpose), do it; steps that take nothing down first. Exchange
///    argument: moving such a step to the front of any valid order keeps it valid (every later state has
///    at least as many replicas up), so this never loses an order. O(n · P) per pass, n steps, P purposes.
/// 2. The rest, once at most `exactLimit` steps remain: depth-first search with the failed subsets
///    remembered, O(2ⁿ · n · P): an order is found exactly when one exists (tested against brute force).
///    More: greedy, each time the step that leaves the most room above the minimums, O(n² · P), until
///    `exactLimit` remain; a failure after a greedy choice is not a proof, and the message says so.
/// With several purposes we know of no polynomial algorithm (floors on several resources at once), hence
/// the exact search only on small remainders. `survive` K: every state must also keep each purpose at
/// its floor after losing the K hosts holding most of its replicas up; that measure only grows when a
/// host's count grows, so the exchange argument of step 1 still holds.
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
        /// `--rollout-survive K`: host failures every intermediate state must also survive.
        public var survive: Int

        public init(from: PlacementCounts, to: PlacementCounts, required: [String: Int],
                    recreate: [String: [String: Int]] = [:], reloads: [String: Set<String>] = [:], survive: Int = 0) {
            self.survive = survive
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
        var problems: [String] = []
        var fixes: [String] = []
        if !steps.isEmpty, let weak = order.weakAtStart() {
            problems.append("the deployed placement does not survive \(input.survive) host failure\(input.survive == 1 ? "" : "s") "
                            + "with \(weak) at its minimum; no rollout can keep it through them")
            order.finishAnyway()
        } else if !order.run() {
            problems.append(order.blockedDescription())
            fixes = order.fixes()
            order.finishAnyway()
        }
        return Rollout(from: input.from, to: input.to, steps: order.done.map { steps[$0] }, minimum: floor, problems: problems,
                       survive: input.survive, fixPurposes: fixes)
    }

    /// The search state: which steps are done, in order, and what is up.
    struct Ordering {
        let steps: [RolloutStep]
        let floor: [String: Int]
        /// Per step, the indices of steps that must come before it (a reload waits for its backends).
        let after: [[Int]]
        var up: [String: Int]
        /// Per purpose, per host: replicas up now (only kept with `survive` > 0, where hosts matter).
        var counts: [String: [String: Int]]
        let survive: Int
        /// False when the greedy order (many steps) gave up: no order was found, none was proven absent.
        var exact = true
        var done: [Int] = []
        var isDone: [Bool]

        init(steps: [RolloutStep], input: Input, floor: [String: Int]) {
            self.steps = steps
            self.floor = floor
            isDone = Array(repeating: false, count: steps.count)
            up = input.from.mapValues { $0.values.reduce(0, +) }
            survive = input.survive
            counts = input.survive > 0 ? input.from : [:]
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
            { purpose in up(purpose, during: index) >= (floor[purpose] ?? 0) }
        }

        /// Replicas of `purpose` up while step `index` runs (nil: no step), less what the `survive` worst
        /// host failures take.
        func up(_ purpose: String, during index: Int?) -> Int {
            let down = index.map { steps[$0].down(purpose) } ?? 0
            let total = (up[purpose] ?? 0) - down
            guard survive > 0 else { return total }
            var perHost = counts[purpose] ?? [:]
            if let index, down > 0 { perHost[steps[index].host, default: 0] -= down }
            return total - perHost.values.sorted(by: >).prefix(survive).reduce(0, +)
        }

        /// With `survive`: a purpose whose deployed placement already falls below its floor after the failures.
        func weakAtStart() -> String? {
            guard survive > 0 else { return nil }
            return floor.keys.sorted().first { up($0, during: nil) < floor[$0]! }
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
            if survive > 0 { shift(index, by: 1) }
        }

        private mutating func shift(_ index: Int, by sign: Int) {
            let host = steps[index].host
            for (purpose, count) in steps[index].start { counts[purpose, default: [:]][host, default: 0] += sign * count }
            for (purpose, count) in steps[index].stop { counts[purpose, default: [:]][host, default: 0] -= sign * count }
        }

        mutating func undo() {
            let index = done.removeLast()
            isDone[index] = false
            for (purpose, count) in steps[index].start { up[purpose, default: 0] -= count }
            for (purpose, count) in steps[index].stop { up[purpose, default: 0] += count }
            if survive > 0 { shift(index, by: -1) }
        }

        /// Step 1: make-before-break closure. Passes over the steps in index order: first the steps that take
        /// nothing down (a host that only gains), then the other net gains, until a pass changes nothing;
        /// each pass is O(n · P), and a pass that changes nothing ends it.
        mutating func closure() {
            var progress = true
            while progress {
                progress = false
                for pureFirst in [true, false] {
                    for index in steps.indices where !isDone[index] && gainsOnly(index) && feasible(index) {
                        if pureFirst, !(steps[index].stop.isEmpty && steps[index].recreate.isEmpty) { continue }
                        apply(index)
                        progress = true
                    }
                    if progress { break }
                }
            }
        }

        var remaining: [Int] { steps.indices.filter { !isDone[$0] } }

        /// Orders every step; false when the search found no order that holds (the state it stopped in is
        /// kept). Greedy while more than `exactLimit` steps remain, then exact; a failure is proven (`exact`)
        /// only when no greedy choice came before it.
        mutating func run() -> Bool {
            var greedy = false
            while true {
                closure()
                let rest = remaining
                if rest.isEmpty { return true }
                if rest.count <= RolloutPlanner.exactLimit {
                    var failed = Set<UInt32>()
                    let depth = done.count
                    if search(rest, &failed) { return true }
                    while done.count > depth { undo() }
                    if greedy { exact = false }
                    return false
                }
                let candidates = rest.filter(feasible)
                guard let best = candidates.max(by: { roomAfter($0) < roomAfter($1) || (roomAfter($0) == roomAfter($1) && $0 > $1) }) else {
                    exact = false
                    return false
                }
                apply(best)
                greedy = true
            }
        }

        /// Step 2: depth-first over `rest` (at most 32 steps), most room first; `failed` holds the subsets of
        /// `rest` done when a search failed (the state depends only on that subset).
        private mutating func search(_ rest: [Int], _ failed: inout Set<UInt32>) -> Bool {
            let depth = done.count
            closure()
            var key: UInt32 = 0
            for (bit, index) in rest.enumerated() where isDone[index] { key |= 1 << UInt32(bit) }
            if key == (rest.count == 32 ? UInt32.max : (1 << UInt32(rest.count)) - 1) { return true }
            if failed.contains(key) {
                while done.count > depth { undo() }
                return false
            }
            let candidates = rest.filter(feasible).sorted { roomAfter($0) > roomAfter($1) || (roomAfter($0) == roomAfter($1) && $0 < $1) }
            for index in candidates {
                apply(index)
                if search(rest, &failed) { return true }
                undo()
            }
            failed.insert(key)
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
                    if up(purpose, during: index) < minimum {
                        let failures = survive > 0 ? " and \(survive) host failure\(survive == 1 ? "" : "s")" : ""
                        reasons.append("\(step.host) takes \(down) of \(purpose) down while \(have) are up (minimum \(minimum)\(failures))")
                        break
                    }
                }
            }
            let list = reasons.isEmpty ? "every order runs a step that breaks a minimum" : reasons.joined(separator: "; ")
            let claim = exact ? "no order of the \(steps.count) steps keeps every purpose at its minimum"
                : "found no order of the \(steps.count) steps that keeps every purpose at its minimum (a greedy search, "
                    + "which may miss one)"
            return "\(claim): after \(done.count) steps, \(list)"
        }

        /// The purposes one temporary extra replica of which (up the whole rollout) makes an order, each
        /// proven by the same search with that purpose's floor one lower. `RolloutFix` finds it a host.
        func fixes() -> [String] {
            let blocking = Set(remaining.flatMap { Array(steps[$0].stop.keys) + Array(steps[$0].recreate.keys) })
            return floor.keys.sorted().filter { purpose in
                guard blocking.contains(purpose) else { return false }
                var relaxed = floor
                relaxed[purpose]! -= 1
                var trial = Ordering(copying: self, floor: relaxed)
                return trial.run()
            }
        }

        private init(copying other: Ordering, floor: [String: Int]) {
            steps = other.steps
            self.floor = floor
            after = other.after
            survive = other.survive
            isDone = Array(repeating: false, count: other.steps.count)
            var start = other.up
            for index in other.done.reversed() {
                for (purpose, count) in other.steps[index].start { start[purpose, default: 0] -= count }
                for (purpose, count) in other.steps[index].stop { start[purpose, default: 0] += count }
            }
            up = start
            var startCounts = other.counts
            for index in other.done.reversed() where survive > 0 {
                let host = other.steps[index].host
                for (purpose, count) in other.steps[index].start { startCounts[purpose, default: [:]][host, default: 0] -= count }
                for (purpose, count) in other.steps[index].stop { startCounts[purpose, default: [:]][host, default: 0] += count }
            }
            counts = startCounts
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
