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
        ],
        examples: ["zkinfer setup out/circuit.zkc --params params/dev-k8.srs -o out/"]
    ) { invocation in
        let progress = TerminalProgress.install(for: invocation)
        defer { progress?.finish() }
        let path = try invocation.positional(0, "circuit.zkc")
        let params = try invocation.requiredValue("params")
        let out = try invocation.requiredValue("out")
        let file = try Files.circuit(path)
        let (_, compiled) = try CompilerCommandSupport.mapErrors { try Steps.timed("rebuild circuit") { try file.rebuild() } }
        let srs = try Steps.timed("load SRS") { try SRSFile.load(path: params) }
        if srs.origin.isInsecure { Console.err("WARNING: \(SRSOrigin.insecureBanner)") }
        guard srs.log2Size >= compiled.layout.log2Rows else {
            throw CommandFailure.usage(SRSAdvice.tooSmall(params, has: srs.log2Size, needs: compiled.layout.log2Rows))
        }
        let key = try Steps.timed("key generation") { try Pipeline.setup(file, compiled: compiled, srs: srs) }
        let pkPath = FileSystem.join(out, "pk.bin")
        let vkPath = FileSystem.join(out, "vk.bin")
        try Files.write(key.encoded, to: pkPath)
        try Files.write(key.verifyingKey.encoded, to: vkPath)
        let trust = SRSTrustSupport.status(srs.identity)
        if invocation.wantsJSON {
            Console.out(JSONValue.object([
                ("proving_key", .string(pkPath)), ("verifying_key", .string(vkPath)),
                ("fingerprint", .string(key.verifyingKey.fingerprintHex)), ("insecure_srs", .bool(srs.origin.isInsecure)),
                ("srs_identity", .string(srs.identity.hexEncoded)), ("srs_trusted", .bool(trust.trusted)),
            ]).rendered())
        } else {
            Console.out("\(pkPath), \(vkPath): key \(key.verifyingKey.fingerprintHex.prefix(16))…\(srs.origin.isInsecure ? " (INSECURE development SRS)" : "")")
            Console.out("SRS identity \(srs.identity.hexEncoded): \(trust.text)")
        }
    }
}
