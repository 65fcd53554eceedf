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
    case roundedDuration = "rounded-duration"
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
        case .unpinnedImage, .foreignRegistry, .singlePointOfFailure, .roundedDuration: return .lint
        case .cannotSurvive, .noEligibleHost, .insufficientCapacity, .insufficientSpread,
             .conflictingPurposes, .noPlacement, .undecided, .verifierRejected:
            return .placement
        default: return .input
        }
    }
}
