// The heuristic's zone heaps: per eligibility class, its hosts by utilisation, and opening hosts into them.

extension HeuristicSolver {
    /// The zone heaps of an eligibility class, built on first use.
    mutating func buildBuckets(_ cls: Int, hosts: [Int]) {
        guard buckets[cls] == nil else { return }
        // One heap per zone and host size: within it, least utilised now is least utilised after
        // taking any given replica, so each heap's top is the only candidate it needs to offer.
        var bySlot: [[Int64]: MinHeap<HostKey>] = [:]
        let usable = openHosts.map { open in hosts.filter { open.contains($0) } } ?? hosts
        for h in usable { bySlot[slot(h), default: MinHeap()].insert(HostKey(value: utilisation(h), host: h)) }
        let slots = bySlot.keys.sorted { $0.lexicographicallyPrecedes($1) }
        let position = Dictionary(uniqueKeysWithValues: slots.enumerated().map { ($1, $0) })
        buckets[cls] = slots.map { bySlot[$0]! }
        slotPositions[cls] = position
        for h in usable { bucketOf[h].append((cls, position[slot(h)]!)) }
    }

    /// A host's heap within its class: its zone and size.
    func slot(_ h: Int) -> [Int64] { [Int64(problem.hosts[h].zone), problem.hosts[h].cpu, problem.hosts[h].memory] }

    /// Opens host h: it joins the heaps of every class already built that may use it. The class
    /// being placed has its heaps out (`placing`, `heaps`), so they are passed in.
    mutating func open(_ h: Int, placing cls: Int, heaps: inout [MinHeap<HostKey>], skipped: inout [[HostKey]]) {
        openHosts?.insert(h)
        let key = HostKey(value: utilisation(h), host: h)
        for other in slotPositions.keys.sorted() where classSets[other]!.contains(h) {
            let position: Int
            if let known = slotPositions[other]![slot(h)] {
                position = known
            } else {
                position = slotPositions[other]!.count
                slotPositions[other]![slot(h)] = position
                if other == cls {
                    heaps.append(MinHeap())
                    skipped.append([])
                } else {
                    buckets[other]!.append(MinHeap())
                }
            }
            if other == cls { heaps[position].insert(key) } else { buckets[other]![position].insert(key) }
            bucketOf[h].append((other, position))
        }
    }

    /// The next host that d may use, not yet open, in opening order, that takes a replica of d now.
    mutating func hostToOpen(_ d: Int, exact: Bool) -> Int? {
        guard let open = openHosts else { return nil }
        let cls = problem.demands[d].eligibleClass
        if openingOrder[cls] == nil {
            let rank = openingRank
            openingOrder[cls] = problem.demands[d].eligible.sorted { rank[$0] < rank[$1] }
        }
        let order = openingOrder[cls]!
        var cursor = openingCursor[cls, default: 0]
        while cursor < order.count, open.contains(order[cursor]) { cursor += 1 }
        openingCursor[cls] = cursor
        for h in order[cursor...] where !open.contains(h) && canAdd(d, h, exact: exact) { return h }
        return nil
    }

    /// A host whose utilisation fell gets a fresh entry in every heap that holds it (keys only
    /// grow lazily; the old, higher entry is dropped when it surfaces).
    mutating func refresh(_ h: Int) {
        let key = HostKey(value: utilisation(h), host: h)
        for (cls, zone) in bucketOf[h] { buckets[cls]?[zone].insert(key) }
    }
}
