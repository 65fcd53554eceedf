// Runs a program to the end with its output captured: the one way tests launch `planner` and the validators.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum ProcessCapture {
    /// Where the program's stderr goes.
    public enum StandardError {
        case captured
        /// Into the same file as stdout, interleaved as written (for a validator's whole log).
        case mergedIntoStandardOutput
        /// A handle the caller reads (a pseudo-terminal).
        case handle(FileHandle)
    }

    /// Runs `executable` with no input and waits for it. Output goes through files, never a pipe, so a
    /// large output cannot block the child. With `timeout`, a run still going after that many seconds is
    /// terminated, then killed (a hang guard, not a performance claim).
    public static func run(_ executable: URL, _ arguments: [String], in directory: URL,
                           environment: [String: String]? = nil, standardError: StandardError = .captured,
                           timeout: Double? = nil) throws -> CapturedRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        let scratch = try TemporaryDirectory()
        defer { withExtendedLifetime(scratch) {} }
        let out = scratch.url.appendingPathComponent("stdout"), err = scratch.url.appendingPathComponent("stderr")
        for file in [out, err] where !FileManager.default.createFile(atPath: file.path, contents: nil) {
            throw SetupError("cannot create \(file.path) for the child's output")
        }
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        switch standardError {
        case .captured: process.standardError = errHandle
        case .mergedIntoStandardOutput: process.standardError = outHandle
        case .handle(let handle): process.standardError = handle
        }
        process.standardInput = FileHandle.nullDevice
        let started = Date()
        try process.run()
        var timedOut = false
        if let timeout {
            while process.isRunning {
                if Date().timeIntervalSince(started) > timeout {
                    timedOut = true
                    process.terminate()
                    Thread.sleep(forTimeInterval: 0.5)
                    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                    break
                }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        process.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        try outHandle.close()
        try errHandle.close()
        return CapturedRun(status: process.terminationStatus, stdout: try Data(contentsOf: out),
                           stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self),
                           signalled: process.terminationReason == .uncaughtSignal, timedOut: timedOut, seconds: seconds)
    }
}
