import CommandLineSupport
import PlonkVerifier
import SystemSupport

/// The state of one `zkverify batch` run: the keys, the trust policy, and the running tally. Proofs are
/// admitted one at a time (read, decoded, matched to a trusted key), verified a bounded batch at a time,
/// and forgotten once their line is printed: only the tally (a few counters per key) grows with the run.
struct BatchRun {
    /// A batch is verified early once its proofs hold this many bytes, whatever `--batch-size` says.
    static let maximumPendingBytes = 1 << 28
    /// A file above this size is not read (reported as malformed).
    static let maximumProofFileBytes = 1 << 30

    enum Status: String { case valid, invalid, malformed }

    struct Entry {
        let path: String
        var fingerprint: String?
        var model: String?
        /// Set when the proof was rejected before verification (or after, from the batch's outcome).
        var rejection: (status: Status, reason: String)?
        var item: PlonkVerifier.BatchItem?
    }

    struct Counts { var valid = 0, invalid = 0, malformed = 0; var model: String? }

    struct Tally {
        var total = 0, valid = 0, invalid = 0, malformed = 0
        var pairingChecks = 0, seconds = 0.0
        /// Per key fingerprint (hex; "unknown" for proofs that could not be read), in first-seen order.
        var keyOrder: [String] = []
        var perKey: [String: Counts] = [:]

        mutating func count(_ status: Status, fingerprint: String?, model: String?) {
            total += 1
            let key = fingerprint ?? "unknown"
            if perKey[key] == nil { keyOrder.append(key); perKey[key] = Counts(model: model) }
            switch status {
            case .valid: valid += 1; perKey[key]!.valid += 1
            case .invalid: invalid += 1; perKey[key]!.invalid += 1
            case .malformed: malformed += 1; perKey[key]!.malformed += 1
            }
        }
    }

    let keys: [[UInt8]: VerifyingKey]
    let pinned: Bool
    let trust: SRSTrustPolicy
    let json: Bool
    var tally = Tally()
    private var untrustedReported: Set<[UInt8]> = []

    init(keys: [[UInt8]: VerifyingKey], pinned: Bool, trust: SRSTrustPolicy, json: Bool) {
        self.keys = keys
        self.pinned = pinned
        self.trust = trust
        self.json = json
    }

    /// Reads and decodes one proof and finds its trusted key; a proof that cannot enter the batch carries
    /// its rejection.
    mutating func admit(_ path: String) -> Entry {
        var entry = Entry(path: path)
        let bytes: [UInt8]
        do { bytes = try FileSystem.read(path, limit: Self.maximumProofFileBytes) } catch let error as FileSystem.Failure {
            entry.rejection = (.malformed, "cannot read proof '\(path)': \(error.reason)")
            return entry
        } catch {
            entry.rejection = (.malformed, "cannot read proof '\(path)': \(error)")
            return entry
        }
        let file: ProofFile
        do { file = try ProofFile.decode(bytes) } catch {
            entry.rejection = (.malformed, "\(path): \(error)")
            return entry
        }
        entry.fingerprint = file.keyFingerprint.hexEncoded
        guard let key = keys[file.keyFingerprint] else {
            entry.rejection = (.invalid, pinned
                ? "not made for the pinned key (the proof names key \(file.keyFingerprint.hexEncoded.prefix(16))…)"
                : "no verifying key with this proof's fingerprint")
            return entry
        }
        entry.model = VerifyCommand.modelHash(key)
        if trust.list.source(of: key.srs.identity) == nil {
            guard trust.allowUntrusted else {
                if untrustedReported.insert(key.fingerprint).inserted { Console.err(trust.refusal(key)) }
                entry.rejection = (.invalid, "the key's SRS identity \(key.srs.identity.hexEncoded.prefix(16))… is not trusted")
                return entry
            }
            if untrustedReported.insert(key.fingerprint).inserted { Console.err(trust.warning(key)) }
        }
        entry.item = .init(key: key, proof: file)
        return entry
    }

    /// Verifies the admitted proofs of `entries` in one merged batch and prints every entry's line.
    mutating func verifyAndPrint(_ entries: [Entry]) throws {
        guard !entries.isEmpty else { return }
        var entries = entries
        let batch = entries.indices.filter { entries[$0].item != nil }
        if !batch.isEmpty {
            let clock = ContinuousClock()
            let start = clock.now
            let result = try PlonkVerifier.batchVerify(batch.map { entries[$0].item! })
            tally.seconds += (clock.now - start).seconds
            tally.pairingChecks += result.pairingChecks
            for (k, outcome) in result.outcomes.enumerated() {
                if let outcome { entries[batch[k]].rejection = (outcome.isMalformed ? .malformed : .invalid, outcome.description) }
            }
        }
        for entry in entries { print(entry) }
    }

    private mutating func print(_ entry: Entry) {
        let status = entry.rejection?.status ?? .valid
        tally.count(status, fingerprint: entry.fingerprint, model: entry.model)
        if json {
            var members: [(String, JSONValue)] = [
                ("proof", .string(entry.path)), ("valid", .bool(status == .valid)), ("status", .string(status.rawValue)),
                ("key_fingerprint", entry.fingerprint.map(JSONValue.string) ?? .null),
                ("model_sha256", entry.model.map(JSONValue.string) ?? .null),
            ]
            if let rejection = entry.rejection { members.append(("reason", .string(rejection.reason))) }
            Console.out(JSONValue.object(members).rendered())
        } else {
            let fingerprint = entry.fingerprint.map { $0.prefix(16) + "…" } ?? "unknown"
            let what = "key \(fingerprint), model \(entry.model.map { "sha256 " + $0 } ?? "unknown")"
            Console.out(entry.rejection.map { "invalid: \(entry.path) (\(what)): \($0.reason)" } ?? "valid: \(entry.path) (\(what))")
        }
    }

    /// "V of N valid" and a line per key on stderr; with --json also a last `{"summary": …}` line on stdout.
    func printSummary() {
        let t = tally
        Console.err("\(t.valid) of \(t.total) valid (\(t.invalid) invalid, \(t.malformed) malformed); \(t.pairingChecks) pairing check(s), \(formatSeconds(t.seconds))")
        for key in t.keyOrder {
            let c = t.perKey[key]!
            let name = key == "unknown" ? "unreadable proofs (no key)" : "key \(key)"
            Console.err("  \(name): \(c.valid) valid, \(c.invalid) invalid, \(c.malformed) malformed\(c.model.map { " (model sha256 \($0))" } ?? "")")
        }
        guard json else { return }
        Console.out(JSONValue.object([("summary", .object([
            ("proofs", .int(t.total)), ("valid", .int(t.valid)), ("invalid", .int(t.invalid)), ("malformed", .int(t.malformed)),
            ("pairing_checks", .int(t.pairingChecks)), ("verify_seconds", .double(t.seconds)),
            ("keys", .array(t.keyOrder.map { key in
                let c = t.perKey[key]!
                return .object([
                    ("key_fingerprint", key == "unknown" ? .null : .string(key)), ("model_sha256", c.model.map(JSONValue.string) ?? .null),
                    ("valid", .int(c.valid)), ("invalid", .int(c.invalid)), ("malformed", .int(c.malformed)),
                ])
            })),
        ]))]).rendered())
    }
}
