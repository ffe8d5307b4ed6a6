import CircuitCompiler
import CommandLineSupport
import DirectInference
import ModelGraph
import ModelMetadata
import PlonkProver
import PlonkVerifier
import ZKInferKit
import SystemSupport

/// `zkinfer prove circuit.zkc --pk pk.bin input.json -o proof.bin`: runs the model on the direct path (its
/// trace is the witness) and proves it. Writes the proof (public values inside) and `<proof>.output.json`,
/// the dequantized output; `--timings` prints where the time went.
enum ProveCommand {
    static let command = Command(
        name: "prove", summary: "prove one inference of a compiled model", arguments: "<circuit.zkc> <input.json>",
        options: [
            .value("pk", "PATH", "proving key (from `zkinfer setup`)"),
            CommonOptions.out("proof file to write (and <proof>.output.json beside it)"),
            .flag("timings", "print the prover's time split (witness, MSM, NTT, lookups, quotient, openings)"),
        ],
        discussion: "Many inputs with the key loaded once, in parallel: zkinfer prove-batch (see its --help).",
        examples: ["zkinfer prove out/circuit.zkc --pk out/pk.bin circuits/mlp_tiny/input.json -o out/proof.bin"]
    ) { invocation in
        let progress = TerminalProgress.install(for: invocation)
        defer { progress?.finish() }
        let circuitPath = try invocation.positional(0, "circuit.zkc")
        let inputPath = try invocation.positional(1, "input.json")
        let pkPath = try invocation.requiredValue("pk")
        let out = try invocation.requiredValue("out")
        let clock = ContinuousClock()
        let start = clock.now
        let loaded = try LoadedProver(circuitPath: circuitPath, pkPath: pkPath)
        let (key, model, compiled) = (loaded.key, loaded.model, loaded.compiled)
        // Refuse early when the prover cannot fit in memory.
        if let available = Pipeline.availableMemory(), loaded.estimatedPeakBytes > available {
            throw CommandFailure.rejected(PipelineError.insufficientMemory(needed: loaded.estimatedPeakBytes, available: available).description)
        }
        let samples = try ModelCommandSupport.loadInputs(inputPath, graph: model.graph)
        guard samples.count == 1 else { throw CommandFailure.malformedInput("\(inputPath) holds \(samples.count) samples; prove takes one") }
        let loadSeconds = (clock.now - start).seconds
        let timings = ProverTimings()
        let proveStart = clock.now
        let result = try CompilerCommandSupport.mapErrors {
            try Steps.timed("prove") {
                try Pipeline.prove(model: model, compiled: compiled, key: key, input: samples[0], timings: timings)
            }
        }
        let proveSeconds = (clock.now - proveStart).seconds
        try Files.write(result.proof.encoded, to: out)
        let outputs = outputJSON(key: key, proof: result.proof, inference: result.inference)
        try Files.write(Array(outputs.rendered().utf8), to: out + ".output.json")
        let total = (clock.now - start).seconds

        var timingMembers: [(String, JSONValue)] = [
            ("load_seconds", .double(loadSeconds)), ("witness_seconds", .double(result.witnessSeconds)),
            ("prove_seconds", .double(proveSeconds)), ("total_seconds", .double(total)),
        ]
        for category in ProverTimings.categories { timingMembers.append((category + "_seconds", .double(timings.seconds[category] ?? 0))) }
        if invocation.wantsJSON {
            var members: [(String, JSONValue)] = [
                ("proof", .string(out)), ("proof_body_bytes", .int(result.proof.body.count)), ("output", outputs),
            ]
            if invocation.flag("timings") { members.append(("timings", .object(timingMembers))) }
            Console.out(JSONValue.object(members).rendered())
            return
        }
        Console.out("\(out): proof body \(result.proof.body.count) bytes, proved in \(formatSeconds(proveSeconds)) (total \(formatSeconds(total)))")
        for (name, values) in zip(result.inference.names, result.inference.outputs) {
            Console.out("output '\(name)': [" + values.map { TextFormatting.fixed($0, decimals: 6) }.joined(separator: ", ") + "]")
        }
        if invocation.flag("timings") {
            Console.out("timings: load \(formatSeconds(loadSeconds)), witness \(formatSeconds(result.witnessSeconds)), "
                        + ProverTimings.categories.map { "\($0) \(formatSeconds(timings.seconds[$0] ?? 0))" }.joined(separator: ", "))
        }
    }

    /// The outputs as the verifier will see them: from the proof's public values through the key's layout.
    static func outputJSON(key: ProvingKey, proof: ProofFile, inference: InferenceResult) -> JSONValue {
        guard let description = ModelDescription(key.verifyingKey.metadata) else { return .null }
        return .object([
            ("scale", .int(description.activationScale)),
            ("outputs", .array(description.outputs.map { t in
                .object([
                    ("name", .string(t.name)), ("shape", .array(t.shape.map { .int($0) })),
                    ("values", .array((description.dequantized(of: t, publicValues: proof.publicValues) ?? []).map { .double($0) })),
                    ("fixed", .array((description.integers(of: t, publicValues: proof.publicValues) ?? []).map { .int(Int($0)) })),
                ])
            })),
        ])
    }
}
