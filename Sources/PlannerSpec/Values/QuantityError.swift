/// Why a cpu or memory amount cannot be read; the description is the diagnostic's message.
public enum QuantityError: Error, Equatable, CustomStringConvertible {
    case notANumber(String)
    case unknownUnit(String, String)
    case notWhole(String, String)
    case tooLarge(String)
    case notPositive(String)

    public var description: String {
        switch self {
        case .notANumber(let text):
            return text.hasPrefix("-") ? "'\(text)' is negative; it must be more than zero" : "'\(text)' is not a number"
        case .unknownUnit(let unit, _):
            return "unknown unit '\(unit)'; use B, K/M/G/T or KiB/MiB/GiB/TiB (powers of 1024), or KB/MB/GB/TB (powers of 1000)"
        case .notWhole(let text, let unit): return "'\(text)' is not a whole number of \(unit)s"
        case .tooLarge(let text): return "'\(text)' is too large"
        case .notPositive(let text): return "'\(text)' must be more than zero"
        }
    }
}
