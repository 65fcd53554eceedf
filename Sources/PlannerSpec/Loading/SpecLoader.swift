// SpecLoader: the entry point of the spec layer; reads a file, parses, decodes, validates, caps the findings.
import Foundation
import Yams
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a spec into a `LoadedSpec`: `SpecText` parses, `TopologyDecoder` decodes, `SpecValidation` checks
/// the whole; the findings come back sorted in file order and capped.
public enum SpecLoader {
    /// Most diagnostics reported for one file; past this a single note says how many were left out.
    public static let maximumDiagnostics = 200

    public static func load(path: String) -> LoadedSpec {
        let location = SourceLocation(file: path, line: 1, column: 1)
        let refuse = { (message: String) in
            LoadedSpec(topology: nil, diagnostics: [.error(.unreadableFile, message, at: location)], bytes: [])
        }
        // Non-blocking, then fstat on the descriptor: a FIFO with no writer would block open and read
        // forever, and checking the path first would leave a window for it to be swapped.
        let fd = open(RawPath.bytes(path), O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            switch errno {
            case ENOENT, ENOTDIR: return refuse("no such file")
            case EACCES, EPERM: return refuse("cannot open the file (permission denied)")
            default: return refuse("cannot open the file (\(String(cString: strerror(errno))))")
            }
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return refuse("cannot read the file (\(String(cString: strerror(errno))))") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return refuse("is a directory, not a spec file")
        default: return refuse("is not a regular file (a FIFO, socket or device); a spec must be a regular file")
        }
        // Read one byte past the limit so that an oversized file is refused without reading all of it.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while bytes.count <= SpecText.maximumBytes {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, SpecText.maximumBytes + 1 - bytes.count)) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return refuse("cannot read the file (\(String(cString: strerror(errno))))") }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return load(bytes: bytes, file: path)
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
