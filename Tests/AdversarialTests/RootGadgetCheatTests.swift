import ConstraintSystem
import FieldArithmetic
import ModelGraph
import Quantization
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier

/// The Reciprocal and Sqrt lanes (docs/fixed-point.md §6a; LayerNormalization's σ and 1/σ): a claimed quotient or
/// root one above the honest one, with the lane's other cells kept, breaks the lane's identity (2^2s + ⌊x/2⌋ =
/// y·x + ρ, resp. the window y² − y + 1 ≤ x·2^s ≤ y² + y); the checker names that gate and the proof is rejected.
struct RootGadgetCheatTests {
    static let model: ProvedModel = {
        var rng = SeededRandomReals(seed: 23)
        var b = GraphBuilder()
        let x = try! b.addInput("x", shape: [1, 8])
        let fc = try! b.addNode(name: "fc", sourceOp: "Gemm",
                                operation: .linear(Linear(weight: rng.tensor([8, 8], scale: 1.6), bias: rng.tensor([8], scale: 0.3))),
                                inputs: [x], outputName: "fc.out")
        let relu = try! b.addNode(name: "relu", sourceOp: "Relu", operation: .relu, inputs: [fc], outputName: "relu.out")
        let half = try! b.addConstant("half", Tensor(scalar: 0.5))
        let positive = try! b.addNode(name: "positive", sourceOp: "Add", operation: .add, inputs: [relu, half], outputName: "positive.out")
        let root = try! b.addNode(name: "sqrt", sourceOp: "Sqrt", operation: .activation(.sqrt), inputs: [positive], outputName: "sqrt.out")
        let inverse = try! b.addNode(name: "reciprocal", sourceOp: "Reciprocal", operation: .activation(.reciprocal), inputs: [positive],
                                     outputName: "reciprocal.out")
        try! b.markOutput(root, name: "sqrt")
        try! b.markOutput(inverse, name: "reciprocal")
        return try! ProvedModel(graph: try! b.build(), name: "roots", input: [rng.inputs(8, scale: 16)],
                                settings: AdversarialModels.gadgetSettings)
    }()
    var m: ProvedModel { Self.model }

    @Test func honestProofVerifies() throws {
        #expect(try m.failures(try m.honest()).isEmpty)
        try m.verify(try m.proveHonest())
    }

    @Test func reciprocalOneAboveIsRejected() throws {
        let g = try m.group("reciprocal")
        guard case .reciprocal(let gadget) = m.kind(g) else { throw CompilerError.invalidOptions("not a reciprocal lane") }
        let index = 3
        let honest = try m.laneInputs(g, index)
        var cheat = try m.honest()
        let lane = m.cells(g, index)
        for (i, v) in gadget.part.cells(of: UInt64(honest[1] + 1)).enumerated() { try cheat.set(lane.limbs[i], row: lane.row, v) }
        try m.copyStack(&cheat)
        try m.claim(&cheat, output: m.output("reciprocal"), element: index, honest[1] + 1)
        try m.requireCaught(cheat, expected: [m.gate(g, index)])
    }

    @Test func squareRootOneAboveIsRejected() throws {
        let g = try m.group("sqrt")
        guard case .squareRoot(let gadget) = m.kind(g) else { throw CompilerError.invalidOptions("not a sqrt lane") }
        let index = 5
        let honest = try m.laneInputs(g, index)
        var cheat = try m.honest()
        let lane = m.cells(g, index)
        // The root cells hold y − 1: write y (a claimed root of y + 1), the slacks kept.
        for (i, v) in gadget.root.cells(of: UInt64(honest[1])).enumerated() { try cheat.set(lane.limbs[i], row: lane.row, v) }
        try m.copyStack(&cheat)
        try m.claim(&cheat, output: m.output("sqrt"), element: index, honest[1] + 1)
        try m.requireCaught(cheat, expected: [m.gate(g, index)])
    }
}
