import DirectInference
import FieldArithmetic
import Foundation
import ModelMetadata
import Quantization
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier
@testable import ZKInferKit

/// Boundary settings (fixed-point.md §1, the constraints 8 ≤ B ≤ 32, 0 ≤ s ≤ B − 2, 0 ≤ w ≤ 30; §2–§3 the limb
/// widths; CircuitCompiler README "Range checks"): the extreme settings the spec allows compile, prove and
/// verify with stacked 7-bit limbs (and 8-bit limbs per column), the proof carrying the direct path's output;
/// one step beyond each limit is refused when the settings are validated or the model compiled, with an error
/// that names the setting and its allowed range.
struct BoundarySettingsTests {
    struct Extreme: CustomTestStringConvertible, Sendable {
        let settings: QuantizationSettings
        let stacked: Bool
        let limbBits: Int
        var testDescription: String {
            "B = \(settings.activationBits), s = \(settings.activationScale), w = \(settings.parameterScale), "
                + "\(limbBits)-bit limbs \(stacked ? "stacked" : "per column")"
        }
    }

    static let extremes = [
        // The largest activation scale at the largest activation width: 2^30 with 32-bit activations.
        Extreme(settings: QuantizationSettings(activationScale: 30, parameterScale: 16, activationBits: 32), stacked: false, limbBits: 7),
        Extreme(settings: QuantizationSettings(activationScale: 30, parameterScale: 16, activationBits: 32), stacked: false, limbBits: 8),
        // The largest parameter scale (2^30 weights; a small activation scale keeps W·x below 2^62).
        Extreme(settings: QuantizationSettings(activationScale: 8, parameterScale: 30, activationBits: 32), stacked: false, limbBits: 7),
        // The narrowest activations and their largest scale: 8 bits, 2^6.
        Extreme(settings: QuantizationSettings(activationScale: 6, parameterScale: 6, activationBits: 8), stacked: false, limbBits: 7),
    ]

    /// Fixed-point.md §1 (and §2–§3 for the limbs): each extreme compiles, proves and verifies.
    @Test(arguments: extremes)
    func extremeSettingsProveAndVerify(_ e: Extreme) throws {
        try e.settings.validate()
        var rng = SeededRandomReals(seed: 47)
        let input = rng.inputs(4, scale: e.settings.activationScale)
        let m = try ProvedModel(graph: AdversarialModels.small(), name: "adversarial small", input: [input], settings: e.settings,
                                options: CompileOptions(stackRangeChecks: e.stacked, limbBits: e.limbBits))
        #expect(m.compiled.layout.isStacked == e.stacked && m.compiled.plan.limbBits == e.limbBits)
        let proof = try m.proveHonest()
        try m.verify(proof)
        // The proof's output is the direct path's, and at these scales it is the float model's to within the
        // quantization step.
        let description = try #require(ModelDescription(m.vk.metadata))
        let proved = description.integers(of: description.outputs[0], publicValues: proof.publicValues)
        #expect(proved == m.trace.values[m.graph.outputs[0]])
        let float = try Inference.runFloat(m.graph, input: ModelInput(
            tensors: [input.map { .float(FixedPoint.dequantize($0, scale: e.settings.activationScale)) }]))
        for (q, f) in zip(proved ?? [], float.outputs[0]) {
            #expect(abs(FixedPoint.dequantize(q, scale: e.settings.activationScale) - f) < 0.05)
        }
    }

    /// Fixed-point.md §1, §5–§7: every gadget (Relu, LeakyRelu, Clip, Sigmoid, Tanh, MaxPool, Softmax, product) at 2^30 with 32-bit
    /// activations: the tables' and the softmax division's widths (out ≤ 2^s, ρ < S ≤ n·2^s, e·2^s ≈ 2^60) at
    /// their largest. Inputs in [−0.3, 0.3) keep fc's outputs (≈ ±1) inside ±2.
    @Test func everyGadgetProvesAtTheLargestScale() throws {
        let settings = QuantizationSettings(activationScale: 30, parameterScale: 16, activationBits: 32, tableBits: 6)
        var rng = SeededRandomReals(seed: 5)
        let input = (0..<8).map { _ in FixedPoint.quantize(rng.unit() * 0.3, scale: 30)! }
        let m = try ProvedModel(graph: AdversarialModels.gadgets(), name: "adversarial gadgets at 2^30", input: [input], settings: settings)
        let proof = try m.proveHonest()
        try m.verify(proof)
        let description = try #require(ModelDescription(m.vk.metadata))
        for (o, layout) in description.outputs.enumerated() {
            #expect(description.integers(of: layout, publicValues: proof.publicValues) == m.trace.values[m.graph.outputs[o]])
        }
        // Softmax rows sum to 1.0 = 2^30 within the rounding of four divisions.
        let softmax = m.trace.values[m.graph.outputs[m.output("softmax")]]
        for row in 0..<4 { #expect(abs(softmax[(4 * row)..<(4 * row + 4)].reduce(0, +) - (1 << 30)) <= 4) }
    }

    /// Fixed-point.md §1, one step beyond each bound: refused by `validate()`, by the quantizer (compile) and by the settings
    /// file decoder, each time naming the setting and its range.
    @Test(arguments: [
        (QuantizationSettings(activationScale: 16, parameterScale: 16, activationBits: 33), "activationBits 33 not in 8...32"),
        (QuantizationSettings(activationScale: 6, parameterScale: 6, activationBits: 7), "activationBits 7 not in 8...32"),
        (QuantizationSettings(activationScale: 31, parameterScale: 16, activationBits: 32), "activationScale 31 not in 0...30"),
        (QuantizationSettings(activationScale: 7, parameterScale: 6, activationBits: 8), "activationScale 7 not in 0...6"),
        (QuantizationSettings(activationScale: 16, parameterScale: 31, activationBits: 32), "parameterScale 31 not in 0...30"),
    ])
    func settingsBeyondTheLimitsAreRefused(_ settings: QuantizationSettings, _ message: String) throws {
        func requireRefusal(_ body: () throws -> Void) {
            do {
                try body()
                Issue.record("accepted: \(message)")
            } catch let error as QuantizationError {
                #expect("\(error)".contains(message), "\(error)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        requireRefusal { try settings.validate() }
        requireRefusal { _ = try QuantizedModel(try AdversarialModels.small(), settings: settings) }
        requireRefusal { _ = try QuantizationSettings.decode(settings.encoded()) }
        // Through the pipeline `zkinfer compile` runs (the error reaches the user unchanged).
        let onnx = [UInt8](try Data(contentsOf: AdversarialPaths.model("mlp_tiny")))
        requireRefusal { _ = try CircuitFile.compile(onnx: onnx, settings: settings, options: CompileOptions()) }
    }

    /// Fixed-point.md §2 (limbs of L = 8, 7, 6 or 5 bits): limbs of 4 or 9 bits: refused at compile time, naming the choices;
    /// and a circuit file that claims such limbs is refused when read.
    @Test(arguments: [4, 9, 0, 16])
    func limbWidthsBeyondTheChoicesAreRefused(_ bits: Int) throws {
        let onnx = [UInt8](try Data(contentsOf: AdversarialPaths.model("mlp_tiny")))
        for stacked in [false] {
            #expect(throws: CompilerError.invalidOptions("limbs of \(bits) bits; supported: 8, 7, 6, 5")) {
                _ = try CircuitFile.compile(onnx: onnx, settings: .default, options: CompileOptions(stackRangeChecks: stacked, limbBits: bits))
            }
        }
        let (file, _) = try CircuitFile.compile(onnx: onnx, settings: .default, options: CompileOptions(limbBits: 7))
        var header = file.header
        header.limbBits = bits
        do {
            _ = try CircuitFile.decode(CircuitFile(header: header, onnx: onnx).encoded)
            Issue.record("a circuit file with \(bits)-bit limbs was read")
        } catch let error as PipelineError {
            #expect("\(error)".contains("limbBits"), "\(error)")
        }
    }
}
