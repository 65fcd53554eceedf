/// Health paths go into balancer configurations; they are held to a charset that cannot
/// end a directive or start a comment.
public enum HealthPaths {
    public static func problem(with path: String) -> String? {
        guard path.hasPrefix("/") else { return "a path must start with '/'" }
        if path.unicodeScalars.count > 200 { return "a path may be at most 200 characters" }
        for scalar in path.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "/", "-", ".", "_", "~", "?", "=", "&": continue
            default:
                return "'\(Names.printable(String(scalar)))' is not allowed; use letters, digits and / - . _ ~ ? = &"
            }
        }
        return nil
    }
}
