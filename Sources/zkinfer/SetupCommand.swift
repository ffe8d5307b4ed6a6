import CircuitCompiler
import CommandLineSupport
import CryptoPrimitives
import KZG
import PlonkProver
import ZKInferKit
import SystemSupport

/// `zkinfer setup circuit.zkc --params params/dev-k9.srs -o keys/`: proving and verifying keys. The
/// verifying key's metadata records the model and settings hashes, scale, instance layout and compiler
/// version; its circuit carries the weights the verifier folds.
enum SetupCommand {
    static let command = Command(
        name: "setup", summary: "make the proving and verifying keys of a circuit from an SRS", arguments: "<circuit.zkc>",
        options: [
            .value("params", "PATH", "SRS file (`zkinfer params dev` or an imported ceremony)"),
            CommonOptions.out("directory for pk.bin and vk.bin", placeholder: "DIR"),
            .flag(
                "private-weights",
                "hide the weights: hiding block commitments and proofs that reveal nothing about the weights (needs an "
                    + "SRS of 2^(k+1) points; writes the secret weights-blinding.bin that verify-key needs)"),
            CompilerCommandSupport.maxMemory,
        ],
        examples: [
            "zkinfer setup out/circuit.zkc --params params/dev-k8.srs -o out/",
            "zkinfer setup out/circuit.zkc --params params/dev-k9.srs -o out/ --private-weights",
        ]
    ) { invocation in
        let progress = TerminalProgress.install(for: invocation)
        defer { progress?.finish() }
        let path = try invocation.positional(0, "circuit.zkc")
        let params = try invocation.requiredValue("params")
        let out = try invocation.requiredValue("out")
        let file = try Files.circuit(path)
        let estimate = try CompilerCommandSupport.mapErrors { try file.statistics() }
        try CompilerCommandSupport.requireMemory([("setup", estimate.estimatedSetupPeakBytes),
                                                  (CompilerCommandSupport.proving, estimate.estimatedProverPeakBytes)], invocation)
        let (_, compiled) = try CompilerCommandSupport.mapErrors { try Steps.timed("rebuild circuit") { try file.rebuild() } }
        let srs = try Steps.timed("load SRS") { try SRSFile.load(path: params) }
        if srs.origin.isInsecure { Console.err("WARNING: \(SRSOrigin.insecureBanner)") }
        let privateWeights = invocation.flag("private-weights")
        // Private weights blind each block with the SRS power just past it (§19.10): [τ^n]₁ for compiled models.
        let needed = compiled.layout.log2Rows + (privateWeights ? 1 : 0)
        guard srs.log2Size >= needed else {
            throw CommandFailure.usage(
                (privateWeights ? "--private-weights: " : "") + SRSAdvice.tooSmall(params, has: srs.log2Size, needs: needed))
        }
        let seed = privateWeights ? try WeightBlinding.freshSeed() : nil
        let key: ProvingKey
        do {
            key = try Steps.timed("key generation") {
                try Pipeline.setup(file, compiled: compiled, srs: srs, privateWeightsSeed: seed)
            }
        } catch let error as ProverError {
            throw CommandFailure.usage("\(path): \(error)")
        }
        let pkPath = FileSystem.join(out, "pk.bin")
        let vkPath = FileSystem.join(out, "vk.bin")
        let blindingPath = FileSystem.join(out, "weights-blinding.bin")
        try Files.write(key.encoded, to: pkPath)
        try Files.write(key.verifyingKey.encoded, to: vkPath)
        if let seed { try Files.write(seed, to: blindingPath) }
        let trust = SRSTrustSupport.status(srs.identity)
        if invocation.wantsJSON {
            var members: [(String, JSONValue)] = [
                ("proving_key", .string(pkPath)), ("verifying_key", .string(vkPath)),
                ("fingerprint", .string(key.verifyingKey.fingerprintHex)), ("insecure_srs", .bool(srs.origin.isInsecure)),
                ("srs_identity", .string(srs.identity.hexEncoded)), ("srs_trusted", .bool(trust.trusted)),
                ("private_weights", .bool(privateWeights)),
            ]
            if seed != nil { members.append(("weights_blinding", .string(blindingPath))) }
            Console.out(JSONValue.object(members).rendered())
        } else {
            Console.out("\(pkPath), \(vkPath): key \(key.verifyingKey.fingerprintHex.prefix(16))…\(srs.origin.isInsecure ? " (INSECURE development SRS)" : "")")
            if seed != nil {
                Console.out("private weights: \(blindingPath) holds the blinding seed (SECRET: keep it with pk.bin; "
                    + "zkinfer verify-key --weights-blinding needs it)")
            }
            Console.out("SRS identity \(srs.identity.hexEncoded): \(trust.text)")
        }
    }
}
