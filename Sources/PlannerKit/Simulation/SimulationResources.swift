// Millicores and bytes, added and subtracted by the simulation.

/// Millicores and bytes.
public struct SimulationResources: Sendable, Hashable {
    public var cpu: Int64
    public var memory: Int64

    public init(cpu: Int64 = 0, memory: Int64 = 0) {
        self.cpu = cpu
        self.memory = memory
    }

    public static func + (a: SimulationResources, b: SimulationResources) -> SimulationResources {
        SimulationResources(cpu: a.cpu + b.cpu, memory: a.memory + b.memory)
    }

    public static func - (a: SimulationResources, b: SimulationResources) -> SimulationResources {
        SimulationResources(cpu: a.cpu - b.cpu, memory: a.memory - b.memory)
    }
}
