#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read one line at a time through a fixed 64 KiB buffer, so that memory stays bounded whatever the
/// file's size (a JSON Lines file of a million inputs, a list of a million proof paths). A line longer than
/// `maximumLineBytes` is not kept: it is reported as `.tooLong` and its bytes are skipped up to the next
/// newline. Lines end at "\n"; a "\r" before it is dropped. Not thread-safe: one reader per thread (or a lock).
public final class LineReader {
    public enum Line: Equatable, Sendable {
        case text([UInt8])
        /// The line's length in bytes (more than the limit).
        case tooLong(bytes: Int)
    }

    public let path: String
    public let maximumLineBytes: Int
    /// 1-based number of the line `next()` returned last (0 before the first).
    public private(set) var lineNumber = 0

    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0, end = 0
    private var finished = false

    public init(path: String, maximumLineBytes: Int) throws {
        self.path = path
        self.maximumLineBytes = maximumLineBytes
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileSystem.Failure(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw FileSystem.Failure(path: path, reason: "not a regular file")
        }
    }

    deinit { close(fd) }

    /// The next line, or nil at the end of the file (a last line without "\n" still counts).
    public func next() throws -> Line? {
        var line: [UInt8] = []
        var length = 0
        var sawAny = false
        while true {
            if start == end {
                if finished { break }
                let n = buffer.withUnsafeMutableBytes { readBytes(fd, $0.baseAddress!, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileSystem.Failure(path: path, reason: String(cString: strerror(errno)))
                }
                if n == 0 { finished = true; break }
                start = 0
                end = n
            }
            sawAny = true
            var newline = start
            while newline < end, buffer[newline] != 0x0A { newline += 1 }
            let piece = newline - start
            if length + piece <= maximumLineBytes + 1 { line += buffer[start..<newline] }  // +1: a "\r" may follow
            length += piece
            if newline < end {
                start = newline + 1
                return finish(line, length: length)
            }
            start = end
        }
        guard sawAny else { return nil }
        return finish(line, length: length)
    }

    private func finish(_ line: [UInt8], length: Int) -> Line {
        lineNumber += 1
        var line = line, length = length
        if line.last == 0x0D, length == line.count { line.removeLast(); length -= 1 }
        return length > maximumLineBytes ? .tooLong(bytes: length) : .text(line)
    }
}

/// A line's text with surrounding blanks removed; nil when the line is blank.
public func trimmedLine(_ bytes: [UInt8]) -> String? {
    var lower = 0, upper = bytes.count
    while lower < upper, [0x20, 0x09, 0x0D].contains(bytes[lower]) { lower += 1 }
    while upper > lower, [0x20, 0x09, 0x0D].contains(bytes[upper - 1]) { upper -= 1 }
    return lower == upper ? nil : String(decoding: bytes[lower..<upper], as: UTF8.self)
}

private func readBytes(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
