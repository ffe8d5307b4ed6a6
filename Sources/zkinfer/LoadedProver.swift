import CircuitCompiler
import CommandLineSupport
import PlonkProver
import Quantization
import SystemSupport
import ZKInferKit

/// What `prove` and `prove-batch` load once before proving: the proving key, and the circuit rebuilt with the
/// key's relation (so W is not lowered again), checked to belong to that key. Errors are the commands' own:
/// a malformed key or a key of another circuit exits 2, and the latter names the `zkinfer setup` to run.
struct LoadedProver {
    let key: ProvingKey
    let model: QuantizedModel
    let compiled: CompiledCircuit
    /// `zkinfer stats`' estimate of one proof's peak memory, for the commands' refusal before proving.
    let estimatedPeakBytes: Int

    init(circuitPath: String, pkPath: String) throws {
        let file = try Files.circuit(circuitPath)
        let keyBytes = try Files.read(pkPath, what: "proving key")
        do { key = try Steps.timed("load proving key") { try ProvingKey.decode(keyBytes) } } catch {
            throw CommandFailure.malformedInput("\(pkPath): \(error)")
        }
        let key = self.key
        (model, compiled) = try CompilerCommandSupport.mapErrors {
            try Steps.timed("rebuild circuit") { try file.rebuild(for: key) }
        }
        estimatedPeakBytes = ModelStatistics(plan: compiled.plan, layout: compiled.layout).estimatedProverPeakBytes
        do { try key.requireMatches(compiled.circuit) } catch {
            let keyFolder = FileSystem.directory(of: pkPath).isEmpty ? "." : FileSystem.directory(of: pkPath)
            throw CommandFailure.malformedInput(
                "\(pkPath) was not made for \(circuitPath): \(error). Make its keys with: zkinfer setup \(circuitPath) --params <SRS file> -o \(keyFolder)")
        }
    }
}
