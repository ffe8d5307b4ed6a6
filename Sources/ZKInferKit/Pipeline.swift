import CircuitCompiler
import ConstraintSystem
import CryptoPrimitives
import DirectInference
import FieldArithmetic
import KZG
import ModelGraph
import ModelMetadata
import PlonkProver
import PlonkVerifier
import Quantization
import SystemSupport

/// Builds the verifying key's model description from a compiled circuit.
public enum ModelDescriptionBuilder {
    public static let compilerVersion = ModelDescription.currentCompilerVersion

    public static func describe(_ file: CircuitFile, compiled: CompiledCircuit) -> ModelDescription {
        let graph = compiled.plan.graph
        let settingsJSON = String(decoding: canonicalSettings(file.header.settings), as: UTF8.self)
        var offset = 0
        let inputs = graph.inputs.map { id -> ModelDescription.TensorLayout in
            let count = graph.values[id].elementCount
            defer { if compiled.plan.options.publicInput { offset += count } }
            return .init(name: graph.values[id].name, shape: graph.values[id].shape,
                         publicStart: compiled.plan.options.publicInput ? offset : nil, count: count,
                         isInteger: graph.values[id].isInteger)
        }
        let outputs = zip(graph.outputNames, graph.outputs).map { name, id -> ModelDescription.TensorLayout in
            let count = graph.values[id].elementCount
            defer { offset += count }
            return .init(name: name, shape: graph.values[id].shape, publicStart: offset, count: count,
                         isInteger: graph.values[id].isInteger)
        }
        return ModelDescription(
            compilerVersion: compilerVersion, modelSHA256: file.header.modelSHA256,
            settingsSHA256: SHA256.hash(canonicalSettings(file.header.settings)).hexEncoded, settingsJSON: settingsJSON,
            activationScale: file.header.settings.activationScale, publicColumnLength: compiled.layout.publicColumnLength,
            inputs: inputs, outputs: outputs)
    }

    /// Settings as compact JSON with sorted keys: the bytes the settings hash covers.
    public static func canonicalSettings(_ s: QuantizationSettings) -> [UInt8] { Array(s.canonicalJSON.utf8) }
}

/// compile → setup → prove, as the commands and the end-to-end tests run them.
public enum Pipeline {
    /// Proving key (holding the verifying key) with the model description in its metadata.
    /// `privateWeightsSeed`: private weights (docs/protocol.md §19.10) — hiding block commitments derived from
    /// the seed, and the model hash salted with it (a plain hash of the ONNX file would let anyone test a guess).
    public static func setup(
        _ file: CircuitFile, compiled: CompiledCircuit, srs: SRS, privateWeightsSeed: [UInt8]? = nil
    ) throws -> ProvingKey {
        var description = ModelDescriptionBuilder.describe(file, compiled: compiled)
        if let seed = privateWeightsSeed {
            description.modelSHA256 = privateModelHash(seed: seed, modelSHA256: description.modelSHA256)
        }
        return try KeyGeneration.generate(
            circuit: compiled.circuit, srs: srs, metadata: description.metadata, privateWeightsSeed: privateWeightsSeed)
    }

    /// SHA-256(LP("ZKInfer-private-model-v1") ‖ seed ‖ the ONNX file's SHA-256 as hex text), hex (§19.10).
    public static func privateModelHash(seed: [UInt8], modelSHA256: String) -> String {
        let label = Array("ZKInfer-private-model-v1".utf8)
        var bytes = [UInt8]()
        var length = UInt64(label.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        return SHA256.hash(bytes + label + seed + Array(modelSHA256.utf8)).hexEncoded
    }

    public struct ProveResult: Sendable {
        public let proof: ProofFile
        public let inference: InferenceResult
        public let witnessSeconds: Double
    }

    /// Runs the model on `input` (the direct path, with its trace as the witness) and proves it.
    public static func prove(model: QuantizedModel, compiled: CompiledCircuit, key: ProvingKey, input: ModelInput,
                             timings: ProverTimings? = nil) throws -> ProveResult {
        let clock = ContinuousClock()
        let start = clock.now
        let inference = try Inference.runFixed(model, input: input, trace: true)
        guard let trace = inference.trace else { throw PipelineError.malformed("no trace") }
        let assignment = try compiled.assignment(trace: trace)
        let witnessSeconds = (clock.now - start).seconds
        let proof = try PlonkProver.prove(key: key, circuit: compiled.circuit, assignment: assignment, timings: timings) { phase, a in
            // Phases 2 and 3: the committed relation's columns, once ρ and then s are in the assignment.
            try compiled.assignPhase(phase, &a)
        }
        return ProveResult(proof: proof, inference: inference, witnessSeconds: witnessSeconds)
    }

    /// Bytes of memory available to this process (MemAvailable from /proc/meminfo), nil if unknown.
    public static func availableMemory() -> Int? { memInfo("MemAvailable:") }

    /// The machine's physical memory (MemTotal from /proc/meminfo), nil if unknown.
    public static func physicalMemory() -> Int? { memInfo("MemTotal:") }

    static func memInfo(_ field: String) -> Int? {
        guard let bytes = try? FileSystem.read("/proc/meminfo", limit: 1 << 20) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(field) {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kb = Int(fields[1]) { return kb * 1024 }
        }
        return nil
    }
}

extension Duration {
    var seconds: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) * 1e-18
    }
}
