import CircuitCompiler
import CommandLineSupport
import CryptoPrimitives
import KZG
import ModelMetadata
import PlonkProver
import PlonkVerifier
import SystemSupport
import ZKInferKit

/// `zkinfer verify-key vk.bin --model model.onnx --params srs [compile flags | --circuit circuit.zkc]`: is this
/// key the one `compile` + `setup` make from this ONNX file and this SRS? (docs/protocol.md §17.)
///
/// The key's model hash, weights and circuit are claims of whoever made it; this rebuilds the key from the
/// model and a validated SRS and compares. Key generation is deterministic (`KeyGeneration`), so the same
/// model, settings, layout and SRS give byte-identical keys. Exit 0: the key matches; 1: it does not (the
/// first differing field is named); 2: unreadable or malformed input, or an SRS that fails validation.
enum VerifyKeyCommand {
    static let command = Command(
        name: "verify-key", summary: "check that a verifying key is the one made from a model and an SRS",
        arguments: "<vk.bin>",
        options: [
            .value("model", "model.onnx", "the ONNX model the key claims to be made from"),
            .value("params", "PATH", "the SRS file the key was made from (validated before use)"),
            .value("circuit", "circuit.zkc", "use the layout and settings recorded in this circuit file (its model must be --model)"),
            .value(
                "weights-blinding", "PATH",
                "a private-weights key: the secret weights-blinding.bin `setup --private-weights` wrote (the key cannot be rebuilt without it)"),
        ] + CompilerCommandSupport.options,
        discussion: """
            Give the same settings and layout flags as `zkinfer compile` was given (or none, for the defaults), or \
            --circuit with the circuit file that `zkinfer setup` used: it records the layout the compiler chose.
            Then `zkverify --trust-srs <identity>` pins the SRS (zkverify --help). A key made with \
            `setup --private-weights` hides its weights behind blinded commitments: only the holder of its \
            weights-blinding.bin can rebuild and compare it (docs/protocol.md §19.10).
            """,
        examples: ["zkinfer verify-key out/vk.bin --model circuits/mlp_tiny/model.onnx --params params/dev-k8.srs",
                   "zkinfer verify-key out/vk.bin --model model.onnx --params params/dev-k9.srs --circuit out/circuit.zkc"]
    ) { invocation in
        let progress = TerminalProgress.install(for: invocation)
        defer { progress?.finish() }
        let keyPath = try invocation.positional(0, "vk.bin")
        let modelPath = try invocation.requiredValue("model")
        let paramsPath = try invocation.requiredValue("params")
        let key: VerifyingKey
        do { key = try VerifyingKey.decode(try Files.read(keyPath, what: "verifying key")) } catch let error as KeyError {
            throw CommandFailure.malformedInput("\(keyPath): \(error)")
        }
        // §19.10: a private-weights key is rebuilt with its blinding seed, or not at all.
        var seed: [UInt8]? = nil
        if let blindingPath = invocation.value("weights-blinding") {
            guard key.circuit.privateWeights != nil else {
                throw CommandFailure.usage("\(keyPath) has public weights; drop --weights-blinding")
            }
            let bytes = try Files.read(blindingPath, what: "weights blinding")
            guard bytes.count == WeightBlinding.seedBytes else {
                throw CommandFailure.malformedInput(
                    "\(blindingPath) has \(bytes.count) bytes; a weights-blinding file has \(WeightBlinding.seedBytes)")
            }
            seed = bytes
        } else if key.circuit.privateWeights != nil {
            throw CommandFailure.rejected(
                "\(keyPath) has private weights: its commitments are blinded, so it cannot be rebuilt from the model alone; "
                    + "pass the secret file setup wrote: --weights-blinding <dir>/weights-blinding.bin")
        }
        // As compile reads it: external data (model.onnx.data) inlined, so the hash is the one compile recorded.
        let onnx = try ModelCommandSupport.selfContainedModel(modelPath)
        let modelHash = SHA256.hash(onnx).hexEncoded

        // The circuit exactly as compile + setup would build it.
        let file: CircuitFile, compiled: CompiledCircuit
        if let circuitPath = invocation.value("circuit") {
            let flags = CompilerCommandSupport.options.map(\.name).filter { invocation.value($0) != nil || invocation.flag($0) }
            guard flags.isEmpty else {
                throw CommandFailure.usage("--circuit records the settings and layout; drop --\(flags.joined(separator: ", --"))")
            }
            file = try Files.circuit(circuitPath)
            guard file.header.modelSHA256 == modelHash else {
                throw CommandFailure.rejected("\(circuitPath) was compiled from a model with sha256 \(file.header.modelSHA256), not \(modelPath) (sha256 \(modelHash))")
            }
            (_, compiled) = try CompilerCommandSupport.mapErrors { try Steps.timed("rebuild circuit") { try file.rebuild() } }
        } else {
            _ = try ModelCommandSupport.loadModel(modelPath)  // import errors listed the same way as `check`
            let settings = try ModelCommandSupport.loadSettings(invocation)
            let options = try CompilerCommandSupport.compileOptions(invocation)
            // As compile writes it and setup reads it back: the circuit rebuilt from the recorded options.
            (file, compiled) = try CompilerCommandSupport.mapErrors {
                try Steps.timed("compile") {
                    let written = try CircuitFile.compile(onnx: onnx, settings: settings, options: options).file
                    let read = try CircuitFile.decode(written.encoded)
                    return (read, try read.rebuild().compiled)
                }
            }
        }

        // The SRS, validated: its powers must be one geometric sequence consistent with its [τ]₂, so that its
        // identity determines it (a key rebuilt from an unvalidated file would prove nothing).
        // Private weights also use the power [τ^(2^ℓ)]₁ past the blocks (§19.10): validate one size up.
        let k = compiled.layout.log2Rows + (seed == nil ? 0 : 1)
        let loaded = try Steps.timed("load SRS") { try SRSFile.load(path: paramsPath) }
        guard loaded.log2Size >= k else {
            throw CommandFailure.usage(SRSAdvice.tooSmall(paramsPath, has: loaded.log2Size, needs: k))
        }
        let srs = try Steps.timed("truncate SRS") { try loaded.truncated(toLog2Size: k) }
        do { try Steps.timed("validate SRS") { try srs.validate() } } catch let error as KZGError {
            throw CommandFailure.malformedInput("\(paramsPath) is not a valid SRS: \(error)")
        }
        let rebuilt = try Steps.timed("key generation") {
            try Pipeline.setup(file, compiled: compiled, srs: srs, privateWeightsSeed: seed)
        }.verifyingKey

        let identity = key.srs.identity
        let trust = SRSTrustSupport.status(identity)
        let difference: String? = key.fingerprint == rebuilt.fingerprint ? nil : key.firstDifference(from: rebuilt)
        let originNote = difference == nil ? key.originDifference(from: rebuilt) : nil
        if difference == nil, key.fingerprint != rebuilt.fingerprint, originNote == nil {
            // Every field agrees but the fingerprints do not: report rather than guess.
            throw CommandFailure.rejected("the key's fingerprint differs from the rebuilt key's, in no field this build compares")
        }
        if invocation.wantsJSON {
            var members: [(String, JSONValue)] = [
                ("matches", .bool(difference == nil)), ("key", .string(keyPath)), ("key_fingerprint", .string(key.fingerprintHex)),
                ("rebuilt_fingerprint", .string(rebuilt.fingerprintHex)), ("model_sha256", .string(modelHash)),
                ("srs_identity", .string(identity.hexEncoded)), ("srs_trusted", .bool(trust.trusted)),
            ]
            if let difference { members.append(("difference", .string(difference))) }
            if let originNote { members.append(("origin_note", .string(originNote))) }
            Console.out(JSONValue.object(members).rendered())
        } else if difference == nil {
            Console.out("key matches model \(modelHash)")
            Console.out("key \(key.fingerprintHex)")
            Console.out("SRS identity \(identity.hexEncoded): \(trust.text)")
            if let originNote { Console.out("note: \(originNote) (labels are informational; trust is by identity)") }
        }
        if let difference {
            // The field order is the key's; the model hash claim, when it differs, is the plainest symptom.
            let claimed = ModelDescription(key.metadata)?.modelSHA256
            let hint = claimed.map { $0 == modelHash ? "" : " (the key claims model sha256 \($0); \(modelPath) is \(modelHash))" } ?? ""
            throw CommandFailure.rejected("the key does not match \(modelPath) with \(paramsPath): first difference: \(difference)\(hint)")
        }
    }
}
