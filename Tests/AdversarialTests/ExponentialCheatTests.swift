import ConstraintSystem
import FieldArithmetic
import ModelGraph
import Quantization
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier

/// The Exp and Log lanes (docs/fixed-point.md §6b) and ReduceMax/ReduceMin on the MaxPool lane (§6c), through the
/// real prover and verifier: an Exp one ulp above the honest output (its shift remainder kept) breaks the lane's
/// identity 2^J·out + r = P·2^e + 2^(J−1); a Log whose mantissa-table value is no row of the table fails the table
/// lookup; a ReduceMax (ReduceMin) claiming an element that is not the largest (smallest) fails one range check
/// per element beyond it; a maximum above every element that is none of them fails the lane's gate; a Sin or Cos
/// value off its table fails the lookup.
struct ExponentialCheatTests {
    static let model: ProvedModel = {
        var rng = SeededRandomReals(seed: 29)
        var b = GraphBuilder()
        let x = try! b.addInput("x", shape: [1, 8])
        let fc = try! b.addNode(name: "fc", sourceOp: "Gemm",
                                operation: .linear(Linear(weight: rng.tensor([8, 8], scale: 0.8), bias: rng.tensor([8], scale: 0.3))),
                                inputs: [x], outputName: "fc.out")
        let exp = try! b.addNode(name: "exp", sourceOp: "Exp", operation: .activation(.exp), inputs: [fc], outputName: "exp.out")
        let relu = try! b.addNode(name: "relu", sourceOp: "Relu", operation: .relu, inputs: [fc], outputName: "relu.out")
        let half = try! b.addConstant("half", Tensor(scalar: 0.5))
        let positive = try! b.addNode(name: "positive", sourceOp: "Add", operation: .add, inputs: [relu, half], outputName: "positive.out")
        let log = try! b.addNode(name: "log", sourceOp: "Log", operation: .activation(.log), inputs: [positive], outputName: "log.out")
        let across = Reduction(axes: [1], keepDims: false, mean: false)
        let rmax = try! b.addNode(name: "rmax", sourceOp: "ReduceMax", operation: .pooling(.reduceExtremum(across, maximum: true)),
                                  inputs: [fc], outputName: "rmax.out")
        let rmin = try! b.addNode(name: "rmin", sourceOp: "ReduceMin", operation: .pooling(.reduceExtremum(across, maximum: false)),
                                  inputs: [fc], outputName: "rmin.out")
        let sin = try! b.addNode(name: "sin", sourceOp: "Sin", operation: .activation(.sin), inputs: [fc], outputName: "sin.out")
        let cos = try! b.addNode(name: "cos", sourceOp: "Cos", operation: .activation(.cos), inputs: [fc], outputName: "cos.out")
        for (name, id) in [("exp", exp), ("log", log), ("rmax", rmax), ("rmin", rmin), ("sin", sin), ("cos", cos)] {
            try! b.markOutput(id, name: name)
        }
        return try! ProvedModel(graph: try! b.build(), name: "exponential", input: [rng.inputs(8, scale: 16)],
                                settings: AdversarialModels.gadgetSettings)
    }()
    var m: ProvedModel { Self.model }

    @Test func honestProofVerifies() throws {
        #expect(try m.failures(try m.honest()).isEmpty)
        try m.verify(try m.proveHonest())
    }

    @Test func expOneUlpAboveIsRejected() throws {
        let g = try m.group("exp")
        guard case .exponential(let gadget) = m.kind(g) else { throw CompilerError.invalidOptions("not an Exp lane") }
        let index = 4
        let honest = m.direct(output: m.output("exp"), element: index)
        var cheat = try m.honest()
        let lane = m.cells(g, index)
        let start = gadget.limbCells - gadget.output.cellCount
        let offset = honest + 1 + (Int64(1) << (gadget.activationBits - 1))
        for (i, v) in gadget.output.cells(of: UInt64(offset)).enumerated() { try cheat.set(lane.limbs[start + i], row: lane.row, v) }
        try m.copyStack(&cheat)
        try m.claim(&cheat, output: m.output("exp"), element: index, honest + 1)
        try m.requireCaught(cheat, expected: [m.gate(g, index)])
    }

    @Test func logWithAValueThatIsNoRowOfTheTableIsRejected() throws {
        let g = try m.group("log")
        guard case .logarithm = m.kind(g) else { throw CompilerError.invalidOptions("not a Log lane") }
        let index = 2
        var cheat = try m.honest()
        let lane = m.cells(g, index)
        // free[2] is T, the table value of the mantissa's grid point: one above it, the output one ulp above.
        try cheat.set(lane.free[2], row: lane.row, cheat.value(lane.free[2], row: lane.row)! + Fr.one)
        try m.copyStack(&cheat)
        try m.claim(&cheat, output: m.output("log"), element: index, m.direct(output: m.output("log"), element: index) + 1)
        try m.requireCaught(cheat, expected: [m.tableLookup(g, index)])
    }

    /// Sin and Cos (`SineGadget`): a value one above the table's row (the output one ulp above) fails the lookup.
    @Test(arguments: ["sin", "cos"])
    func sineWithAValueThatIsNoRowOfTheTableIsRejected(_ name: String) throws {
        let g = try m.group(name)
        guard case .sine = m.kind(g) else { throw CompilerError.invalidOptions("not a Sin/Cos lane") }
        let index = 3
        var cheat = try m.honest()
        let lane = m.cells(g, index)
        // free[3] is T.
        try cheat.set(lane.free[3], row: lane.row, cheat.value(lane.free[3], row: lane.row)! + Fr.one)
        try m.copyStack(&cheat)
        try m.claim(&cheat, output: m.output(name), element: index, m.direct(output: m.output(name), element: index) + 1)
        try m.requireCaught(cheat, expected: [m.tableLookup(g, index)])
    }

    /// ReduceMax claiming its group's second largest element, ReduceMin its second smallest.
    @Test(arguments: [("rmax", true), ("rmin", false)])
    func selectingANonExtremumIsRejected(_ name: String, _ maximum: Bool) throws {
        let g = try m.group(name)
        guard case .maxPool(let gadget) = m.kind(g) else { throw CompilerError.invalidOptions("not a MaxPool lane") }
        #expect(gadget.minimum == !maximum)
        let honest = try m.laneInputs(g, 0)
        let group = Array(honest[1...])
        let sorted = Set(group).sorted(by: maximum ? (>) : (<))
        let claimed = sorted[1]
        let width = gadget.difference.cellCount
        var a = try m.honest()
        let lane = m.cells(g, 0)
        var expected: [String] = []
        try a.set(lane.free[0], row: lane.row, claimed)
        var chosen = false
        for (j, x) in group.enumerated() {
            let pick = x == claimed && !chosen
            chosen = chosen || pick
            try a.set(lane.free[1 + j], row: lane.row, pick ? Fr.one : Fr.zero)
            let d = maximum ? claimed - x : x - claimed
            // A difference in range gets its limbs; a negative one (an element beyond the claim) sits in the first
            // limb as a field element no range check holds.
            let cells = d >= 0 ? gadget.difference.cells(of: UInt64(d)) : [d] + [Int64](repeating: 0, count: width - 1)
            for (i, v) in cells.enumerated() { try a.set(lane.limbs[j * width + i], row: lane.row, v) }
            if d < 0 { expected.append(m.rangeLookup(g, 0, cell: j * width)) }
        }
        try m.copyStack(&a)
        try m.claim(&a, output: m.output(name), element: 0, claimed)
        #expect(!expected.isEmpty)
        try m.requireCaught(a, expected: expected)
    }

    /// A maximum one above the largest element: every difference is in range, but the selected element's is 1.
    @Test func aMaximumThatIsNoElementIsRejected() throws {
        let g = try m.group("rmax")
        guard case .maxPool(let gadget) = m.kind(g) else { throw CompilerError.invalidOptions("not a MaxPool lane") }
        let honest = try m.laneInputs(g, 0)
        let group = Array(honest[1...])
        let claimed = group.max()! + 1
        let width = gadget.difference.cellCount
        var a = try m.honest()
        let lane = m.cells(g, 0)
        try a.set(lane.free[0], row: lane.row, claimed)
        let top = group.firstIndex(of: group.max()!)!
        for (j, x) in group.enumerated() {
            try a.set(lane.free[1 + j], row: lane.row, j == top ? Fr.one : Fr.zero)
            for (i, v) in gadget.difference.cells(of: UInt64(claimed - x)).enumerated() {
                try a.set(lane.limbs[j * width + i], row: lane.row, v)
            }
        }
        try m.copyStack(&a)
        try m.claim(&a, output: m.output("rmax"), element: 0, claimed)
        try m.requireCaught(a, expected: [m.gate(g, 0)])
    }
}
