// What the writer does to the disk, as a protocol tests can fail on purpose, and its error.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the writer does to the disk, by paths relative to the output folder ("" is the folder itself).
/// Tests substitute an implementation that fails on purpose.
protocol FileSystem: Sendable {
    /// What is at the root itself (which may be a symbolic link the user made).
    func rootKind() -> FileWriter.Kind
    func makeRoot() throws
    /// Opens the root and keeps it open: every later operation is inside what the root was at this moment.
    func holdRoot() throws
    /// Removes the folders `makeRoot` created (when empty): a run that failed leaves no folder it made.
    func removeRoot()
    /// What is at `path`; `.missing` also when a folder on the way is a link or not a folder.
    func kind(_ path: String) -> FileWriter.Kind
    /// The bytes of a regular file (at most `limit`), or nil.
    func read(_ path: String, upTo limit: Int?) -> [UInt8]?
    /// The names in a folder, or nil.
    func list(_ path: String) -> [String]?
    func makeDirectory(_ path: String) throws
    /// Creates a new file (never an existing one) holding `contents`, synced to disk; a failed write leaves no file.
    func create(_ path: String, contents: [UInt8]) throws
    func link(_ existing: String, to new: String) throws
    func rename(_ from: String, to: String) throws
    func remove(_ path: String) throws
    func removeDirectory(_ path: String) throws
    /// Best effort: makes the folder's entries durable.
    func sync(_ folder: String)
}

/// An operating-system error, described as `strerror` does.
struct FileSystemError: Error, CustomStringConvertible {
    var code: Int32
    init(_ code: Int32 = errno) { self.code = code }
    var description: String { String(cString: strerror(code)) }
}
