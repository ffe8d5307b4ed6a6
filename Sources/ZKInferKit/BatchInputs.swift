import SystemSupport

/// `--shard i/N`: the inputs whose position p (0-based, in the source's order) has p mod N = i. Shards
/// 0…N−1 are disjoint and together cover every input; the share depends only on the source, so a rerun (or
/// a Slurm array task run again) takes the same inputs.
public struct Shard: Equatable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public static let whole = Shard(uncheckedIndex: 0, count: 1)

    private init(uncheckedIndex: Int, count: Int) {
        self.index = uncheckedIndex
        self.count = count
    }

    /// "i/N" with 0 ≤ i < N ≤ 1,000,000; nil otherwise.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 1_000_000, i >= 0, i < n else {
            return nil
        }
        self.init(uncheckedIndex: i, count: n)
    }

    public func contains(position: Int) -> Bool { position % count == index }

    public var description: String { "\(index)/\(count)" }
}

/// One input of a batch: its name (its proof is `<name>.proof`), where it came from, and its bytes.
public struct BatchInput: Sendable {
    public enum Content: Sendable {
        /// A file of the input folder, read by the worker that proves it (so reading is parallel, and only
        /// inputs being proved are in memory).
        case file(path: String)
        /// A line of a JSON Lines file.
        case bytes([UInt8])
        /// Why the input could not be read (e.g. a line over the size limit).
        case unreadable(String)
    }

    public let name: String
    /// The file, or "file.jsonl:<line>".
    public let source: String
    public let content: Content

    /// The input's bytes, or why they could not be read.
    public func load() -> Result<[UInt8], BatchInputError> {
        switch content {
        case .bytes(let b): return .success(b)
        case .unreadable(let reason): return .failure(BatchInputError(reason: reason))
        case .file(let path):
            do { return .success(try FileSystem.read(path, limit: BatchInputStream.maximumInputBytes)) } catch let error as FileSystem.Failure {
                return .failure(BatchInputError(reason: "cannot read: \(error.reason)"))
            } catch {
                return .failure(BatchInputError(reason: "cannot read: \(error)"))
            }
        }
    }
}

public struct BatchInputError: Error, CustomStringConvertible, Sendable {
    public let reason: String
    public var description: String { reason }
}

/// The inputs of `zkinfer prove-batch`, one at a time: a folder's `*.json` files (sorted by name; hidden
/// files skipped) or the non-blank lines of a JSON Lines file, restricted to one shard. Memory stays bounded
/// by the number of inputs in flight: a folder's names are listed compactly (`SortedNames`), a JSON Lines
/// file is read line by line, and no input's bytes are read before a worker takes it.
///
/// Names: `x01.json` → `x01`; line L of `batch.jsonl` → `batch-00000L` (six digits at least), so that
/// proofs sort as their inputs do. Not thread-safe: callers share one stream under a lock.
public final class BatchInputStream {
    /// Per input (a file, or a line): above this an input is reported as unreadable, not loaded.
    public static let maximumInputBytes = 1 << 26

    public enum Source: Sendable {
        case folder(String)
        case jsonLines(String)
    }

    public let source: Source
    public let shard: Shard
    private var folder: (path: String, names: SortedNames, next: Int)?
    private var lines: (reader: LineReader, stem: String, position: Int)?

    /// Opens a folder or a JSON Lines file. Errors: the path does not exist, is neither, cannot be listed.
    public init(path: String, shard: Shard) throws {
        self.shard = shard
        guard FileSystem.exists(path) else { throw BatchInputError(reason: "'\(path)' does not exist") }
        if FileSystem.isDirectory(path) {
            source = .folder(path)
            let names: SortedNames
            do {
                names = try SortedNames(directory: path) { $0.hasSuffix(".json") && !$0.hasPrefix(".") && $0.count > 5 }
            } catch let error as FileSystem.Failure {
                throw BatchInputError(reason: "cannot list '\(path)': \(error.reason)")
            }
            folder = (path, names, shard.index)
        } else {
            if path.hasSuffix(".json") {
                throw BatchInputError(reason: "'\(path)' is one input file; --inputs takes a folder of *.json files or a JSON Lines file (one input per line)")
            }
            source = .jsonLines(path)
            do {
                lines = (try LineReader(path: path, maximumLineBytes: Self.maximumInputBytes), Self.stem(of: path), 0)
            } catch let error as FileSystem.Failure {
                throw BatchInputError(reason: "cannot read '\(path)': \(error.reason)")
            }
        }
    }

    /// The number of inputs in this shard: known at once for a folder; for a JSON Lines file this reads the
    /// file once more (for a progress display's ETA).
    public func countInShard() throws -> Int {
        if let folder { return folder.names.count > shard.index ? (folder.names.count - shard.index + shard.count - 1) / shard.count : 0 }
        guard case .jsonLines(let path) = source else { return 0 }
        let reader = try LineReader(path: path, maximumLineBytes: Self.maximumInputBytes)
        var position = 0, count = 0
        while let line = try reader.next() {
            if case .text(let bytes) = line, trimmedLine(bytes) == nil { continue }
            if shard.contains(position: position) { count += 1 }
            position += 1
        }
        return count
    }

    /// The next input of this shard, or nil at the end. Throws only when the JSON Lines file itself cannot
    /// be read further (an I/O error).
    public func next() throws -> BatchInput? {
        if var f = folder {
            guard f.next < f.names.count else { return nil }
            let file = f.names[f.next]
            f.next += shard.count
            folder = f
            let path = FileSystem.join(f.path, file)
            return BatchInput(name: String(file.dropLast(5)), source: path, content: .file(path: path))
        }
        guard var l = lines else { return nil }
        defer { lines = l }
        while let line = try l.reader.next() {
            let number = l.reader.lineNumber
            let content: BatchInput.Content
            switch line {
            case .text(let bytes):
                if trimmedLine(bytes) == nil { continue }  // blank lines are not inputs
                content = .bytes(bytes)
            case .tooLong(let count):
                content = .unreadable("the line has \(count) bytes; an input may have at most \(Self.maximumInputBytes)")
            }
            let position = l.position
            l.position += 1
            guard shard.contains(position: position) else { continue }
            return BatchInput(name: Self.lineName(stem: l.stem, line: number), source: "\(l.reader.path):\(number)", content: content)
        }
        return nil
    }

    static func lineName(stem: String, line: Int) -> String {
        let digits = String(line)
        return stem + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// `inputs.jsonl` → `inputs`.
    static func stem(of path: String) -> String {
        let name = FileSystem.lastComponent(of: path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }
}
