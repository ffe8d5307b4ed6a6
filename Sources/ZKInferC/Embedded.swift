import CircuitCompiler
import DirectInference
import FieldArithmetic
import KZG
import ModelGraph
import ModelMetadata
import ONNXImport
import PlonkProver
import PlonkVerifier
import Quantization
import SystemSupport
import ZKInferKit

/// What the C functions do, in Swift: each throws an `EmbeddingError` (a status of include/zkinfer.h and a
/// one-line message) and returns Swift values; `CABI.swift` only converts pointers and strings.
enum Embedded {
    /// Direct fixed-point inference of one sample: the outputs as JSON.
    static func run(modelPath: String, inputJSON: [UInt8], settingsPath: String?) throws -> String {
        try classified {
            guard FileSystem.exists(modelPath) else { throw EmbeddingError(.io, "cannot read model '\(modelPath)': no such file") }
            // External data (if any) inlined, as `zkinfer run` reads models.
            let model = try ONNXImporter.importModel(bytes: try ONNXImporter.selfContainedModel(path: modelPath))
            let settings = try settingsPath.map { try QuantizationSettings.load(path: $0) } ?? .default
            let input = try oneSample(inputJSON, graph: model.graph)
            let quantized = try QuantizedModel(model.graph, settings: settings)
            let result = try Inference.runFixed(quantized, input: input)
            return "[" + (0..<result.names.count).map { i in
                JSONText.object([
                    ("name", JSONText.string(result.names[i])), ("shape", integers(result.shapes[i].map(Int64.init))),
                    ("values", doubles(result.outputs[i])), ("fixed", integers(result.fixed?[i] ?? [])),
                    ("scale", String(settings.activationScale)),
                ])
            }.joined(separator: ",") + "]"
        }
    }

    /// One proof: the proof file's bytes.
    static func prove(circuitPath: String, pkPath: String, inputJSON: [UInt8]) throws -> [UInt8] {
        try classified {
            let file = try CircuitFile.decode(try FileSystem.read(circuitPath))
            let key = try ProvingKey.decode(try FileSystem.read(pkPath))
            let (model, compiled) = try file.rebuild(for: key)
            do { try key.requireMatches(compiled.circuit) } catch {
                throw EmbeddingError(.keyMismatch, "\(pkPath) was not made for \(circuitPath): \(error)")
            }
            let input = try oneSample(inputJSON, graph: model.graph)
            return try Pipeline.prove(model: model, compiled: compiled, key: key, input: input).proof.encoded
        }
    }

    struct TrustOptions {
        var allowDevSRS = false
        var identities: [String] = []
        var file: String?
    }

    struct Verdict {
        var valid = false, malformed = false, srsTrusted = false
        var keyFingerprint = "", modelSHA256: String?, srsIdentity = ""
        var outputsJSON: String?
        var reason: String?
    }

    /// The verifier alone (no prover code runs): key, trust policy (docs/protocol.md §17), proof.
    static func verify(key keyBytes: [UInt8], proof proofBytes: [UInt8], trust: TrustOptions) throws -> Verdict {
        let key: VerifyingKey
        do { key = try VerifyingKey.decode(keyBytes) } catch {
            throw EmbeddingError(.malformed, "verifying key: \(error)")
        }
        var list = SRSTrustList()
        do {
            if let path = trust.file {
                let bytes: [UInt8]
                do { bytes = try FileSystem.read(path, limit: SRSTrustList.maximumFileBytes) } catch {
                    throw EmbeddingError(.io, "cannot read trusted-srs file: \(error)")
                }
                try list.add(fileText: String(decoding: bytes, as: UTF8.self), path: path)
            }
            for identity in trust.identities { try list.trust(identityHex: identity, source: "trusted_srs") }
        } catch let error as SRSTrustError {
            throw EmbeddingError(.argument, error.description)
        }
        var verdict = Verdict()
        verdict.keyFingerprint = key.fingerprintHex
        let description = ModelDescription(key.metadata)
        verdict.modelSHA256 = description?.modelSHA256
        verdict.srsIdentity = key.srs.identity.hexEncoded
        verdict.srsTrusted = list.source(of: key.srs.identity) != nil
        let file: ProofFile
        do { file = try ProofFile.decode(proofBytes) } catch {
            verdict.malformed = true
            verdict.reason = "malformed proof: \(error)"
            return verdict
        }
        guard verdict.srsTrusted || trust.allowDevSRS else {
            verdict.reason = "the verifying key's SRS is not trusted: identity \(verdict.srsIdentity) is not a built-in ceremony "
                + "nor a trusted identity given in the options. Whoever knows the tau of an SRS can forge proofs for every key "
                + "made from it. If you trust this SRS, add \(verdict.srsIdentity) to trusted_srs; to verify anyway (INSECURE), set allow_dev_srs"
            return verdict
        }
        do {
            try PlonkVerifier.verify(key: key, proof: file)
        } catch let error as VerificationError {
            verdict.malformed = error.isMalformed
            verdict.reason = error.description
            return verdict
        }
        verdict.valid = true
        if let description {
            verdict.outputsJSON = "[" + zip(description.outputs, description.verifiedOutputs(publicValues: file.publicValues)).map { layout, tensor in
                JSONText.object([
                    ("name", JSONText.string(layout.name)), ("shape", integers(layout.shape.map(Int64.init))),
                    ("values", tensor.map { doubles($0.values) } ?? "null"), ("fixed", tensor.map { integers($0.fixed) } ?? "null"),
                ])
            }.joined(separator: ",") + "]"
        }
        return verdict
    }

    static func oneSample(_ json: [UInt8], graph: ModelGraph) throws -> ModelInput {
        let samples = try InputFile.parse(json, graph: graph)
        guard samples.count == 1 else { throw EmbeddingError(.malformed, "the input holds \(samples.count) samples; give one") }
        return samples[0]
    }

    static func integers(_ values: [Int64]) -> String { "[" + values.map(String.init).joined(separator: ",") + "]" }
    static func doubles(_ values: [Double]) -> String { "[" + values.map { $0.isFinite ? "\($0)" : "null" }.joined(separator: ",") + "]" }

    /// Runs `body`, giving every library error its status.
    static func classified<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            throw EmbeddingError.classify(error)
        }
    }
}

/// A failure of a C entry point: a status of include/zkinfer.h and its one-line message.
struct EmbeddingError: Error {
    enum Status: Int32 {
        case argument = 1, io = 2, malformed = 3, unsupported = 4, outOfRange = 5, keyMismatch = 6, `internal` = 7
    }

    let status: Status
    let message: String

    init(_ status: Status, _ message: String) {
        self.status = status
        self.message = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    static func classify(_ error: Error) -> EmbeddingError {
        switch error {
        case let e as EmbeddingError: return e
        case let e as FileSystem.Failure: return .init(.io, "cannot read \(e)")
        case let e as ONNXImportError:
            if case .unsupportedOperators = e { return .init(.unsupported, e.description) }
            if case .unsupportedModel = e { return .init(.unsupported, e.description) }
            return .init(.malformed, e.description)
        case let e as CompilerError:
            switch e {
            case .unsupportedOperation, .tooLarge: return .init(.unsupported, e.description)
            default: return .init(.malformed, e.description)
            }
        case let e as QuantizationError:
            switch e {
            case .outOfRange: return .init(.outOfRange, e.description)
            case .unrepresentableConstant: return .init(.unsupported, e.description)
            default: return .init(.malformed, e.description)
            }
        case let e as InferenceError:
            if case .quantization(let q) = e { return classify(q) }
            return .init(.malformed, e.description)
        case let e as PipelineError:
            switch e {
            case .keyMismatch: return .init(.keyMismatch, e.description)
            case .insufficientMemory: return .init(.unsupported, e.description)
            case .malformed: return .init(.malformed, e.description)
            }
        case let e as KeyError: return .init(.malformed, "key: \(e)")
        case let e as ModelGraphError: return .init(.malformed, e.description)
        default: return .init(.internal, "\(error)")
        }
    }
}
