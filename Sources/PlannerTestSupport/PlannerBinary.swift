// The built `planner` binary: found once, run through `ProcessCapture`.
import Foundation
import Testing

public enum PlannerBinary {
    /// `$PLANNER_BIN`, else next to the test bundle, else `.build/debug/planner`.
    public static func url() throws -> URL {
        if let override = ProcessInfo.processInfo.environment["PLANNER_BIN"], !override.isEmpty {
            let url = URL(fileURLWithPath: override)
            try #require(isExecutable(url), "PLANNER_BIN=\(override) is not an executable file")
            return url
        }
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        if let first = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: first).deletingLastPathComponent())
            directories.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())  // macOS: products/X.xctest
        }
        directories.append(PackageRoot.url.appendingPathComponent(".build/debug"))
        for directory in directories {
            let candidate = directory.appendingPathComponent("planner")
            if isExecutable(candidate) { return candidate }
        }
        let searched = directories.map(\.path).joined(separator: ", ")
        throw SetupError("the planner binary is not built; run `swift build` (with the same --scratch-path) "
                         + "before `swift test`, or set PLANNER_BIN. Looked in: \(searched)")
    }

    private static func isExecutable(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
            && FileManager.default.isExecutableFile(atPath: url.path)
    }

    /// Runs `planner` with `arguments` (from the package root unless told otherwise) and waits for it.
    public static func run(_ arguments: [String], in directory: URL = PackageRoot.url,
                           standardError: ProcessCapture.StandardError = .captured,
                           timeout: Double? = nil) throws -> CapturedRun {
        try ProcessCapture.run(try url(), arguments, in: directory, standardError: standardError, timeout: timeout)
    }

    public static func run(_ arguments: String...) throws -> CapturedRun { try run(arguments) }

    /// Writes `spec` to a temporary file and runs `planner check` on it with `options`.
    public static func check(spec: String, _ options: [String] = []) throws -> CapturedRun {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let file = directory.url.appendingPathComponent("test.spec")
        try Data(spec.utf8).write(to: file)
        return try run(["check", file.path] + options)
    }
}
