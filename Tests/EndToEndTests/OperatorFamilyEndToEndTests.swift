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

/// compile → setup → prove → verify on conv_family_net (bench/vectors/make_onnx_family_ops.py): a strided Conv, a
/// depthwise Conv and a ConvTranspose in the fold, reflect Pad and nearest Resize as wiring, MaxPool with
/// ceil_mode and GlobalMaxPool on the MaxPool gadget; the step operators of newer_ops (§5b) and constant Pad. The
/// proof's output is `zkinfer run`'s, bit for bit; a ConvTranspose output lane off by one is rejected.
struct OperatorFamilyEndToEndTests {
    static let directory = Shared.root.appendingPathComponent("Tests/DirectInferenceTests/Vectors/ops")

    static func artifacts(_ name: String) throws -> Shared.Artifacts {
        try Shared.artifacts(modelPath: directory.appendingPathComponent("\(name).onnx").path,
                             inputPath: directory.appendingPathComponent("\(name).input.json").path)
    }

    @Test func convFamilyProofVerifiesAndCarriesTheDirectOutput() throws {
        let a = try Self.artifacts("conv_family_net")
        let ops = Set(a.compiled.plan.layers.map(\.op))
        #expect(ops.isSuperset(of: ["Conv+Relu", "Conv", "ConvTranspose", "Pad", "MaxPool", "Resize", "GlobalMaxPool"]), "\(ops)")
        let v = try Shared.proveAndVerify(a)
        #expect(v.proved(0) == v.directFixed[0])
    }

    /// HardSwish, Max, Abs, HardSigmoid and Min, imported as compositions of folded ops, Relu, Clip and products.
    @Test func composedActivationsProofVerifiesAndCarriesTheDirectOutput() throws {
        let a = try Self.artifacts("composed_activations_net")
        let ops = Set(a.compiled.plan.layers.map(\.op))
        #expect(ops.isSuperset(of: ["HardSwish", "Max", "Abs", "HardSigmoid", "Min"]), "\(ops)")
        let v = try Shared.proveAndVerify(a)
        #expect(v.proved(0) == v.directFixed[0])
    }

    /// Comparisons, logic, rounding, sign, ArgMax/ArgMin (`StepGadget`, `ArgExtremumGadget`), Where on a computed
    /// condition and a standalone constant Pad: each model's proof verifies and carries `zkinfer run`'s integers.
    @Test(arguments: ["newer_ops/logic_chain", "newer_ops/floor_ceil_round_sign", "newer_ops/argmax_argmin",
                      "newer_ops/less_mask_where", "ops/pad_constant"])
    func stepOperatorsProofVerifiesAndCarriesTheDirectOutput(_ name: String) throws {
        let base = Shared.root.appendingPathComponent("Tests/DirectInferenceTests/Vectors/\(name)")
        let a = try Shared.artifacts(modelPath: base.path + ".onnx", inputPath: base.path + ".input.json")
        let v = try Shared.proveAndVerify(a)
        for i in 0..<v.directFixed.count { #expect(v.proved(i) == v.directFixed[i], "\(name) output \(i)") }
    }

    /// Div and Mod (fmod 0 and 1) by a computed divisor, BitShift LEFT/RIGHT by a computed amount, a float → int8
    /// Cast and ArgMax over 40 elements with select_last_index (computed_integer_net,
    /// bench/vectors/make_onnx_computed_integer.py): the proof verifies and carries exactly onnxruntime's integers.
    @Test func computedIntegerOperandsProofCarriesOnnxruntimesIntegers() throws {
        let a = try Self.artifacts("computed_integer_net")
        let gadgets = Set(a.compiled.plan.groups.map(\.kind.name))
        for prefix in ["int_div_by", "int_mod_by", "int_fmod_by", "int_shl_by", "int_shr_by", "int_trunc16_15_in_"] {
            #expect(gadgets.contains { $0.hasPrefix(prefix) }, "\(prefix) in \(gadgets)")
        }
        let v = try Shared.proveAndVerify(a)
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("computed_integer_net.expected.json"))
        let expected = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["output_data"] as? [[Double]])
        #expect(expected.count == 7 && v.directFixed.count == 7)
        for i in 0..<expected.count {
            #expect(v.proved(i) == v.directFixed[i], "output \(i)")
            #expect(v.proved(i) == expected[i].map { Int64($0) }, "output \(i) against onnxruntime")
        }
    }

    @Test func convTransposeLaneOffByOneGivesARejectedProof() throws {
        let a = try Self.artifacts("conv_family_net")
        let trace = try Inference.runFixed(a.model, input: a.input, trace: true).trace!
        var assignment = try a.compiled.assignment(trace: trace)
        let layer = try #require(a.compiled.plan.layers.first { $0.op == "ConvTranspose" })
        guard case .lanes(let g) = layer.role else { Issue.record("ConvTranspose has no lanes"); return }
        let cells = a.compiled.cells(group: g, index: 3)
        let limb = cells.limbs[0]
        let value = assignment.value(limb, row: cells.row)!
        // The remainder's low limb one higher (one lower if it is at the top): the lane no longer receives W·x + b.
        try assignment.set(limb, row: cells.row, value == Fr(255) ? value - Fr.one : value + Fr.one)
        let compiled = a.compiled
        let proof = try PlonkProver.proveUnchecked(key: a.key, circuit: compiled.circuit, assignment: assignment) { phase, w in
            try compiled.assignPhase(phase, &w)
        }
        #expect(throws: VerificationError.self) { try PlonkVerifier.verify(key: a.key.verifyingKey, proof: proof) }
    }
}
