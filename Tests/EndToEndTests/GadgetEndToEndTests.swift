import DirectInference
import FieldArithmetic
import Foundation
import KZG
import ModelMetadata
import PlonkVerifier
import Quantization
import Testing
import ZKInferKit

@testable import CircuitCompiler
@testable import PlonkProver

/// compile → setup → prove → verify on the operator-coverage models of bench/vectors/make_onnx_ops.py that use
/// the standalone gadgets: elementwise_net (LeakyRelu, Clip, Sigmoid, Tanh, Mul of two activations, next to the
/// folded ops), pool_net (a padded MaxPool) and softmax_net (Softmax over rows of 4). The proof's output is
/// `zkinfer run`'s, bit for bit; a cheating table lane or softmax division gives a rejected proof.
enum GadgetModels {
    static let vectors = Shared.root.appendingPathComponent("Tests/DirectInferenceTests/Vectors")
    /// Two stacked function tables make elementwise_net 2^10 rows; a larger SRS serves smaller circuits too.
    static let srs: SRS = try! SRS.insecureDevelopment(log2Size: 10)

    static func artifacts(_ name: String) throws -> Shared.Artifacts {
        let onnx = [UInt8](try Data(contentsOf: vectors.appendingPathComponent("\(name).onnx")))
        let (file, _) = try CircuitFile.compile(onnx: onnx, settings: .default, options: CompileOptions())
        let decoded = try CircuitFile.decode(file.encoded)
        let (model, compiled) = try decoded.rebuild()
        let key = try Pipeline.setup(decoded, compiled: compiled, srs: srs)
        let input = try InputFile.load(path: vectors.appendingPathComponent("\(name).input.json").path, graph: model.graph)[0]
        return Shared.Artifacts(file: decoded, model: model, compiled: compiled, key: key, input: input)
    }
}

struct GadgetEndToEndTests {
    @Test(arguments: ["elementwise_net", "pool_net", "softmax_net"])
    func proofVerifiesAndCarriesTheDirectOutput(_ name: String) throws {
        let a = try GadgetModels.artifacts(name)
        let kinds = Set(a.compiled.plan.kinds.map { "\($0)".prefix(while: { $0 != "(" }) })
        let expected: Set<Substring> = switch name {
        case "pool_net": ["maxPool"]
        case "softmax_net": ["softmax"]
        default: ["leakyRelu", "clip", "table", "product"]
        }
        #expect(kinds.isSuperset(of: expected), "\(kinds)")
        let v = try Shared.proveAndVerify(a)
        #expect(v.proved(0) == v.directFixed[0])
    }

    /// A Sigmoid lane claiming T + 1 (not a table row), proved through the test-only entry point that skips the
    /// checker: the verifier rejects the proof.
    @Test func cheatingTableLaneGivesARejectedProof() throws {
        let a = try GadgetModels.artifacts("elementwise_net")
        let trace = try Inference.runFixed(a.model, input: a.input, trace: true).trace!
        var assignment = try a.compiled.assignment(trace: trace)
        let g = try #require(a.compiled.plan.groups.firstIndex {
            if case .table(let t) = $0.kind { return t.table.function == .sigmoid } else { return false }
        })
        let cells = a.compiled.cells(group: g, index: 1)
        try assignment.set(cells.free[3], row: cells.row, assignment.value(cells.free[3], row: cells.row)! + Fr.one)
        let compiled = a.compiled
        let proof = try PlonkProver.proveUnchecked(key: a.key, circuit: compiled.circuit, assignment: assignment) { phase, w in
            try compiled.assignPhase(phase, &w)
        }
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: a.key.verifyingKey, proof: proof) }
    }

    /// A softmax lane claiming the wrong parity of S (its ⌊S/2⌋ off by a half, so the division identity fails),
    /// proved without the checker: the verifier rejects the proof.
    @Test func cheatingSoftmaxLaneGivesARejectedProof() throws {
        let a = try GadgetModels.artifacts("softmax_net")
        let trace = try Inference.runFixed(a.model, input: a.input, trace: true).trace!
        var assignment = try a.compiled.assignment(trace: trace)
        let g = try #require(a.compiled.plan.groups.firstIndex { if case .softmax = $0.kind { return true } else { return false } })
        let cells = a.compiled.cells(group: g, index: 2)
        try assignment.set(cells.free[3], row: cells.row, Fr.one - assignment.value(cells.free[3], row: cells.row)!)
        let compiled = a.compiled
        let proof = try PlonkProver.proveUnchecked(key: a.key, circuit: compiled.circuit, assignment: assignment) { phase, w in
            try compiled.assignPhase(phase, &w)
        }
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: a.key.verifyingKey, proof: proof) }
    }
}
