// The real disk for the writer: POSIX calls relative to folders opened without following links.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real disk. Every folder below the root is opened with `O_NOFOLLOW | O_DIRECTORY` and every operation is
/// relative to its folder (`openat`, `renameat` …), so a symbolic link inside the root, even one swapped in while
/// planner runs, is never followed. The root itself (which may be a link the user made) is opened once, on first
/// use, and held: a link swapped while planner runs does not send later operations elsewhere.
///
/// A class for that descriptor; one writer uses it from one thread, hence `@unchecked Sendable`.
final class RootedFileSystem: FileSystem, @unchecked Sendable {
    let root: String
    private var rootDescriptor: Int32 = -1
    /// Folders `makeRoot` created, outermost first: `removeRoot` takes back exactly these.
    private var created: [String] = []

    init(root: String) { self.root = root }

    deinit { if rootDescriptor >= 0 { close(rootDescriptor) } }

    func rootKind() -> FileWriter.Kind { FileWriter.lstatKind(root) }

    /// `mkdir -p` of the root (the folders above it are the user's choice, links included).
    func makeRoot() throws {
        var current = ""
        for part in root.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) == 0 {
                created.append(current)
            } else if errno != EEXIST {
                throw FileSystemError()
            }
        }
    }

    func holdRoot() throws { _ = try heldRoot() }

    func removeRoot() {
        if rootDescriptor >= 0 { close(rootDescriptor) }
        rootDescriptor = -1
        for folder in created.reversed() where rmdir(folder) != 0 { break }
        created = []
    }

    private func heldRoot() throws -> Int32 {
        if rootDescriptor < 0 {
            rootDescriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard rootDescriptor >= 0 else { throw FileSystemError() }
        }
        return rootDescriptor
    }

    /// An open descriptor of folder `path` (components checked one by one); the caller closes it.
    private func openFolder(_ path: String) throws -> Int32 {
        var fd = dup(try heldRoot())
        guard fd >= 0 else { throw FileSystemError() }
        for part in path.split(separator: "/") {
            let next = openat(fd, String(part), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let code = errno
            close(fd)
            guard next >= 0 else { throw FileSystemError(code) }
            fd = next
        }
        return fd
    }

    /// The folder holding `path`, open, and the last component's name.
    private func withParent<T>(_ path: String, _ body: (Int32, String) throws -> T) throws -> T {
        let fd = try openFolder(FileWriter.parent(path))
        defer { close(fd) }
        return try body(fd, path.split(separator: "/").last.map(String.init) ?? path)
    }

    func kind(_ path: String) -> FileWriter.Kind {
        (try? withParent(path) { fd, name -> FileWriter.Kind in
            var info = stat()
            guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return .missing }
            return FileWriter.Kind(mode: info.st_mode)
        }) ?? .missing
    }

    func read(_ path: String, upTo limit: Int?) -> [UInt8]? {
        try? withParent(path) { parent, name -> [UInt8]? in
            let fd = openat(parent, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            guard fd >= 0 else { return nil }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0, FileWriter.Kind(mode: info.st_mode) == .file else { return nil }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while limit.map({ bytes.count < $0 }) ?? true {
                let want = min(buffer.count, (limit ?? Int.max) - bytes.count)
                let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, want) }
                if n < 0 { if errno == EINTR { continue }; return nil }
                if n == 0 { break }
                bytes += buffer[0..<n]
            }
            return bytes
        } ?? nil
    }

    func list(_ path: String) -> [String]? {
        guard let fd = try? openFolder(path), let stream = fdopendir(fd) else { return nil }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    func makeDirectory(_ path: String) throws {
        try withParent(path) { fd, name in
            guard mkdirat(fd, name, 0o755) == 0 else { throw FileSystemError() }
        }
    }

    func create(_ path: String, contents: [UInt8]) throws {
        try withParent(path) { parent, name in
            let fd = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw FileSystemError() }
            var failure: Int32? = nil
            contents.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        failure = errno
                        return
                    }
                    offset += n
                }
            }
            if failure == nil, fsync(fd) != 0 { failure = errno }
            if close(fd) != 0, failure == nil { failure = errno }
            if let failure {
                _ = unlinkat(parent, name, 0)
                throw FileSystemError(failure)
            }
        }
    }

    func link(_ existing: String, to new: String) throws {
        let from = try openFolder(FileWriter.parent(existing))
        defer { close(from) }
        let to = try openFolder(FileWriter.parent(new))
        defer { close(to) }
        guard linkat(from, lastName(existing), to, lastName(new), 0) == 0 else { throw FileSystemError() }
    }

    func rename(_ from: String, to: String) throws {
        let source = try openFolder(FileWriter.parent(from))
        defer { close(source) }
        let target = try openFolder(FileWriter.parent(to))
        defer { close(target) }
        guard renameat(source, lastName(from), target, lastName(to)) == 0 else { throw FileSystemError() }
    }

    func remove(_ path: String) throws {
        try withParent(path) { fd, name in
            guard unlinkat(fd, name, 0) == 0 else { throw FileSystemError() }
        }
    }

    func removeDirectory(_ path: String) throws {
        try withParent(path) { fd, name in
            guard unlinkat(fd, name, AT_REMOVEDIR) == 0 else { throw FileSystemError() }
        }
    }

    func sync(_ folder: String) {
        guard let fd = try? openFolder(folder) else { return }
        _ = fsync(fd)
        close(fd)
    }

    private func lastName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}

private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }

extension FileWriter.Kind {
    init(mode: mode_t) {
        switch mode & S_IFMT {
        case S_IFREG: self = .file
        case S_IFDIR: self = .directory
        case S_IFLNK: self = .symlink
        default: self = .other
        }
    }
}
