// SpecLoader: the entry point of the spec layer; reads a file, parses, decodes, validates, caps the findings.
import Foundation
import Yams

/// Reads a spec into a `LoadedSpec`: `SpecText` parses, `TopologyDecoder` decodes, `SpecValidation` checks
/// the whole; the findings come back sorted in file order and capped.
public enum SpecLoader {
    /// Most diagnostics reported for one file; past this a single note says how many were left out.
    public static let maximumDiagnostics = 200

    public static func load(path: String) -> LoadedSpec {
        let location = SourceLocation(file: path, line: 1, column: 1)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return LoadedSpec(topology: nil, diagnostics: [.error(.unreadableFile, "no such file", at: location)], bytes: [])
        }
        if isDirectory.boolValue {
            return LoadedSpec(topology: nil, diagnostics: [.error(.unreadableFile, "is a directory, not a spec file", at: location)],
                              bytes: [])
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return LoadedSpec(topology: nil, diagnostics: [.error(.unreadableFile, "cannot open the file (permission denied?)",
                                                                  at: location)], bytes: [])
        }
        defer { try? handle.close() }
        // Read one byte past the limit so that an oversized file is refused without reading all of it.
        let data = ((try? handle.read(upToCount: SpecText.maximumBytes + 1)) ?? nil) ?? Data()
        return load(bytes: [UInt8](data), file: path)
    }

    public static func load(text: String, file: String = "<spec>") -> LoadedSpec {
        load(bytes: Array(text.utf8), file: file)
    }

    public static func load(bytes: [UInt8], file: String) -> LoadedSpec {
        let root: Node
        switch SpecText.parse(bytes: bytes, file: file) {
        case .failure(let diagnostic): return LoadedSpec(topology: nil, diagnostics: [diagnostic], bytes: bytes)
        case .success(let node): root = node
        }
        let reader = NodeReader(file: file)
        var decoder = TopologyDecoder(reader: reader)
        let topology = decoder.decode(root)
        var diagnostics = reader.diagnostics
        if let topology {
            diagnostics += SpecValidation(topology: topology, declaredHosts: decoder.declaredHosts,
                                          declaredPurposes: decoder.declaredPurposes,
                                          incompletePlacements: decoder.incompletePlacements).run()
        }
        return LoadedSpec(topology: topology, diagnostics: capped(diagnostics.sorted()), bytes: bytes)
    }

    static func capped(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        guard diagnostics.count > maximumDiagnostics else { return diagnostics }
        // Keep the most severe first, then show them in file order; the summary carries the worst
        // severity left out, so that leaving findings out never changes the exit status.
        let bySeverity = diagnostics.enumerated().sorted { ($0.element.severity, $0.offset) < ($1.element.severity, $1.offset) }
        var kept = bySeverity.prefix(maximumDiagnostics).map(\.element).sorted()
        let dropped = bySeverity.dropFirst(maximumDiagnostics).map(\.element)
        let worst = dropped.map(\.severity).min() ?? .note
        let code = dropped.first { $0.severity == worst }?.code ?? .tooManyDiagnostics
        kept.append(Diagnostic(worst, worst == .error && code.kind == .input ? .tooManyDiagnostics : code,
                               "\(dropped.count) more \(worst == .error ? "problems" : worst == .warning ? "warnings" : "notes") not shown",
                               at: nil))
        return kept
    }
}
