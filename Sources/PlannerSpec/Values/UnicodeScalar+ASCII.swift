// Unicode.Scalar+ASCII: the ASCII character classes the value grammars are written in.
extension Unicode.Scalar {
    /// `a`–`z`, `A`–`Z` and `0`–`9`, and nothing else (no letters of other scripts).
    var isASCIILetterOrDigit: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self) }

    /// `0`–`9` only (`Character.isNumber` also takes other scripts' digits).
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }

    /// The C0 controls and DEL: line breaks, tabs and NUL among them.
    var isASCIIControl: Bool { value < 0x20 || value == 0x7F }
}
