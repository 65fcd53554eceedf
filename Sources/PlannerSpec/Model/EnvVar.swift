/// An environment variable of a purpose's containers: a value written in the spec, or a secret read on the host.
public struct EnvVar: Sendable, Hashable {
    public var name: String
    /// Empty for a secret: its value is never in the spec, nor anywhere planner writes or prints.
    public var value: String
    /// `NAME: { secret: true }`: the value comes from an env file on the host (`env_file:` in Compose).
    public var secret: Bool
    /// The host path of that env file when the spec names one (`file:`); nil: `Secrets.defaultFile`.
    public var secretFile: String?
    /// Where the variable's name was written.
    public var location: SourceLocation? = nil

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
        self.secret = false
        self.secretFile = nil
    }

    /// A secret variable, read on the host from `file` (nil: the default file of its purpose).
    public static func secret(_ name: String, file: String? = nil) -> EnvVar {
        var variable = EnvVar(name, "")
        variable.secret = true
        variable.secretFile = file
        return variable
    }
}
