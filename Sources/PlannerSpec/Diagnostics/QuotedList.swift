/// Lists names for messages: "a", "a and b", "a, b and 3 more".
public func quotedList(_ names: [String], limit: Int = 4) -> String {
    let quoted = names.map { "'\($0)'" }
    if quoted.count <= 1 { return quoted.first ?? "" }
    if quoted.count <= limit { return quoted.dropLast().joined(separator: ", ") + " and " + quoted.last! }
    return quoted.prefix(limit - 1).joined(separator: ", ") + " and \(quoted.count - limit + 1) more"
}
