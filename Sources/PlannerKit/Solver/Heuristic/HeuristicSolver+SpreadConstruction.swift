// The construction: each replica to the least utilised host that takes it (or, while hosts are being opened, the best packed).

extension HeuristicSolver {
    /// binpack inside the open hosts, lower is better: keep a host's cpu and memory filling at the
    /// same pace (a host full in one and empty in the other is wasted), then prefer the emptier host.
    func packingScore(_ d: Int, _ h: Int) -> Double {
        let demand = problem.demands[d], host = problem.hosts[h]
        // In floating point: hostile sizes near the 64-bit limit would overflow the integer sums.
        let cpuAfter = (Double(cpuUsed[h]) + Double(demand.cpu)) / Double(host.cpu)
        let memoryAfter = (Double(memoryUsed[h]) + Double(demand.memory)) / Double(host.memory)
        return abs(cpuAfter - memoryAfter) + 0.1 * max(cpuAfter, memoryAfter)
    }

    /// One purpose by `placeSpread`, under the uniform survival caps and, where they are too strict,
    /// the exact rule; what the exact attempt placed stays when it falls short.
    mutating func placePurpose(_ d: Int) -> Bool {
        if placeSpread(d, exact: false) { return true }
        clear(d)
        return placeSpread(d, exact: true)
    }

    /// Each purpose in turn, until one cannot be placed.
    mutating func placeEachPurpose(_ order: [Int]) -> Bool {
        for d in order where !placePurpose(d) { return false }
        return true
    }

    /// Each replica to the least utilised eligible host that takes it. The hosts of the purpose's
    /// eligibility class sit in one heap per zone and host size, keyed by utilisation; keys only grow
    /// while placing, so an entry found stale is pushed back with its current value (lazy update).
    /// Each heap's top is scored once and again only when that heap changes (placing a replica
    /// changes one host, in one heap), so a replica costs one comparison per heap, not one score.
    /// O((r + skipped) log H + r · heaps) per purpose.
    mutating func placeSpread(_ d: Int, exact: Bool, count: Int? = nil) -> Bool {
        let demand = problem.demands[d]
        let cls = demand.eligibleClass
        buildBuckets(cls, hosts: demand.eligible)
        var heaps = buckets[cls]!
        buckets[cls] = nil
        if parking { unpark(d, into: &heaps) }
        var skipped: [[HostKey]] = Array(repeating: [], count: heaps.count)
        var tops: [(value: Double, host: Int)?] = heaps.indices.map { scoredTop(d, &heaps[$0]) }
        var remaining = count ?? demand.replicas
        var probes = 0
        var placed = 0
        while remaining > 0 {
            // A construction does not tick, and a purpose may have a million replicas: the clock is
            // read here too, once per 1,024 replicas, so the time limit also bounds one pass.
            if placed & 0x3FF == 0x3FF, pastDeadline {
                stoppedByClock = true
                break
            }
            // The heap whose top is least utilised after taking this replica.
            var pick: Int? = nil
            for z in tops.indices {
                guard let top = tops[z] else { continue }
                if pick == nil || (top.value, top.host) < (tops[pick!]!.value, tops[pick!]!.host) { pick = z }
            }
            guard let z = pick else {
                guard openingAllowed, let h = hostToOpen(d, exact: exact) else { break }
                open(h, placing: cls, heaps: &heaps, skipped: &skipped)
                tops = heaps.indices.map { scoredTop(d, &heaps[$0]) }
                continue
            }
            guard let top = heaps[z].popMin() else { break }
            let h = top.host
            guard canAdd(d, h, exact: exact) else {
                if parking, !fits(d, h) { park(d, h, heap: z) } else { skipped[z].append(top) }
                tops[z] = scoredTop(d, &heaps[z])
                probes += 1
                if probes > probeLimit { break }
                continue
            }
            add(d, h, 1)
            journal?.append((d, h))
            remaining -= 1
            placed += 1
            heaps[z].insert(HostKey(value: utilisation(h), host: h))
            tops[z] = scoredTop(d, &heaps[z])
        }
        for z in heaps.indices { for key in skipped[z] { heaps[z].insert(key) } }
        buckets[cls] = heaps
        return remaining == 0
    }

    /// The heap's top once its stale entries are cleaned (a closed host is dropped: it returns when it
    /// reopens; a key below the host's utilisation goes back with the current value; one above it has
    /// a fresher entry already), scored for one more replica of d: the utilisation after it, or, while
    /// only open hosts may be used, the packing score. Nil when the heap is empty.
    mutating func scoredTop(_ d: Int, _ heap: inout MinHeap<HostKey>) -> (value: Double, host: Int)? {
        let demand = problem.demands[d]
        while let top = heap.peek() {
            if openHosts?.contains(top.host) == false {
                _ = heap.popMin()
                continue
            }
            let current = utilisation(top.host)
            if current > top.value + 1e-12 || current < top.value - 1e-12 {
                _ = heap.popMin()
                if current > top.value { heap.insert(HostKey(value: current, host: top.host)) }
                continue
            }
            let after = openHosts == nil ? utilisation(top.host, cpu: demand.cpu, memory: demand.memory) : packingScore(d, top.host)
            return (after, top.host)
        }
        return nil
    }
}
