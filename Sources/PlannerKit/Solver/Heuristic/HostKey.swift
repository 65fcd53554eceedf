/// A host and the value it is ordered by; ties go to the lower host index, for determinism.
struct HostKey: Comparable {
    var value: Double
    var host: Int
    static func < (a: HostKey, b: HostKey) -> Bool { a.value != b.value ? a.value < b.value : a.host < b.host }
}
