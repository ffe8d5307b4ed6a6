import CommandLineSupport
import PlonkVerifier
import SystemSupport

/// `zkverify batch <dir or list file> [--vk PATH] [--allow-dev-srs] [--json]`: verifies many proofs with
/// one merged pairing check per SRS (docs/protocol.md §13.4) and prints one line (or JSON object) per
/// proof. Keys: `*.vk` files in the directory or list, plus `--vk`; each proof is matched to its key by
/// the fingerprint in its header. Exit 0 if all are valid, 1 if any is invalid, 2 for usage errors or
/// unreadable keys.
enum BatchCommand {
    static let command = Command(
        name: "zkverify batch", summary: "verify many proofs at once (one merged check per SRS)",
        arguments: "<directory or list file>",
        options: [.value("vk", "PATH", "a verifying key (in addition to *.vk files found)"), VerifyCommand.allowDevOption],
        discussion: "A directory: every *.vk file is a key, every other regular file a proof except *.json (the prover's .output.json files, expected values) and hidden files. A list file: one path per line, keys ending in .vk."
    ) { invocation in
        let source = try invocation.positional(0, "directory or list file")
        var (keyPaths, proofPaths) = try collect(source)
        if let extra = invocation.value("vk") { keyPaths.append(extra) }
        var keys: [[UInt8]: VerifyingKey] = [:]
        for path in keyPaths {
            let key = try Artifacts.key(path)
            try Artifacts.requireTrusted(key, allowDevelopment: invocation.flag("allow-dev-srs"))
            keys[key.fingerprint] = key
        }
        guard !proofPaths.isEmpty else { throw CommandFailure.usage("no proofs found in '\(source)'") }

        // Proofs that cannot be read or have no key are reported without entering the batch.
        var outcomes = [String?](repeating: nil, count: proofPaths.count)
        var items: [PlonkVerifier.BatchItem] = []
        var itemIndex: [Int] = []
        for (i, path) in proofPaths.enumerated() {
            do {
                let file = try Artifacts.proof(path)
                guard let key = keys[file.keyFingerprint] else {
                    outcomes[i] = "no verifying key with this proof's fingerprint"
                    continue
                }
                items.append(.init(key: key, proof: file))
                itemIndex.append(i)
            } catch let failure as CommandFailure {
                outcomes[i] = failure.message
            }
        }
        let clock = ContinuousClock()
        let start = clock.now
        let result = try PlonkVerifier.batchVerify(items)
        let seconds = (clock.now - start).seconds
        for (k, outcome) in result.outcomes.enumerated() { outcomes[itemIndex[k]] = outcome?.description }

        let invalid = outcomes.filter { $0 != nil }.count
        for (path, outcome) in zip(proofPaths, outcomes) {
            if invocation.wantsJSON {
                var members: [(String, JSONValue)] = [("proof", .string(path)), ("valid", .bool(outcome == nil))]
                if let outcome { members.append(("reason", .string(outcome))) }
                Console.out(JSONValue.object(members).rendered())
            } else {
                Console.out(outcome.map { "invalid: \(path): \($0)" } ?? "valid: \(path)")
            }
        }
        Console.err("\(proofPaths.count - invalid) of \(proofPaths.count) valid; \(result.pairingChecks) pairing check(s), \(formatSeconds(seconds))")
        if invalid > 0 { throw CommandFailure.rejected("\(invalid) invalid proof(s)") }
    }

    static func collect(_ source: String) throws -> (keys: [String], proofs: [String]) {
        guard FileSystem.exists(source) else { throw CommandFailure.usage("'\(source)' does not exist") }
        let sourceIsDirectory = FileSystem.isDirectory(source)
        var paths: [String]
        if sourceIsDirectory {
            let names = (try? FileSystem.list(source)) ?? []
            // `zkinfer prove -o dir/p.proof` writes dir/p.proof.output.json beside the proof: JSON is never a proof.
            paths = names.sorted().map { source + "/" + $0 }.filter { path in
                let name = FileSystem.lastComponent(of: path)
                return FileSystem.exists(path) && !FileSystem.isDirectory(path) && !name.hasPrefix(".") && !name.hasSuffix(".json")
            }
        } else {
            let text = String(decoding: try Artifacts.read(source, what: "list file"), as: UTF8.self)
            paths = text.split(whereSeparator: \.isNewline).map { line in
                String(line.drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
            }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        return (paths.filter { $0.hasSuffix(".vk") }, paths.filter { !$0.hasSuffix(".vk") })
    }
}
