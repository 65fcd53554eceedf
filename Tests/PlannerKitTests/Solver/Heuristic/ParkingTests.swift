import PlannerSpec
import Testing
@testable import PlannerKit

/// Level probes set aside hosts short of room (`ParkedHosts`, `HeuristicSolver+Parking.swift`) and
/// bring them back for a replica that fits.
@Suite struct ParkingTests {
    /// Three equal hosts; big leaves each 1 cpu, too little for medium, enough for small.
    static let spec = """
        topology: parking
        strategy: spread
        failures: { hosts: 1 }
        hosts:
          h1: { cpu: 4, memory: 16GiB }
          h2: { cpu: 4, memory: 16GiB }
          h3: { cpu: 4, memory: 16GiB }
        purposes:
          big:
            image: r/big:1
            replicas: 3
            min_available: 2
            cpu: 3
            memory: 1GiB
          medium:
            image: r/medium:1
            replicas: 2
            min_available: 1
            cpu: 2
            memory: 1GiB
          small:
            image: r/small:1
            replicas: 3
            min_available: 2
            cpu: 1
            memory: 1GiB
        """

    /// The entries of a parking heap, largest free room first.
    static func drained(_ heap: MaxHeap<ParkedHosts.Entry>) -> [ParkedHosts.Entry] {
        var heap = heap, entries: [ParkedHosts.Entry] = []
        while let entry = heap.popMax() { entries.append(entry) }
        return entries
    }

    @Test("a host short of cpu is parked under its free cpu, and returns for a purpose that fits in it")
    func shortHostsParkAndReturn() throws {
        let problem = try BinpackBoundTests.problem(Self.spec)
        func index(_ name: String) throws -> Int { try #require(problem.demands.firstIndex { $0.name == name }) }
        let big = try index("big"), medium = try index("medium"), small = try index("small")
        var solver = HeuristicSolver(problem, stepLimit: 1_000_000)
        solver.cap(at: 1.0)
        solver.openEveryHost()
        solver.parking = true
        let placedBig = solver.placeSpread(big, exact: false), placedMedium = solver.placeSpread(medium, exact: false)
        try #require(placedBig)
        #expect(!placedMedium, "medium fits in 1 cpu")
        let cls = problem.demands[medium].eligibleClass
        let parked = Self.drained(try #require(solver.parked[cls]).shortOfCPU)
        #expect(parked.map(\.host).sorted() == [0, 1, 2])
        #expect(parked.allSatisfy { $0.free == 1_000 }, "\(parked.map(\.free)) millicores free")
        #expect(solver.parked[cls].map { Self.drained($0.shortOfMemory) }?.isEmpty ?? true, "parked as short of memory")

        let placedSmall = solver.placeSpread(small, exact: false)
        #expect(placedSmall, "small did not get the parked hosts back")
        #expect(Self.drained(try #require(solver.parked[cls]).shortOfCPU).isEmpty)
        #expect(problem.hosts.indices.allSatisfy { solver.placed[small][$0] == 1 })
    }

    @Test("at 1,000 hosts a probe that parks places every replica, and the placement verifies")
    func parkingProbeVerifies() throws {
        let topology = try HeuristicTests.topology("spread-1000-hosts-seed5.spec")
        let problem = PlacementProblem(topology)
        var solver = HeuristicSolver(problem, stepLimit: 2_000_000)
        let order = solver.purposeOrder()
        let constructed = solver.placeEachPurpose(order)
        try #require(constructed)
        // A ceiling just above the constructed peak, as the first probes of `levelSpread` are: the
        // probe packs under it with the hosts it finds full parked.
        var probe = HeuristicSolver(problem, stepLimit: 2_000_000)
        probe.cap(at: solver.peakUtilisation * 1.05)
        probe.openEveryHost()
        probe.parking = true
        let placedAll = probe.placeEachPurpose(probe.levelOrder(.restrictedThenLargest, order))
        try #require(placedAll)
        let parkedAny = probe.parked.values.contains { !Self.drained($0.shortOfCPU).isEmpty || !Self.drained($0.shortOfMemory).isEmpty }
        #expect(parkedAny, "nothing was parked: the test no longer exercises parking")
        probe.uncap()
        #expect(probe.parked.isEmpty)
        HeuristicTests.expectVerified(probe.assignment, problem, topology)
    }
}
