/// Parsing of resource amounts: cpu in cores and memory in bytes, as Docker reads them.
public enum Quantity {
    /// Millicores from `2`, `0.5` or `"500m"`.
    public static func millicores(_ text: String) -> Result<Int64, QuantityError> {
        let trimmed = text.trimmingSpaces
        if trimmed.hasSuffix("m") {
            let number = String(trimmed.dropLast())
            guard let value = parseDecimal(number) else { return .failure(.notANumber(text)) }
            return checked(value.scaled(by: 1), unit: "millicore", text: text)
        }
        guard let value = parseDecimal(trimmed) else {
            return .failure(.notANumber(text))
        }
        return checked(value.scaled(by: 1000), unit: "millicore", text: text)
    }

    /// Binary units (K, M, G, T and KiB … TiB) are powers of 1024 as in Docker;
    /// KB, MB, GB, TB are powers of 1000; `B` or no unit are bytes.
    public static func bytes(_ text: String) -> Result<Int64, QuantityError> {
        let trimmed = text.trimmingSpaces
        let split = trimmed.firstIndex { !($0.isASCII && ($0.isNumber || $0 == ".")) } ?? trimmed.endIndex
        let number = String(trimmed[..<split])
        let unit = String(trimmed[split...]).trimmingSpaces
        guard let value = parseDecimal(number) else { return .failure(.notANumber(text)) }
        guard let factor = memoryUnits[unit] else {
            return .failure(.unknownUnit(unit, text))
        }
        return checked(value.scaled(by: factor), unit: "byte", text: text)
    }

    static let memoryUnits: [String: Int64] = {
        var units: [String: Int64] = ["": 1, "B": 1, "b": 1]
        let binary: [(String, Int64)] = [("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("T", 1 << 40)]
        for (prefix, factor) in binary {
            units[prefix] = factor
            units[prefix.lowercased()] = factor
            units[prefix + "i"] = factor
            units[prefix + "iB"] = factor
        }
        let decimal: [(String, Int64)] = [("K", 1_000), ("M", 1_000_000), ("G", 1_000_000_000), ("T", 1_000_000_000_000)]
        for (prefix, factor) in decimal { units[prefix + "B"] = factor }
        units["kB"] = 1_000
        return units
    }()

    /// Formats bytes the way people write them in specs: `16GiB`, `512MiB`, `1.5GiB`.
    public static func formatBytes(_ bytes: Int64) -> String {
        let units: [(String, Int64)] = [("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        for (name, factor) in units where bytes >= factor {
            return formatScaled(bytes, factor) + name
        }
        return "\(bytes)B"
    }

    /// Formats millicores as cores: `2`, `0.5`, `1.25`.
    public static func formatCores(_ millicores: Int64) -> String { formatScaled(millicores, 1000) }

    static func formatScaled(_ value: Int64, _ factor: Int64) -> String {
        let whole = value / factor
        let hundredths = (value % factor * 100 + factor / 2) / factor
        if hundredths == 0 { return "\(whole)" }
        if hundredths == 100 { return "\(whole + 1)" }
        let digits = hundredths % 10 == 0 ? "\(hundredths / 10)" : (hundredths < 10 ? "0\(hundredths)" : "\(hundredths)")
        return "\(whole).\(digits)"
    }

    // MARK: - Exact decimals

    /// A non-negative decimal as digits and a count of fraction digits, so that scaling stays exact.
    struct Decimal {
        var digits: [UInt8]
        var fractionDigits: Int

        /// value × factor, or nil if it is not a whole number or does not fit in 63 bits.
        func scaled(by factor: Int64) -> Int64?? {
            var numerator: Int64 = 0
            for digit in digits {
                let (times10, o1) = numerator.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(Int64(digit))
                if o1 || o2 { return .some(nil) }
                numerator = sum
            }
            var divisor: Int64 = 1
            for _ in 0..<fractionDigits {
                let (next, overflow) = divisor.multipliedReportingOverflow(by: 10)
                if overflow { return nil }
                divisor = next
            }
            // Cancel powers of ten before multiplying so that 1.5GiB does not overflow early.
            var factor = factor
            while divisor > 1, factor % 10 == 0 { factor /= 10; divisor /= 10 }
            while divisor > 1, numerator % 10 == 0 { numerator /= 10; divisor /= 10 }
            let (product, overflow) = numerator.multipliedReportingOverflow(by: factor)
            if overflow { return .some(nil) }
            if product % divisor != 0 { return nil }
            return .some(product / divisor)
        }
    }

    static func parseDecimal(_ text: String) -> Decimal? {
        guard !text.isEmpty, text.count <= 40 else { return nil }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        for character in text {
            if character == "." {
                if seenPoint { return nil }
                seenPoint = true
            } else if let digit = character.asciiValue, (48...57).contains(digit) {
                digits.append(digit - 48)
                if seenPoint { fractionDigits += 1 }
            } else {
                return nil
            }
        }
        // Trailing zeros after the point change nothing; dropping them keeps exact values in range.
        while fractionDigits > 0, digits.last == 0 {
            digits.removeLast()
            fractionDigits -= 1
        }
        return digits.isEmpty ? nil : Decimal(digits: digits, fractionDigits: fractionDigits)
    }

    static func checked(_ scaled: Int64??, unit: String, text: String) -> Result<Int64, QuantityError> {
        switch scaled {
        case .none: return .failure(.notWhole(text, unit))
        case .some(.none): return .failure(.tooLarge(text))
        case .some(.some(let value)): return value > 0 ? .success(value) : .failure(.notPositive(text))
        }
    }
}

/// Spaces around an amount or its unit are ignored (`" 4 "`, `"8 GiB"`); tabs and line breaks are not.
private extension String {
    var trimmingSpaces: String {
        var slice = self[...]
        while slice.first == " " { slice = slice.dropFirst() }
        while slice.last == " " { slice = slice.dropLast() }
        return String(slice)
    }
}
