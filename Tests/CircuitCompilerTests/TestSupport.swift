import ConstraintSystem
import DirectInference
import FieldArithmetic
import Foundation
import ModelGraph
import ONNXImport
import Quantization

@testable import CircuitCompiler

enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let models = ["mlp_tiny", "cnn_small", "mlp_deep", "mlp_mnist"]

    static func model(_ name: String) throws -> ModelGraph {
        try ONNXImporter.load(path: root.appendingPathComponent("circuits/\(name)/model.onnx").path).graph
    }

    static func input(_ name: String, graph: ModelGraph) throws -> ModelInput {
        try InputFile.load(path: root.appendingPathComponent("circuits/\(name)/input.json").path, graph: graph)[0]
    }
}

/// A compiled model with the trace of one input: what every checker test starts from.
struct Compiled {
    let model: QuantizedModel
    let compiled: CompiledCircuit
    let trace: IntegerTrace

    init(_ graph: ModelGraph, input: [[Int64]], settings: QuantizationSettings = .default,
         options: CompileOptions = CompileOptions()) throws {
        model = try QuantizedModel(graph, settings: settings)
        compiled = try CompiledCircuit(model: model, options: options)
        trace = try IntegerInterpreter(model).run(quantizedInputs: input, trace: true)
    }

    init(shared name: String, options: CompileOptions = CompileOptions()) throws {
        let graph = try Repository.model(name)
        let input = try Repository.input(name, graph: graph).quantized(for: graph, settings: .default)
        try self.init(graph, input: input, options: options)
    }

    func witness(rho: Fr = Fr(0x1234_5678_9abc_def1)) throws -> Assignment {
        try compiled.witness(trace: trace, rho: rho)
    }

    func check(_ a: Assignment) -> [ConstraintFailure] { ConstraintChecker.check(compiled.circuit, a) }

    /// The group of the layer named `layer`.
    func group(_ layer: String) -> Int {
        for l in compiled.plan.layers where l.name == layer {
            if case .lanes(let g) = l.role { return g }
        }
        fatalError("no lanes for layer \(layer)")
    }

    /// Rewrites lane `index` of `group` from trace integers `inputs` (limbs and bits by the gadget's own
    /// decomposition), then recomputes the running sum honestly for the tampered cells, as a cheating prover
    /// would: only constraints that really bind the change can fail.
    func tampered(group: Int, index: Int, inputs: [Int64], rho: Fr = Fr(0x1234_5678_9abc_def1),
                  edit: ((inout Assignment, (row: Int, limbs: [AdviceColumn], free: [AdviceColumn])) throws -> Void)? = nil)
        throws -> Assignment
    {
        var a = try compiled.assignment(trace: trace)
        let cells = compiled.cells(group: group, index: index)
        let (limbs, free) = try compiled.plan.groups[group].kind.gadget.witness(inputs)
        for (c, v) in zip(cells.limbs, limbs) { try a.set(c, row: cells.row, v) }
        for (c, v) in zip(cells.free, free) { try a.set(c, row: cells.row, v) }
        try edit?(&a, cells)
        try compiled.assignSum(&a, rho: rho)
        return a
    }

    /// The lane's honest trace integers [q, r].
    func laneInputs(group: Int, index: Int) throws -> [Int64] {
        try compiled.laneInputs(group: group, trace: trace).0(index)
    }
}

extension CompileOptions {
    /// One lookup per 8-bit limb column: the soundness suites name the limb lookup that catches a cheat.
    static let columnRangeChecks = CompileOptions(stackRangeChecks: false, limbBits: 8)
}

extension Array where Element == ConstraintFailure {
    /// "name@row" for gate and lookup failures, sorted; other failures by description.
    var namesAndRows: [String] {
        map { f in f.constraintName.map { "\($0)@\(f.row!)" } ?? f.description }.sorted()
    }
}

/// Deterministic pseudo-random numbers (SplitMix64) for synthetic weights and inputs.
struct SeededRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476C_E5E4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [-1, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) * 2 - 1 }
    mutating func tensor(_ shape: [Int], scale: Double = 1) -> Tensor {
        try! Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in unit() * scale })
    }
}

/// Quantized inputs for a graph: uniform reals in [-2, 2) at scale s.
func randomInputs(_ graph: ModelGraph, seed: UInt64, settings: QuantizationSettings = .default) -> [[Int64]] {
    var rng = SeededRandom(seed: seed)
    return graph.inputs.map { id in
        (0..<graph.values[id].elementCount).map { _ in FixedPoint.quantize(rng.unit() * 2, scale: settings.activationScale)! }
    }
}
