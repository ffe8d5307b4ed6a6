import ConstraintSystem
import FieldArithmetic
import ModelGraph
import Quantization
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier

/// Issue 17's table functions (docs/fixed-point.md §6c): Erf and Gelu's two gates are `TableGadget` lanes over new
/// fixed columns, and Gelu's product a `ProductGadget` lane. For each new table, a claimed value that is no row of
/// that table (T + 1) fails the table's lookup and its proof is rejected; a genuine row of the table that is not
/// the input's (the next grid point, with its own interpolation) fails the lane's gate; and a Gelu output that is
/// not x·Φ(x) fails the product's identity.
struct TransformerTableCheatTests {
    static let model: ProvedModel = {
        var rng = SeededRandomReals(seed: 17)
        var b = GraphBuilder()
        let x = try! b.addInput("x", shape: [1, 8])
        let fc = try! b.addNode(name: "fc", sourceOp: "Gemm",
                                operation: .linear(Linear(weight: rng.tensor([8, 8], scale: 1.6), bias: rng.tensor([8], scale: 0.3))),
                                inputs: [x], outputName: "fc.out")
        var outputs: [(String, ValueID)] = []
        for (name, op) in [("erf", ActivationOp.erf), ("gate", .normalCDF), ("tanh_gate", .geluTanhGate)] {
            outputs.append((name, try! b.addNode(name: name, sourceOp: "Erf", operation: .activation(op), inputs: [fc], outputName: name + ".out")))
        }
        let gate = try! b.addNode(name: "gelu_gate", sourceOp: "Gelu", operation: .activation(.normalCDF), inputs: [fc], outputName: "gelu_gate.out")
        outputs.append(("gelu", try! b.addNode(name: "gelu", sourceOp: "Gelu", operation: .mul, inputs: [fc, gate], outputName: "gelu.out")))
        for (name, id) in outputs { try! b.markOutput(id, name: name) }
        return try! ProvedModel(graph: try! b.build(), name: "transformer tables", input: [rng.inputs(8, scale: 16)],
                                settings: AdversarialModels.gadgetSettings)
    }()
    var m: ProvedModel { Self.model }

    @Test func honestProofVerifies() throws {
        #expect(try m.failures(try m.honest()).isEmpty)
        try m.verify(try m.proveHonest())
    }

    @Test(arguments: ["erf", "gate", "tanh_gate"])
    func aValueThatIsNoRowOfTheTableIsRejected(_ name: String) throws {
        let g = try m.group(name)
        guard case .table(let gadget) = m.kind(g) else { throw CompilerError.invalidOptions("not a table lane") }
        let index = 2
        let t = try m.laneInputs(g, index)
        var cheat = try m.honest()
        let lane = m.cells(g, index)
        try cheat.set(lane.free[3], row: lane.row, cheat.value(lane.free[3], row: lane.row)! + Fr.one)
        let claimed = m.direct(output: m.output(name), element: index) + 1
        #expect(claimed == gadget.table.lookup(t[3]) + t[4] + 1)
        try m.claim(&cheat, output: m.output(name), element: index, claimed)
        try m.requireCaught(cheat, expected: [m.tableLookup(g, index)])
    }

    @Test(arguments: ["erf", "gate", "tanh_gate"])
    func anotherRowOfTheTableIsRejected(_ name: String) throws {
        let g = try m.group(name)
        guard case .table(let gadget) = m.kind(g) else { throw CompilerError.invalidOptions("not a table lane") }
        let table = gadget.table, k = gadget.shift
        let fraction = try #require(gadget.fraction), quotient = try #require(gadget.quotient)
        let rStart = fraction.cellCount + gadget.low.cellCount + gadget.high.cellCount
        let candidates = try m.lanes(g) { $0[1] == $0[3] && $0[3] < table.maxIndex && table.delta($0[3] + 1) != table.delta($0[3]) }
        let index = try #require(candidates.first)
        let honest = try m.laneInputs(g, index)
        let u = honest[3] + 1
        let (q, r) = FixedPoint.rescale(table.delta(u) * honest[2], shift: k)
        var cheat = try m.honest()
        let lane = m.cells(g, index)
        for (cell, v) in zip(lane.free[2...4], [u, table.lookup(u), table.delta(u)]) { try cheat.set(cell, row: lane.row, v) }
        let cells = fraction.cells(of: UInt64(r)) + quotient.cells(of: UInt64(q + (1 << (gadget.quotientBits - 1))))
        for (i, v) in cells.enumerated() { try cheat.set(lane.limbs[rStart + i], row: lane.row, v) }
        try m.copyStack(&cheat)
        #expect(m.direct(output: m.output(name), element: index) != table.lookup(u) + q)
        try m.claim(&cheat, output: m.output(name), element: index, table.lookup(u) + q)
        try m.requireCaught(cheat, expected: [m.gate(g, index)])
    }

    /// Gelu = x·Φ(x): a product lane claiming a quotient one above R_s(x·Φ) (remainder kept) breaks its identity.
    @Test func geluProductOffByOneIsRejected() throws {
        let g = try m.group("gelu")
        let index = 1
        let honest = try m.laneInputs(g, index)
        var cheat = try m.honest()
        // Trace integers [a, b, q, r] (ProductGadget): q + 1 with r kept.
        #expect(honest[2] == m.direct(output: m.output("gelu"), element: index))
        try m.write(&cheat, g, index, inputs: [honest[0], honest[1], honest[2] + 1, honest[3]])
        try m.copyStack(&cheat)
        try m.claim(&cheat, output: m.output("gelu"), element: index, honest[2] + 1)
        try m.requireCaught(cheat, expected: [m.gate(g, index)])
    }
}
