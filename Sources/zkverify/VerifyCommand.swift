import CommandLineSupport
import FieldArithmetic
import ModelMetadata
import PlonkVerifier

/// `zkverify --vk <key> --proof <proof> [--public expected.json] [--input input.json] [--trust-srs ID …]
/// [--allow-dev-srs] [--json]`.
/// Exit 0: valid (and, with --input, its public inputs are the file's). Exit 1: invalid (the reason on
/// stderr), an input that differs from the file, or a key whose SRS identity is not trusted
/// (docs/protocol.md §17) without --allow-dev-srs. Exit 2: usage, unreadable or malformed key, proof,
/// expected values or input file.
enum VerifyCommand {
    static let command = Command(
        name: "zkverify", summary: "verify a ZKInfer proof against its verifying key",
        options: [
            .value("vk", "PATH", "verifying key file"),
            .value("proof", "PATH", "proof file"),
            .value("public", "PATH", "JSON with the expected public values, e.g. {\"public_values\": [[\"1\", \"-3\"]]}"),
            .value("input", "PATH", "the model input the proof must be of (any format zkinfer prove accepts), quantized with the key's settings"),
        ] + SRSTrustPolicy.options,
        discussion: """
            A key is accepted only if its SRS identity (a hash of the [1]1, [1]2, [tau]2 it holds) is trusted: a built-in \
            ceremony (Hermez powers of tau, Perpetual Powers of Tau as EZKL and Axiom serve it), --trust-srs, or the \
            trusted-srs file. The key's origin label is never trusted. Pin what a proof means with \
            `zkinfer verify-key vk.bin --model model.onnx --params srs` (the key is this model's), --trust-srs and \
            --input (every public input must equal the file's value quantized with the key's settings: the first \
            difference is named, exit 1; a key whose input is private cannot be pinned, exit 2).
            Also: zkverify batch <dir or list file> [--vk PATH] (many proofs, one merged check per SRS); \
            zkverify show <proof> [--vk PATH] (a proof file as JSON). Exit codes: 0 valid, 1 invalid, untrusted or another input, 2 malformed input or usage.
            """,
        examples: [
            "zkverify --vk out/vk.bin --proof out/proof.bin --input input.json --trust-srs <64 hex digits from zkinfer params info>",
            "zkverify --vk out/vk.bin --proof out/proof.bin --allow-dev-srs --json",
        ]
    ) { invocation in
        guard invocation.positionals.isEmpty else {
            throw CommandFailure.usage("unexpected argument '\(invocation.positionals[0])' (commands: batch, show)")
        }
        let key = try Artifacts.key(try invocation.requiredValue("vk"))
        let proofPath = try invocation.requiredValue("proof")
        let file = try Artifacts.proof(proofPath)
        let publicValues = key.circuit.instanceLengths.reduce(0, +)
        let expected = try invocation.value("public").map { try ExpectedValues.load($0, publicValues: publicValues) }
        let pin = try invocation.value("input").map { try InputPin.load($0, key: key) }
        let trust = try SRSTrustPolicy(invocation).check(key)
        let clock = ContinuousClock()
        let start = clock.now
        var failure: VerificationError? = nil
        do {
            try PlonkVerifier.verify(key: key, proof: file, expectedPublicValues: expected)
        } catch let error as VerificationError {
            failure = error
        }
        let seconds = (clock.now - start).seconds
        // A valid proof of another input: a well-formed "no", named by its first differing value.
        let mismatch = failure == nil ? pin?.firstMismatch(file.publicValues) : nil
        if invocation.wantsJSON {
            var members: [(String, JSONValue)] = [
                ("valid", .bool(failure == nil)), ("proof", .string(proofPath)),
                ("key_fingerprint", .string(key.fingerprintHex)), ("model_sha256", Self.modelHash(key).map(JSONValue.string) ?? .null),
                ("srs_identity", .string(key.srs.identity.hexEncoded)), ("srs_trusted", .bool(trust != nil)),
                ("srs_trust", trust.map(JSONValue.string) ?? .null), ("insecure_srs", .bool(key.srs.isInsecure)),
                ("proof_body_bytes", .int(file.body.count)), ("verify_seconds", .double(seconds)),
                ("private_weights", .bool(key.circuit.privateWeights != nil)),
            ]
            if let failure { members.append(("reason", .string(failure.description))) }
            if failure == nil {
                members += OutputDisplay.outputJSON(key: key, publicValues: file.publicValues)
                if let pin {
                    members.append(("input_file", .string(pin.path)))
                    members.append(("input_matches", .bool(mismatch == nil)))
                    if let mismatch { members.append(("input_mismatch", .string(mismatch))) }
                }
            }
            Console.out(JSONValue.object(members).rendered())
        } else if failure == nil {
            Console.out("valid: \(proofPath) (key \(key.fingerprintHex.prefix(16))…, \(formatSeconds(seconds)))")
            if key.circuit.privateWeights != nil {
                Console.out("weights: private (hiding commitments; the key's model hash is salted: docs/protocol.md §19.10)")
            }
            if let trust {
                Console.out("SRS identity \(key.srs.identity.hexEncoded): trusted (\(trust))")
            } else {
                Console.out("WARNING: SRS identity \(key.srs.identity.hexEncoded) is NOT trusted (accepted by --allow-dev-srs): this proof proves nothing against whoever knows its tau")
            }
            for line in OutputDisplay.outputLines(key: key, publicValues: file.publicValues) { Console.out(line) }
            if let pin, mismatch == nil { for line in pin.matchLines { Console.out(line) } }
        }
        if let failure {
            throw failure.isMalformed
                ? CommandFailure.malformedInput(failure.description) : CommandFailure.rejected("invalid proof: \(failure)")
        }
        if let mismatch { throw CommandFailure.rejected("the proof is valid but not of this input: \(mismatch)") }
    }

    static func modelHash(_ key: VerifyingKey) -> String? { ModelDescription(key.metadata)?.modelSHA256 }
}
