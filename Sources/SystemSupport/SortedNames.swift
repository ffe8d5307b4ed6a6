#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The names in a directory that pass a filter, sorted bytewise, stored compactly: all names in one byte
/// buffer plus one offset each (about name length + 8 bytes per entry), so listing a folder of a million
/// inputs costs tens of megabytes, not a String object each. Only names are kept; files are read later,
/// one at a time, by whoever walks the list. The sort makes the order (and so `--shard`) deterministic.
public struct SortedNames: Sendable {
    private var bytes: [UInt8] = []
    /// Start of each name in `bytes`, in sorted order; a final entry marks the end.
    private var starts: [Int] = [0]

    public var count: Int { starts.count - 1 }

    public subscript(index: Int) -> String {
        String(decoding: bytes[starts[index]..<starts[index + 1]], as: UTF8.self)
    }

    /// Lists `directory` (without "." and ".."), keeping the names for which `keep` is true.
    public init(directory: String, keep: (String) -> Bool) throws {
        guard let dir = opendir(directory) else {
            throw FileSystem.Failure(path: directory, reason: String(cString: strerror(errno)))
        }
        defer { closedir(dir) }
        var unsortedBytes: [UInt8] = []
        var ranges: [(start: Int, end: Int)] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            guard name != ".", name != "..", keep(name) else { continue }
            let start = unsortedBytes.count
            unsortedBytes += name.utf8
            ranges.append((start, unsortedBytes.count))
        }
        ranges.sort { a, b in
            unsortedBytes.withUnsafeBufferPointer { p in
                let n = min(a.end - a.start, b.end - b.start)
                let c = memcmp(p.baseAddress! + a.start, p.baseAddress! + b.start, n)
                return c != 0 ? c < 0 : (a.end - a.start) < (b.end - b.start)
            }
        }
        bytes.reserveCapacity(unsortedBytes.count)
        starts.reserveCapacity(ranges.count + 1)
        for r in ranges {
            bytes += unsortedBytes[r.start..<r.end]
            starts.append(bytes.count)
        }
    }
}

extension FileSystem {
    /// Writes `bytes` to `path` atomically: into a hidden temporary file beside it (`.<name>.<tag>.tmp`),
    /// then renamed over `path`. A reader (or a rerun checking whether `path` exists) sees either no file or
    /// the whole file, never a partial one, even if the process is killed midway. `tag` must be unique among
    /// concurrent writers of the same path (e.g. process id and worker). Not synced to disk: atomic against
    /// the process dying, not against the machine losing power.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, tag: String) throws {
        let parent = directory(of: path)
        let temporary = join(parent, "." + lastComponent(of: path) + "." + tag + ".tmp")
        do {
            try write(bytes, to: temporary)
            guard rename(temporary, path) == 0 else { throw failure(path) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Removes a file; true when it existed and was removed.
    @discardableResult
    public static func remove(_ path: String) -> Bool { unlink(path) == 0 }

    /// This process's id (for temporary-file tags).
    public static var processID: Int { Int(getpid()) }
}
