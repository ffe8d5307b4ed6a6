import CommandLineSupport
import FieldArithmetic
import PlonkVerifier

/// `zkverify --vk <key> --proof <proof> [--public expected.json] [--allow-dev-srs] [--json]`.
/// Exit 0: valid. Exit 1: invalid (the reason on stderr), or a key from a development SRS without
/// --allow-dev-srs. Exit 2: usage, unreadable or malformed key, proof or expected values.
enum VerifyCommand {
    static let allowDevOption = OptionSpec.flag("allow-dev-srs", "accept keys made from an INSECURE development SRS")

    static let command = Command(
        name: "zkverify", summary: "verify a ZKInfer proof against its verifying key",
        options: [
            .value("vk", "PATH", "verifying key file"),
            .value("proof", "PATH", "proof file"),
            .value("public", "PATH", "JSON with the expected public values, e.g. {\"public_values\": [[\"1\", \"-3\"]]}"),
            allowDevOption,
        ],
        discussion: """
            Also: zkverify batch <dir or list file> (many proofs, one merged check per SRS); \
            zkverify show <proof> [--vk PATH] (a proof file as JSON). Exit codes: 0 valid, 1 invalid, 2 malformed input or usage.
            """
    ) { invocation in
        guard invocation.positionals.isEmpty else {
            throw CommandFailure.usage("unexpected argument '\(invocation.positionals[0])' (commands: batch, show)")
        }
        let key = try Artifacts.key(try invocation.requiredValue("vk"))
        let proofPath = try invocation.requiredValue("proof")
        let file = try Artifacts.proof(proofPath)
        let publicValues = key.circuit.instanceLengths.reduce(0, +)
        let expected = try invocation.value("public").map { try ExpectedValues.load($0, publicValues: publicValues) }
        try Artifacts.requireTrusted(key, allowDevelopment: invocation.flag("allow-dev-srs"))
        let clock = ContinuousClock()
        let start = clock.now
        var failure: VerificationError? = nil
        do {
            try PlonkVerifier.verify(key: key, proof: file, expectedPublicValues: expected)
        } catch let error as VerificationError {
            failure = error
        }
        let seconds = (clock.now - start).seconds
        if invocation.wantsJSON {
            var members: [(String, JSONValue)] = [
                ("valid", .bool(failure == nil)), ("proof", .string(proofPath)),
                ("key_fingerprint", .string(key.fingerprintHex)), ("insecure_srs", .bool(key.srs.isInsecure)),
                ("proof_body_bytes", .int(file.body.count)), ("verify_seconds", .double(seconds)),
            ]
            if let failure { members.append(("reason", .string(failure.description))) }
            if failure == nil { members += OutputDisplay.outputJSON(key: key, publicValues: file.publicValues) }
            Console.out(JSONValue.object(members).rendered())
        } else if failure == nil {
            Console.out("valid: \(proofPath) (key \(key.fingerprintHex.prefix(16))…, \(formatSeconds(seconds)))")
            if key.srs.isInsecure { Console.out("WARNING: the key's SRS is an INSECURE development setup") }
            for line in OutputDisplay.outputLines(key: key, publicValues: file.publicValues) { Console.out(line) }
        }
        if let failure {
            throw failure.isMalformed
                ? CommandFailure.malformedInput(failure.description) : CommandFailure.rejected("invalid proof: \(failure)")
        }
    }
}
