// A strict look at a placement file's JSON before JSONDecoder reads it: what JSONDecoder lets through.

extension PlacementFile {
    /// What JSONDecoder accepts and other readers of the same file would read differently: a duplicate key
    /// (JSONDecoder keeps the first, most readers the last), a count written `1.0` or `1e0`, and bytes
    /// after the value (a trailing NUL). Says where, as line:column. Nil when none of these is there;
    /// other syntax errors are left to JSONDecoder.
    static func strictProblem(_ bytes: [UInt8]) -> String? {
        var scanner = StrictJSON(bytes: bytes)
        return scanner.check()
    }

    /// A recursive-descent walk over the JSON text; it stops at depth 64 (a placement file is three deep)
    /// rather than recurse without bound on hostile input.
    struct StrictJSON {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        func location(_ at: Int) -> String {
            var line = 1, column = 1
            for byte in bytes[..<min(at, bytes.count)] {
                if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
            }
            return "line \(line), column \(column)"
        }

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        struct Stop: Error { var message: String? }

        mutating func check() -> String? {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
            do {
                try value(path: [], depth: 0)
                skipSpace()
                if index < bytes.count {
                    return "unexpected byte 0x\(String(bytes[index], radix: 16, uppercase: true)) after the JSON value at \(location(index))"
                }
                return nil
            } catch {
                return error.message
            }
        }

        mutating func value(path: [String], depth: Int) throws(Stop) {
            guard depth < 64 else { throw Stop(message: "JSON nested deeper than 64 at \(location(index))") }
            skipSpace()
            guard index < bytes.count else { throw Stop(message: nil) }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var seen: Set<String> = []
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return }
                while true {
                    skipSpace()
                    let start = index
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw Stop(message: nil) }
                    let key = try string()
                    if !seen.insert(key).inserted {
                        let shown = (path + [key]).joined(separator: ".")
                        throw Stop(message: "duplicate key \"\(key)\" (at \(shown)) at \(location(start)); each key may appear once")
                    }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Stop(message: nil) }
                    index += 1
                    try value(path: path + [key], depth: depth + 1)
                    skipSpace()
                    guard index < bytes.count else { throw Stop(message: nil) }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return }
                    throw Stop(message: nil)
                }
            case UInt8(ascii: "["):
                index += 1
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return }
                var item = 0
                while true {
                    try value(path: path + ["\(item)"], depth: depth + 1)
                    item += 1
                    skipSpace()
                    guard index < bytes.count else { throw Stop(message: nil) }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return }
                    throw Stop(message: nil)
                }
            case UInt8(ascii: "\""):
                _ = try string()
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                while index < bytes.count, "+-.eE0123456789".utf8.contains(bytes[index]) { index += 1 }
                let text = bytes[start..<index]
                if path.first == "placement", text.contains(where: { "eE.".utf8.contains($0) }) {
                    throw Stop(message: "placement count \(String(decoding: text, as: UTF8.self)) (at \(path.joined(separator: "."))) "
                               + "at \(location(start)) must be a whole number written as digits")
                }
            default:
                // true, false or null; anything else is an error for JSONDecoder to name.
                guard let word = ["true", "false", "null"].first(where: { bytes[index...].starts(with: $0.utf8) }) else {
                    throw Stop(message: nil)
                }
                index += word.utf8.count
            }
        }

        /// A string's text with its escapes decoded, so that `"a"` and `"\u0061"` compare equal as keys
        /// (a surrogate pair is kept as written).
        mutating func string() throws(Stop) -> String {
            index += 1
            var out: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") { index += 1; return String(decoding: out, as: UTF8.self) }
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    let escaped = bytes[index + 1]
                    if escaped == UInt8(ascii: "u"), index + 5 < bytes.count,
                       let code = UInt32(String(decoding: bytes[(index + 2)...(index + 5)], as: UTF8.self), radix: 16) {
                        if let scalar = Unicode.Scalar(code) { out += Array(String(scalar).utf8) } else { out += bytes[index...(index + 5)] }
                        index += 6
                        continue
                    }
                    let simple: [UInt8: UInt8] = [UInt8(ascii: "n"): 0x0A, UInt8(ascii: "t"): 0x09, UInt8(ascii: "r"): 0x0D,
                                                  UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C]
                    out.append(simple[escaped] ?? escaped)
                    index += 2
                    continue
                }
                out.append(byte)
                index += 1
            }
            throw Stop(message: nil)
        }
    }
}
