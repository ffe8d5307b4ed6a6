import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and writes, directories and the environment through the C library: the tools link no
/// Foundation at all (FoundationEssentials alone costs ~1 ms of start-up and ~3.7 MB of resident memory,
/// a tenth of a small proof's budget).
public enum FileSystem {
    public struct Failure: Error, CustomStringConvertible, Equatable, Sendable {
        public let path: String
        public let reason: String
        public var description: String { "'\(path)': \(reason)" }
    }

    static func failure(_ path: String) -> Failure { Failure(path: path, reason: String(cString: strerror(errno))) }

    /// The file's bytes; refuses anything but a regular file, and files larger than `limit` (by their size
    /// before reading, and by what reading returns: /proc files report size 0).
    public static func read(_ path: String, limit: Int = Int.max) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(path) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw Failure(path: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        guard size <= limit else { throw Failure(path: path, reason: "\(size) bytes; the limit is \(limit)") }
        // One read past the reported size detects growth and EOF alike.
        // Uninitialized: the read fills it (zeroing a 45 MB proving key first cost a pass over it).
        var bytes = [UInt8](unsafeUninitializedCapacity: max(size, 4096) + 1) { _, count in count = max(size, 4096) + 1 }
        var done = parallelPrefix(fd, into: &bytes, size: size)
        while true {
            if done == bytes.count {
                guard bytes.count <= limit else { throw Failure(path: path, reason: "more than \(limit) bytes") }
                bytes += [UInt8](repeating: 0, count: bytes.count)
            }
            let n = bytes.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw failure(path) }
            if n == 0 { break }
            done += n
        }
        guard done <= limit else { throw Failure(path: path, reason: "more than \(limit) bytes") }
        bytes.removeSubrange(done...)
        return bytes
    }

    /// Large files' first `size` bytes in chunks read concurrently (pread): one read(2) copies out of the page
    /// cache on one core, 34 ms of a 1.5 s proof for a 57 MB proving key. Returns how many bytes it read: `size`,
    /// or 0 (nothing trusted) when a chunk failed or came back short, and the serial loop then reads it all.
    static func parallelPrefix(_ fd: Int32, into bytes: inout [UInt8], size: Int) -> Int {
        let chunkBytes = 8 << 20
        let chunks = size / chunkBytes
        guard chunks >= 2 else { return 0 }
        var complete = [Bool](repeating: false, count: chunks)
        bytes.withUnsafeMutableBytes { buffer in
            complete.withUnsafeMutableBufferPointer { complete in
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    var offset = c * chunkBytes
                    let end = c + 1 == chunks ? size : offset + chunkBytes
                    while offset < end {
                        let n = pread(fd, buffer.baseAddress! + offset, end - offset, off_t(offset))
                        if n < 0 && errno == EINTR { continue }
                        if n <= 0 { return }
                        offset += n
                    }
                    complete[c] = true
                }
            }
        }
        guard complete.allSatisfy({ $0 }), lseek(fd, off_t(size), SEEK_SET) == off_t(size) else {
            _ = lseek(fd, 0, SEEK_SET)
            return 0
        }
        return size
    }

    /// Writes `bytes` to `path` (replacing it), creating missing parent directories.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let parent = directory(of: path)
        if !parent.isEmpty && !isDirectory(parent) { try createDirectory(parent) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure(path) }
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let error = failure(path)
                close(fd)
                throw error
            }
            done += n
        }
        guard close(fd) == 0 else { throw failure(path) }
    }

    /// `mkdir -p`.
    public static func createDirectory(_ path: String) throws {
        if path.isEmpty || isDirectory(path) { return }
        let parent = directory(of: path)
        if !parent.isEmpty && parent != path { try createDirectory(parent) }
        guard mkdir(path, 0o755) == 0 || (errno == EEXIST && isDirectory(path)) else { throw failure(path) }
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// Names in a directory (without "." and ".."), unsorted.
    public static func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw failure(path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The directory part of a path ("" for a bare file name, "/" for a file in the root).
    public static func directory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.last == "/" { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return String(trimmed[..<slash])
    }

    /// The last component of a path (trailing slashes ignored).
    public static func lastComponent(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.last == "/" { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/"), trimmed.count > 1 else { return String(trimmed) }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// `directory`/`name`, without doubling a slash.
    public static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// An environment variable.
    public static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

// The C calls under other names: inside `FileSystem`, `read` and `write` are its own methods.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }

extension FileSystem {
    /// The absolute path with every symlink, `.` and `..` resolved (realpath(3)), nil when it does not exist.
    public static func resolvedPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
