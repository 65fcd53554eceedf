/// Text that reaches a generated file through an environment, a command or a mount: anything goes
/// except NUL, which no process argument or environment variable can hold.
public enum ContainerText {
    public static func problem(with text: String) -> String? {
        text.unicodeScalars.contains("\u{0}") ? "a NUL character cannot be passed to a container" : nil
    }

    /// A command written as one string is split into words by Compose (Python's `shlex`, POSIX rules): an
    /// unclosed quote or a trailing backslash would only fail at `docker compose up`, so it is refused here.
    public static func wordsProblem(with text: String) -> String? {
        enum State { case plain, single, double }
        var state = State.plain
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch (state, scalar) {
            case (.plain, "'"): state = .single
            case (.plain, "\""): state = .double
            case (.plain, "\\"):
                if scalars.next() == nil { return "it ends with a backslash; write \\\\ for a backslash, or use a list of words" }
            case (.single, "'"): state = .plain
            case (.double, "\""): state = .plain
            case (.double, "\\"):
                if scalars.next() == nil { return "a double quote is not closed; use a list of words to pass quotes as they are" }
            default: break
            }
        }
        switch state {
        case .plain: return nil
        case .single: return "a single quote is not closed; use a list of words to pass quotes as they are"
        case .double: return "a double quote is not closed; use a list of words to pass quotes as they are"
        }
    }
}
