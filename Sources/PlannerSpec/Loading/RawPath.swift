// RawPath: file names that are not UTF-8, carried through Swift strings without loss.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file name's bytes in a `String`, losslessly: Linux file names are bytes, and `CommandLine.arguments`
/// replaces bytes that are not UTF-8 with U+FFFD, so such a spec was "no such file". Each such byte is
/// kept as the private-use scalar U+10FF00 + byte (plane 16, which no real file name uses), and turned
/// back into the byte when the file is opened.
public enum RawPath {
    static let base: UInt32 = 0x10_FF00

    /// A C string (an argv entry) as a `String`, invalid bytes kept as U+10FF00 + byte.
    public static func string(_ pointer: UnsafePointer<CChar>) -> String {
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer))
        if let valid = String(validating: bytes, as: UTF8.self) { return valid }
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            var iterator = bytes[index...].makeIterator()
            var decoder = UTF8()
            if case .scalarValue(let scalar) = decoder.decode(&iterator) {
                scalars.append(scalar)
                index += UTF8.width(scalar)
            } else {
                scalars.append(Unicode.Scalar(base + UInt32(bytes[index]))!)
                index += 1
            }
        }
        return String(scalars)
    }

    /// The bytes to open: UTF-8, but U+10FF00 + byte back as the byte. NUL-terminated.
    public static func bytes(_ path: String) -> [CChar] {
        var out: [UInt8] = []
        for scalar in path.unicodeScalars {
            if scalar.value >= base && scalar.value <= base + 0xFF { out.append(UInt8(scalar.value - base)) } else { out += Array(String(scalar).utf8) }
        }
        return out.map { CChar(bitPattern: $0) } + [0]
    }

    /// Whether `scalar` stands for a raw byte (shown as `\xNN` in messages).
    public static func rawByte(_ scalar: Unicode.Scalar) -> UInt8? {
        scalar.value >= base && scalar.value <= base + 0xFF ? UInt8(scalar.value - base) : nil
    }
}
