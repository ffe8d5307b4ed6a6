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

/// Issue 17: the LSTM and GRU forecasters of circuits/seq (seeded PyTorch, torchscript export: no external data),
/// unrolled at import into linear layers, sigmoid/tanh table lanes and products of two activations, proved and
/// verified end to end. The verified output is `zkinfer run`'s, within the predicted bound of onnxruntime's, and a
/// changed output is rejected.
struct SequenceModelTests {
    @Test(arguments: ["seq/lstm_forecaster/torchscript", "seq/gru_forecaster/torchscript"])
    func forecasterProvesAndVerifies(_ name: String) throws {
        let folder = Shared.root.appendingPathComponent("circuits/\(name)")
        let a = try Shared.artifacts(modelPath: folder.appendingPathComponent("model.onnx").path,
                                     inputPath: folder.appendingPathComponent("input.json").path)
        let (model, input) = (a.model, a.input)
        let v = try Shared.proveAndVerify(a)
        let (vk, proof, description, direct) = (v.vk, v.proof, v.description, v.direct)
        #expect(v.proved(0) == v.directFixed[0])
        try Shared.expectWithinKeyAndProofLimits(a, v)

        // Against onnxruntime's output (expected_output.json): within the predicted bound, and in fact within 1e−3.
        let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("expected_output.json"))) as! [String: Any]
        let reference = ((expected["output_data"] as! [[Any]])[0]).map { ($0 as! NSNumber).doubleValue }
        let report = try Inference.errorReport(model, input: input)
        #expect(report.withinBounds)
        for (value, want) in zip(direct.outputs[0], reference) {
            #expect(abs(value - want) <= report.outputs[0].bound + 1e-6)
            #expect(abs(value - want) < 1e-3)
        }

        var changed = proof
        let length = description.publicColumnLength
        let position = description.outputs[0].publicStart!
        changed.publicValues[position / length][position % length] = changed.publicValues[position / length][position % length] + .one
        // Rejected: by the pairing, or first by the weight opening's fold check (§19.5), which a changed public
        // value also moves.
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: vk, proof: changed) }
    }

    /// Issue 17 item 3: the 2-layer transformer encoder and the nanoGPT-shaped block (both exports), whose attention
    /// multiplies two activations (QKᵀ, attention × V) through the random-point check of docs/protocol.md §20.
    /// Proved and verified; the proven output is `zkinfer run`'s integers; a changed output is rejected.
    @Test(arguments: ["seq/transformer_encoder/torchscript", "seq/transformer_encoder/dynamo",
                      "seq/nanogpt_block/torchscript", "seq/nanogpt_block/dynamo"])
    func attentionModelProvesAndVerifies(_ name: String) throws {
        let folder = Shared.root.appendingPathComponent("circuits/\(name)")
        let a = try Shared.artifacts(modelPath: folder.appendingPathComponent("model.onnx").path,
                                     inputPath: folder.appendingPathComponent("input.json").path)
        #expect(!a.compiled.plan.matMulChecks.isEmpty)
        let v = try Shared.proveAndVerify(a)
        let (vk, proof, description) = (v.vk, v.proof, v.description)
        #expect(v.proved(0) == v.directFixed[0])
        try Shared.expectWithinKeyAndProofLimits(a, v)
        // Structured linear layers over tokens (one block per weight tile for all tokens, docs/protocol.md §19.9),
        // the attention output projections too since compiler 11 (head-major bands): transformer_encoder fits 2^14
        // rows with a 36.8 KB key (compiler 8: 86 KB at 2^14, so 2^15 rows; compiler 10: 40.8 KB), and nanogpt_block's
        // key is 32.9 KB at 2^13 rows (compiler 8: 58 KB; compiler 10: 36.0 KB).
        if name.hasPrefix("seq/transformer_encoder") {
            #expect(a.compiled.layout.log2Rows == 14)
            #expect(vk.encoded.count <= 37 * 1024)
        } else {
            #expect(a.compiled.layout.log2Rows == 13)
            #expect(vk.encoded.count <= 33 * 1024)
        }

        var changed = proof
        let length = description.publicColumnLength
        let position = description.outputs[0].publicStart!
        changed.publicValues[position / length][position % length] = changed.publicValues[position / length][position % length] + .one
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: vk, proof: changed) }
    }
}
