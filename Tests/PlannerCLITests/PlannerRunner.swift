import Foundation
import Testing

/// What one run of the `planner` binary produced.
struct PlannerRun {
    var status: Int32
    var stdout: Data
    var stderr: String

    var output: String { String(decoding: stdout, as: UTF8.self) }

    /// stdout parsed as one JSON object.
    func json() throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: stdout)
        return try #require(value as? [String: Any], "stdout is not a JSON object:\n\(output)")
    }
}

enum Planner {
    /// The package's root directory, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built `planner` binary: `$PLANNER_BIN`, else next to the test bundle, else `.build/debug/planner`.
    static func binary() throws -> URL {
        if let override = ProcessInfo.processInfo.environment["PLANNER_BIN"], !override.isEmpty {
            let url = URL(fileURLWithPath: override)
            try #require(isExecutable(url), "PLANNER_BIN=\(override) is not an executable file")
            return url
        }
        var directories: [URL] = []
        if let executable = Bundle.main.executableURL { directories.append(executable.deletingLastPathComponent()) }
        if let first = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())  // macOS: products/X.xctest
        }
        directories.append(packageRoot.appendingPathComponent(".build/debug"))
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

    /// Runs `planner` with `arguments` from the package root and waits for it.
    static func run(_ arguments: [String]) throws -> PlannerRun {
        let captured = try capture(try binary(), arguments, in: packageRoot)
        return PlannerRun(status: captured.status, stdout: captured.stdout, stderr: captured.stderr)
    }

    /// Runs any program to the end with no input, its output captured through files (no pipe to fill up).
    static func capture(_ executable: URL, _ arguments: [String], in directory: URL,
                        environment: [String: String]? = nil) throws -> (status: Int32, stdout: Data, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        let scratch = try TemporaryDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let out = scratch.url.appendingPathComponent("stdout"), err = scratch.url.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return (process.terminationStatus, try Data(contentsOf: out), String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// Writes `spec` to a temporary file and runs `planner check` on it with `options`.
    static func check(spec: String, _ options: [String] = []) throws -> PlannerRun {
        let directory = try TemporaryDirectory()
        defer { withExtendedLifetime(directory) {} }
        let file = directory.url.appendingPathComponent("test.spec")
        try Data(spec.utf8).write(to: file)
        return try run(["check", file.path] + options)
    }
}

/// A fresh directory under the system's temporary directory, removed when released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("planner-cli-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

struct SetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
