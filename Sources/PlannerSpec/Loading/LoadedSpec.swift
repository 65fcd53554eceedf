/// What reading a spec produced: the topology when it could be decoded, and every finding.
public struct LoadedSpec: Sendable {
    public var topology: Topology?
    public var diagnostics: [Diagnostic]
    /// The file's bytes, for hashing what a plan came from.
    public var bytes: [UInt8]

    public init(topology: Topology?, diagnostics: [Diagnostic], bytes: [UInt8] = []) {
        self.topology = topology
        self.diagnostics = diagnostics
        self.bytes = bytes
    }

    /// True when nothing is wrong with the file itself (placement is judged later).
    public var isWellFormed: Bool {
        topology != nil && !diagnostics.contains { $0.severity == .error && $0.code.kind == .input }
    }
}
