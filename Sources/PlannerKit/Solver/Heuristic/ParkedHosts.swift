/// Parking full hosts while a level probe packs (`levelSpread`).
///
/// Under a ceiling most hosts fill up long before the last purpose, and each purpose used to pop every
/// full host off its heaps, find it short and push it back: O(H log H) per purpose. A host that is short of cpu (or memory) for one
/// replica is instead parked under what it had free of that resource, and returns to its heap only
/// when a purpose of its class asks for no more than that. A construction adds replicas, so a host's
/// free room only shrinks and a parked host cannot be needed earlier (where replicas are taken back,
/// in the exact retry of `placePurpose`, `refresh` puts the host back in its heaps anyway). With the
/// largest replicas first, as the probe orders have them, few hosts come back. A probe that is kept
/// is `uncap`ped, which drops the parking with the heaps.
///
/// Only above `HeuristicSolver.parkingHosts`: a parked host no longer sits on top of its heap, so a
/// heap's next host can win a replica it would not have won before. On small instances that made
/// some placements worse and saved no time; on large ones it saves much of the run.
struct ParkedHosts {
    struct Entry: Comparable {
        var free: Int64
        var host: Int
        /// The host's heap in its class (one per zone and host size).
        var heap: Int
        static func < (a: Entry, b: Entry) -> Bool { a.free != b.free ? a.free < b.free : a.host < b.host }
    }

    /// Hosts short of cpu, keyed by their free cpu; and short of memory, by their free memory.
    var shortOfCPU = MaxHeap<Entry>()
    var shortOfMemory = MaxHeap<Entry>()
}
