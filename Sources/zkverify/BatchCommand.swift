import CommandLineSupport
import PlonkVerifier
import SystemSupport

/// `zkverify batch <dir or list file> [--vk PATH] [--batch-size N] [--trust-srs ID …] [--allow-dev-srs]
/// [--json]`: verifies many proofs — thousands — with bounded memory. Proofs are streamed from the folder
/// (names listed compactly, sorted; files read as they are needed) or the list file (read line by line) and
/// verified in merged batches of at most `--batch-size` proofs (one merged pairing check per SRS and batch,
/// docs/protocol.md §13.4); each batch's lines are printed before the next is read. One line (or JSON
/// object) per proof names the key fingerprint and model hash it was checked against; at the end a summary
/// counts valid / invalid / malformed proofs per key fingerprint.
///
/// Keys: with `--vk`, that key only — every proof must be made for it, and `*.vk` files beside the proofs
/// are ignored (a folder's keys are whatever its writer put there). Without `--vk`, every `*.vk` file found,
/// each proof matched to its key by the fingerprint in its header. Either way each key's SRS identity must be
/// trusted (docs/protocol.md §17), else its proofs are invalid. Exit 0 if all are valid, 1 if any is invalid
/// or malformed, 2 for usage errors or unreadable keys.
enum BatchCommand {
    static let command = Command(
        name: "zkverify batch", summary: "verify many proofs at once (merged checks, bounded memory, a summary per key)",
        arguments: "<directory or list file>",
        options: [
            .value("vk", "PATH", "pin the batch to this verifying key: *.vk files found are ignored, proofs for other keys are invalid"),
            .value("batch-size", "N", "proofs per merged check (default 256; memory grows with it)"),
        ] + SRSTrustPolicy.options,
        discussion: """
            A directory: every *.vk file is a key, every other regular file a proof except *.json (the prover's .output.json files, summary.json, expected values) and hidden files (in-progress writes of zkinfer prove-batch). A list file: one path per line (# comments), keys ending in .vk.
            Output: "valid: <proof> (key …, model …)" or "invalid: <proof> (…): <reason>" per proof; then on stderr "V of N valid" and, per key fingerprint, how many proofs were valid, invalid and malformed. With --json: one object per proof ({"proof", "valid", "status", "key_fingerprint", "model_sha256"[, "reason"]}) and a last line {"summary": …}.
            """,
        examples: [
            "zkverify batch proofs/ --vk out/vk.bin --trust-srs <identity from zkinfer params info>",
            "zkverify batch proofs/ --vk out/vk.bin --allow-dev-srs --json > results.jsonl",
        ]
    ) { invocation in
        let source = try invocation.positional(0, "directory or list file")
        let trust = try SRSTrustPolicy(invocation)
        let batchSize = try invocation.integer("batch-size", default: 256, in: 1...1_000_000)
        var proofs = try ProofSource(source)
        let pinned = invocation.value("vk")
        // A key file is read (exit 2 if malformed) before any proof; its trust is decided per proof.
        var keys: [[UInt8]: VerifyingKey] = [:]
        for path in try pinned.map({ [$0] }) ?? proofs.keyPaths() {
            let key = try Artifacts.key(path)
            keys[key.fingerprint] = key
        }
        var run = BatchRun(keys: keys, pinned: pinned != nil, trust: trust, json: invocation.wantsJSON)
        var pending: [BatchRun.Entry] = []
        var pendingBytes = 0
        while let path = try proofs.nextProof() {
            let entry = run.admit(path)
            pendingBytes += entry.item?.proof.body.count ?? 0
            pending.append(entry)
            if pending.count >= batchSize || pendingBytes >= BatchRun.maximumPendingBytes {
                try run.verifyAndPrint(pending)
                pending.removeAll(keepingCapacity: true)
                pendingBytes = 0
            }
        }
        try run.verifyAndPrint(pending)
        guard run.tally.total > 0 else { throw CommandFailure.usage("no proofs found in '\(source)'") }
        run.printSummary()
        let bad = run.tally.total - run.tally.valid
        if bad > 0 { throw CommandFailure.rejected("\(bad) invalid proof(s)") }
    }
}

/// Where the proofs come from: a directory (names listed once, compactly, in sorted order) or a list file
/// (streamed line by line; read twice, first for the keys).
struct ProofSource {
    let path: String
    let names: SortedNames?
    var position = 0
    var lines: LineReader?

    static let maximumLineBytes = 1 << 16

    init(_ path: String) throws {
        guard FileSystem.exists(path) else { throw CommandFailure.usage("'\(path)' does not exist") }
        self.path = path
        if FileSystem.isDirectory(path) {
            // `zkinfer prove -o dir/p.proof` writes dir/p.proof.output.json beside the proof: JSON is never a proof.
            do { names = try SortedNames(directory: path) { !$0.hasPrefix(".") && !$0.hasSuffix(".json") } } catch {
                throw CommandFailure.malformedInput("cannot list '\(path)': \(error)")
            }
        } else {
            names = nil
            lines = try Self.open(path)
        }
    }

    static func open(_ path: String) throws -> LineReader {
        do { return try LineReader(path: path, maximumLineBytes: maximumLineBytes) } catch {
            throw CommandFailure.malformedInput("cannot read list file '\(path)': \(error)")
        }
    }

    /// Every key path (`*.vk`) of the source.
    func keyPaths() throws -> [String] {
        if let names {
            return (0..<names.count).map { FileSystem.join(path, names[$0]) }.filter { $0.hasSuffix(".vk") && Self.isFile($0) }
        }
        var keys: [String] = []
        let reader = try Self.open(path)
        while let line = try Self.readLine(reader) { if line.hasSuffix(".vk") { keys.append(line) } }
        return keys
    }

    /// The next proof path, or nil at the end.
    mutating func nextProof() throws -> String? {
        if let names {
            while position < names.count {
                let file = FileSystem.join(path, names[position])
                position += 1
                if !file.hasSuffix(".vk") && Self.isFile(file) { return file }
            }
            return nil
        }
        guard let reader = lines else { return nil }
        while let line = try Self.readLine(reader) {
            if !line.hasSuffix(".vk") { return line }
        }
        return nil
    }

    /// The next non-blank, non-comment line, trimmed (nil at the end).
    static func readLine(_ reader: LineReader) throws -> String? {
        while true {
            let line: LineReader.Line?
            do { line = try reader.next() } catch { throw CommandFailure.malformedInput("reading list file: \(error)") }
            guard let line else { return nil }
            switch line {
            case .tooLong(let bytes):
                throw CommandFailure.malformedInput("\(reader.path):\(reader.lineNumber): a line of \(bytes) bytes is not a path")
            case .text(let bytes):
                if let text = trimmedLine(bytes), !text.hasPrefix("#") { return text }
            }
        }
    }

    static func isFile(_ path: String) -> Bool { FileSystem.exists(path) && !FileSystem.isDirectory(path) }
}
