/// Environment variable names as a POSIX shell writes them: letters, digits and `_`, not starting with a digit.
enum EnvNames {
    static func problem(with name: String) -> String? {
        guard let first = name.unicodeScalars.first else { return "a name must not be empty" }
        if name.unicodeScalars.count > 255 { return "too long" }
        let valid = name.unicodeScalars.allSatisfy { $0.isASCIILetterOrDigit || $0 == "_" }
        if !valid || ("0"..."9").contains(first) { return "use letters, digits and '_', not starting with a digit" }
        return nil
    }
}
