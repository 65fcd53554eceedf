/// A host's utilisation, the quantity `spread` minimises at its peak: the larger of its cpu share and
/// its memory share. The one definition the solver, its bounds and the reports use.
public enum Utilisation {
    /// Callers convert to `Double` first (sums of two `Int64`s are added as doubles where they could overflow).
    @inline(__always)
    public static func of(cpu: Double, memory: Double, cpuCapacity: Double, memoryCapacity: Double) -> Double {
        max(cpu / cpuCapacity, memory / memoryCapacity)
    }
}
