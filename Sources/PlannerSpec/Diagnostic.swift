/// A place in a spec file. Line and column are 1-based; columns count Unicode scalars, as libYAML does.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One finding about a spec: severity, a stable code, a message, and where it is.
///
/// The library only reports; the command decides what a finding does to the exit status
/// (see `DiagnosticCode.kind`).
public struct Diagnostic: Hashable, Sendable, Error {
    public enum Severity: String, Sendable, Codable, Comparable {
        case error, warning, note

        fileprivate var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// A pointer at the other side of a conflict, or a hint.
    public struct Note: Hashable, Sendable {
        public var message: String
        public var location: SourceLocation?

        public init(_ message: String, at location: SourceLocation? = nil) {
            self.message = message
            self.location = location
        }
    }

    public var severity: Severity
    public var code: DiagnosticCode
    public var message: String
    public var location: SourceLocation?
    public var notes: [Note]

    public init(_ severity: Severity, _ code: DiagnosticCode, _ message: String,
                at location: SourceLocation?, notes: [Note] = []) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.notes = notes
    }

    public static func error(_ code: DiagnosticCode, _ message: String, at location: SourceLocation?,
                             notes: [Note] = []) -> Diagnostic {
        Diagnostic(.error, code, message, at: location, notes: notes)
    }

    public static func warning(_ code: DiagnosticCode, _ message: String, at location: SourceLocation?,
                               notes: [Note] = []) -> Diagnostic {
        Diagnostic(.warning, code, message, at: location, notes: notes)
    }
}

extension Diagnostic: Comparable {
    /// File order first, so output reads top to bottom; findings without a place go last.
    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        switch (lhs.location, rhs.location) {
        case let (l?, r?) where l != r: return l < r
        case (nil, _?): return false
        case (_?, nil): return true
        default:
            return (lhs.severity, lhs.code.rawValue, lhs.message) < (rhs.severity, rhs.code.rawValue, rhs.message)
        }
    }
}

/// Stable identifiers printed in brackets after each message; scripts may match on them.
public enum DiagnosticCode: String, Sendable, CaseIterable, Codable {
    // The file itself.
    case unreadableFile = "unreadable-file"
    case invalidEncoding = "invalid-encoding"
    case emptyFile = "empty-file"
    case tooLarge = "too-large"
    case yamlSyntax = "yaml-syntax"
    case duplicateKey = "duplicate-key"
    // Shape and values.
    case unknownKey = "unknown-key"
    case missingKey = "missing-key"
    case wrongType = "wrong-type"
    case badValue = "bad-value"
    case badUnit = "bad-unit"
    case invalidName = "invalid-name"
    case tooManyDiagnostics = "too-many-diagnostics"
    // References and consistency.
    case unknownHost = "unknown-host"
    case unknownPurpose = "unknown-purpose"
    case unknownLabel = "unknown-label"
    case duplicateName = "duplicate-name"
    case duplicatePort = "duplicate-port"
    case missingZone = "missing-zone"
    case missingRack = "missing-rack"
    case rackInTwoZones = "rack-in-two-zones"
    // Team standards (warnings).
    case unpinnedImage = "unpinned-image"
    case foreignRegistry = "foreign-registry"
    case singlePointOfFailure = "single-point-of-failure"
    // Placement.
    case cannotSurvive = "cannot-survive"
    case noEligibleHost = "no-eligible-host"
    case insufficientCapacity = "insufficient-capacity"
    case insufficientSpread = "insufficient-spread"
    case conflictingPurposes = "conflicting-purposes"
    case noPlacement = "no-placement"
    case undecided = "undecided"
    case verifierRejected = "verifier-rejected"

    /// Whether the finding is about the file (malformed: exit 2) or about placing it (exit 1).
    public enum Kind: Sendable { case input, placement, lint }

    public var kind: Kind {
        switch self {
        case .unpinnedImage, .foreignRegistry, .singlePointOfFailure: return .lint
        case .cannotSurvive, .noEligibleHost, .insufficientCapacity, .insufficientSpread,
             .conflictingPurposes, .noPlacement, .undecided, .verifierRejected:
            return .placement
        default: return .input
        }
    }
}
