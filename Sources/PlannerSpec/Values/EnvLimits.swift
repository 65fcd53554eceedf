/// Sizes of environment variables that a container can actually start with, and a bound on what
/// one plan writes for them. Checked before placement, so a huge value costs a diagnostic, not
/// minutes of emission and gigabytes of compose files.
public enum EnvLimits {
    /// Linux refuses to exec a process when one `NAME=value` string exceeds MAX_ARG_STRLEN
    /// (32 pages, 128 KiB, counting the terminating NUL): the container would never start.
    public static let variableBytes = 128 * 1024
    /// argv and the environment together get a quarter of the stack limit (ARG_MAX); 2 MiB with
    /// the default 8 MiB stack. A purpose whose variables exceed it cannot start either.
    public static let purposeBytes = 2 * 1024 * 1024
    /// Every replica's service repeats its purpose's environment in a compose file; past this total
    /// the plan would be mostly copies of the same values.
    public static let planBytes: Int64 = 256 * 1024 * 1024

    /// The bytes one variable takes in a process's environment: `NAME=value` and a NUL.
    public static func bytes(_ variable: EnvVar) -> Int {
        variable.name.utf8.count + 1 + variable.value.utf8.count + 1
    }
}
