import DirectInference
import FieldArithmetic
import Foundation
import KZG
import PlonkVerifier
import Quantization
import Testing
import ZKInferKit

@testable import CircuitCompiler
@testable import PlonkProver

/// Cheating embedding lanes (`EmbeddingGadget`), proved through the test-only entry point that skips the checker:
/// a value that is no table entry, and another token's row (a real table row whose key the fold does not give),
/// are both rejected by the verifier; the honest proof verifies.
struct EmbeddingCheatTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let directory = root.appendingPathComponent("Tests/DirectInferenceTests/Vectors/ops")

    struct Setup {
        let model: QuantizedModel
        let compiled: CompiledCircuit
        let key: ProvingKey
        let input: ModelInput
    }

    static func setup() throws -> Setup {
        let onnx = [UInt8](try Data(contentsOf: directory.appendingPathComponent("embedding_then_gemm.onnx")))
        let (file, _) = try CircuitFile.compile(onnx: onnx, settings: .default, options: CompileOptions())
        let decoded = try CircuitFile.decode(file.encoded)
        let (model, compiled) = try decoded.rebuild()
        let srs = try SRS.insecureDevelopment(log2Size: compiled.layout.log2Rows)
        let key = try Pipeline.setup(decoded, compiled: compiled, srs: srs)
        let input = try InputFile.load(path: directory.appendingPathComponent("embedding_then_gemm.input.json").path,
                                       graph: model.graph)[0]
        return Setup(model: model, compiled: compiled, key: key, input: input)
    }

    /// Proves with lane 1 of the embedding group changed by `cheat` (key, value) → (key, value).
    static func proveCheating(_ s: Setup, _ cheat: (LookupTable, Int64, Int64) -> (Int64, Int64)) throws -> ProofFile {
        let trace = try Inference.runFixed(s.model, input: s.input, trace: true).trace!
        var assignment = try s.compiled.assignment(trace: trace)
        let g = try #require(s.compiled.plan.groups.firstIndex { if case .embedding = $0.kind { return true } else { return false } })
        guard case .embedding(let gadget) = s.compiled.plan.groups[g].kind else { throw CompilerError.witnessMismatch("no embedding") }
        let cells = s.compiled.cells(group: g, index: 1)
        /// A field element holding a small signed integer.
        func integer(_ f: Fr) -> Int64 {
            let limbs = f.canonicalLimbs
            if limbs.1 == 0, limbs.2 == 0, limbs.3 == 0 { return Int64(limbs.0) }
            return -Int64((-f).canonicalLimbs.0)
        }
        let key = integer(assignment.value(cells.free[0], row: cells.row)!)
        let value = integer(assignment.value(cells.free[1], row: cells.row)!)
        #expect(gadget.table.lookup(key) == value)  // the honest lane holds a table row
        let (newKey, newValue) = cheat(gadget.table, key, value)
        try assignment.set(cells.free[0], row: cells.row, Fr(signed: newKey))
        try assignment.set(cells.free[1], row: cells.row, Fr(signed: newValue))
        let compiled = s.compiled
        return try PlonkProver.proveUnchecked(key: s.key, circuit: compiled.circuit, assignment: assignment) { phase, w in
            try compiled.assignPhase(phase, &w)
        }
    }

    @Test func honestEmbeddingProofVerifies() throws {
        let s = try Self.setup()
        let proof = try Self.proveCheating(s) { _, key, value in (key, value) }
        try PlonkVerifier.verify(key: s.key.verifyingKey, proof: proof)
    }

    @Test func valueOutsideTheTableIsRejected() throws {
        let s = try Self.setup()
        let proof = try Self.proveCheating(s) { _, key, value in (key, value + 1) }
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: s.key.verifyingKey, proof: proof) }
    }

    @Test func anotherTokensRowIsRejected() throws {
        let s = try Self.setup()
        // The row of the next token (wrapping inside the table): a genuine (key, value) pair the fold does not give.
        let proof = try Self.proveCheating(s) { table, key, _ in
            let width: Int64 = 3
            let other = key + width <= table.maxIndex ? key + width : key - width
            return (other, table.lookup(other))
        }
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: s.key.verifyingKey, proof: proof) }
    }
}
