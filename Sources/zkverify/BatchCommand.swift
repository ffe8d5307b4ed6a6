import CommandLineSupport
import PlonkVerifier
import SystemSupport

/// `zkverify batch <dir or list file> [--vk PATH] [--trust-srs ID …] [--allow-dev-srs] [--json]`: verifies
/// many proofs with one merged pairing check per SRS (docs/protocol.md §13.4) and prints one line (or JSON
/// object) per proof, with the key fingerprint and model hash the proof was checked against.
///
/// Keys: with `--vk`, that key only — every proof must be made for it, and `*.vk` files beside the proofs
/// are ignored (a folder's keys are whatever its writer put there). Without `--vk`, every `*.vk` file found,
/// each proof matched to its key by the fingerprint in its header. Either way each key's SRS identity must be
/// trusted (docs/protocol.md §17), else its proofs are invalid. Exit 0 if all are valid, 1 if any is invalid,
/// 2 for usage errors or unreadable keys.
enum BatchCommand {
    static let command = Command(
        name: "zkverify batch", summary: "verify many proofs at once (one merged check per SRS)",
        arguments: "<directory or list file>",
        options: [.value("vk", "PATH", "pin the batch to this verifying key: *.vk files found are ignored, proofs for other keys are invalid")]
            + SRSTrustPolicy.options,
        discussion: """
            A directory: every *.vk file is a key, every other regular file a proof except *.json (the prover's .output.json files, expected values) and hidden files. A list file: one path per line, keys ending in .vk.
            Example: zkverify batch proofs/ --vk model.vk --trust-srs <identity>
            """
    ) { invocation in
        let source = try invocation.positional(0, "directory or list file")
        let trust = try SRSTrustPolicy(invocation)
        let (foundKeys, proofPaths) = try collect(source)
        let pinned = invocation.value("vk")
        // A key file is read (exit 2 if malformed) before any proof; its trust is decided per proof.
        var keys: [[UInt8]: VerifyingKey] = [:]
        for path in pinned.map({ [$0] }) ?? foundKeys {
            let key = try Artifacts.key(path)
            keys[key.fingerprint] = key
        }
        guard !proofPaths.isEmpty else { throw CommandFailure.usage("no proofs found in '\(source)'") }
        var untrustedReported: Set<[UInt8]> = []

        // Proofs that cannot be read, have no (trusted) key, are reported without entering the batch.
        var outcomes = [String?](repeating: nil, count: proofPaths.count)
        var proofKeys = [(fingerprint: String, model: String?)](repeating: ("unknown", nil), count: proofPaths.count)
        var items: [PlonkVerifier.BatchItem] = []
        var itemIndex: [Int] = []
        for (i, path) in proofPaths.enumerated() {
            do {
                let file = try Artifacts.proof(path)
                proofKeys[i] = (file.keyFingerprint.hexEncoded, nil)
                guard let key = keys[file.keyFingerprint] else {
                    outcomes[i] = pinned != nil
                        ? "not made for the pinned key (the proof names key \(file.keyFingerprint.hexEncoded.prefix(16))…)"
                        : "no verifying key with this proof's fingerprint"
                    continue
                }
                proofKeys[i].model = VerifyCommand.modelHash(key)
                if trust.list.source(of: key.srs.identity) == nil {
                    guard trust.allowUntrusted else {
                        if untrustedReported.insert(key.fingerprint).inserted { Console.err(trust.refusal(key)) }
                        outcomes[i] = "the key's SRS identity \(key.srs.identity.hexEncoded.prefix(16))… is not trusted"
                        continue
                    }
                    if untrustedReported.insert(key.fingerprint).inserted { Console.err(trust.warning(key)) }
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
        for (i, path) in proofPaths.enumerated() {
            let outcome = outcomes[i], key = proofKeys[i]
            if invocation.wantsJSON {
                var members: [(String, JSONValue)] = [
                    ("proof", .string(path)), ("valid", .bool(outcome == nil)),
                    ("key_fingerprint", key.fingerprint == "unknown" ? .null : .string(key.fingerprint)),
                    ("model_sha256", key.model.map(JSONValue.string) ?? .null),
                ]
                if let outcome { members.append(("reason", .string(outcome))) }
                Console.out(JSONValue.object(members).rendered())
            } else {
                let fingerprint = key.fingerprint == "unknown" ? "unknown" : key.fingerprint.prefix(16) + "…"
                let what = "key \(fingerprint), model \(key.model.map { "sha256 " + $0 } ?? "unknown")"
                Console.out(outcome.map { "invalid: \(path) (\(what)): \($0)" } ?? "valid: \(path) (\(what))")
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
