import ConstraintSystem
import FieldArithmetic
import ModelGraph
import Quantization
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier

/// The piecewise-constant gadgets of docs/fixed-point.md §5b (`StepGadget`, `ArgExtremumGadget`) and the constant
/// Pad's fill, one end-to-end cheat each as in `GadgetCheatTests`: the fewest cells changed so that the lane
/// claims a different output while it still receives what the fold gives it; the checker names exactly the gate
/// or lookup the gadget relies on, and the proof made without the checker is rejected by the verifier.
struct StepGadgetCheatTests {
    /// x [1, 8] → fc (8 → 8) = h. Outputs: greater = h > 0.25, less = h < x, equal = (Floor(h) = 0),
    /// not = Not(greater), and = greater ∧ less, or, xor, floor, ceil, round, sign of h, argmax of h (first index),
    /// argmin of Sign(h) as [2, 4] (last index: Sign makes ties), pad = Pad(h, 1 each side, fill 0.5).
    static let model: ProvedModel = {
        var rng = SeededRandomReals(seed: 61)
        var b = GraphBuilder()
        let x = try! b.addInput("x", shape: [1, 8])
        let fc = try! b.addNode(name: "fc", sourceOp: "Gemm",
                                operation: .linear(try! Linear(weight: rng.tensor([8, 8], scale: 1.6), bias: rng.tensor([8], scale: 0.5))),
                                inputs: [x], outputName: "fc.out")
        var outputs: [(String, ValueID)] = []
        func add(_ name: String, _ op: LayerOperation, _ inputs: [ValueID], output: Bool = true) -> ValueID {
            let id = try! b.addNode(name: name, sourceOp: name, operation: op, inputs: inputs, outputName: name + ".out")
            if output { outputs.append((name, id)) }
            return id
        }
        let quarter = try! b.addConstant("quarter", Tensor(scalar: 0.25)), zero = try! b.addConstant("zero", Tensor(scalar: 0))
        // The cheats' lanes are read by nothing but their output (a lane read downstream would also break the
        // fold): the logic, Equal and ArgMin read copies.
        _ = add("greater", .comparison(.compare(.greater)), [fc, quarter])
        let greater = add("greater_in", .comparison(.compare(.greater)), [fc, quarter], output: false)
        let less = add("less", .comparison(.compare(.less)), [fc, x])
        _ = add("floor", .comparison(.rounding(.floor)), [fc])
        let floor = add("floor_in", .comparison(.rounding(.floor)), [fc], output: false)
        _ = add("equal", .comparison(.compare(.equal)), [floor, zero])
        _ = add("not", .comparison(.not), [greater])
        _ = add("and", .comparison(.logical(.and)), [greater, less])
        _ = add("or", .comparison(.logical(.or)), [greater, less])
        _ = add("xor", .comparison(.logical(.xor)), [greater, less])
        _ = add("ceil", .comparison(.rounding(.ceil)), [fc])
        _ = add("round", .comparison(.rounding(.round)), [fc])
        _ = add("sign", .comparison(.rounding(.sign)), [fc])
        let sign = add("sign_in", .comparison(.rounding(.sign)), [fc], output: false)
        _ = add("argmax", .comparison(.argExtremum(axis: 1, keepDims: false, lastIndex: false, maximum: true)), [fc])
        let rows = add("rows", .reshape([2, 4]), [sign], output: false)
        _ = add("argmin", .comparison(.argExtremum(axis: 1, keepDims: true, lastIndex: true, maximum: false)), [rows])
        let fill = try! AxisGather(kind: "Pad", inputShape: [1, 8], maps: [[0], [-1] + Array(0..<8) + [-1]], fill: 0.5)
        _ = add("pad", .movement(.gatherAxes(fill)), [fc])
        for (name, id) in outputs { try! b.markOutput(id, name: name) }
        return try! ProvedModel(graph: try! b.build(), name: "step gadgets", input: [rng.inputs(8, scale: 16)],
                                settings: AdversarialModels.gadgetSettings)
    }()
    var m: ProvedModel { Self.model }

    func step(_ layer: String) throws -> (group: Int, gadget: StepGadget) {
        let g = try m.group(layer)
        guard case .step(let gadget) = m.kind(g) else { throw CompilerError.invalidOptions("\(layer): not a step lane") }
        return (g, gadget)
    }

    /// The isZero cheats' shape: in the first `layer` lane whose inputs pass `select`, free cell `cell` is set to
    /// `value` and the output claimed as `claimed(x)` (x the lane's first input), which must differ from the
    /// direct path's; the lane's own gate must catch it. Returns the lane.
    @discardableResult
    func requireGateCatches(_ layer: String, settingFreeCell cell: Int, to value: Fr, claiming claimed: (Int64) -> Int64,
                            where select: ([Int64]) -> Bool) throws -> Int {
        let (g, _) = try step(layer)
        let index = try #require(try m.lanes(g) { select($0) }.first)
        let claim = claimed(try m.laneInputs(g, index)[0])
        var a = try m.honest()
        let lane = m.cells(g, index)
        try a.set(lane.free[cell], row: lane.row, value)
        try m.copyStack(&a)
        #expect(m.direct(output: m.output(layer), element: index) != claim)
        try m.claim(&a, output: m.output(layer), element: index, claim)
        try m.requireCaught(a, expected: [m.gate(g, index)])
        return index
    }

    /// The baseline: the honest proof verifies and its public outputs are the direct path's integers (the proof
    /// carries `zkinfer run`'s answer for every gadget), and the trace has what the cheats need.
    @Test func honestProofVerifiesWithTheDirectOutputs() throws {
        try m.expectHonestProofCarriesTheDirectOutputs()
        let greater = m.trace.values[m.graph.outputs[m.output("greater")]]
        #expect(greater.contains(0) && greater.contains(1))
    }

    /// Greater: a lane whose h ≤ 0.25 (s = 0) claims 1. With s = 1 the split must hold d − 1 < 0 as its
    /// magnitude, which no limbs hold.
    @Test func comparisonClaimingTrueIsRejected() throws {
        let (g, gadget) = try step("greater")
        let index = try #require(try m.lanes(g) { $0[0] < 0 }.first)
        let d = try m.laneInputs(g, index)[0]
        guard case .atLeast(let offset) = gadget.mode else { throw CompilerError.invalidOptions("not a comparison") }
        var a = try m.honest()
        let lane = m.cells(g, index)
        try a.set(lane.free[0], row: lane.row, Fr.one)
        try a.set(lane.limbs[0], row: lane.row, d - offset)
        for l in 1..<lane.limbs.count { try a.set(lane.limbs[l], row: lane.row, Fr.zero) }
        try m.copyStack(&a)
        try m.claim(&a, output: m.output("greater"), element: index, 1)
        #expect(m.direct(output: m.output("greater"), element: index) == 0)
        try m.requireCaught(a, expected: [m.rangeLookup(g, index, cell: 0)])
    }

    /// Not (the isZero cells): a lane whose input is 0 claims 0 — then d·i + z − 1 = −1 whatever the inverse.
    @Test func notClaimingFalseOfZeroIsRejected() throws {
        try requireGateCatches("not", settingFreeCell: 2, to: .zero, claiming: { _ in 0 }) { $0[0] == 0 }
    }

    /// And: a lane with a false operand claims true by calling that operand non-zero (z_a = 0).
    @Test func andClaimingTrueIsRejected() throws {
        let index = try requireGateCatches("and", settingFreeCell: 2, to: .zero, claiming: { _ in 1 }) { $0[0] == 0 && $0[1] != 0 }
        #expect(m.direct(output: m.output("and"), element: index) == 0)
    }

    /// Floor one unit up: q + 1 with the remainder r − 2^s (the same x received), which is negative.
    @Test func floorOneUnitUpIsRejected() throws {
        let (g, gadget) = try step("floor")
        let index = 2
        let x = try m.laneInputs(g, index)[0], s = gadget.scale
        let q = x >> s, r = x - (q << s)
        var a = try m.honest()
        let lane = m.cells(g, index)
        let cells = [r - (1 << s)] + [Int64](repeating: 0, count: gadget.remainder.cellCount - 1)
            + gadget.quotient.cells(of: UInt64(q + 1 + gadget.quotientOffset))
        for (cell, v) in zip(lane.limbs, cells) { try a.set(cell, row: lane.row, v) }
        try m.copyStack(&a)
        try m.claim(&a, output: m.output("floor"), element: index, (q + 1) << s)
        try m.requireCaught(a, expected: [m.rangeLookup(g, index, cell: 0)])
    }

    /// Round claiming a tie where there is none: z = 1 with r ≠ 0 steps an odd quotient back by one.
    @Test func roundFakeTieIsRejected() throws {
        let s = try step("round").gadget.scale
        try requireGateCatches("round", settingFreeCell: 2, to: .one, claiming: { x in (((x + (1 << (s - 1))) >> s) - 1) << s }) { v in
            let shifted = v[0] + (1 << (s - 1))
            return (shifted >> s) & 1 == 1 && shifted & ((1 << s) - 1) != 0
        }
    }

    /// Sign of a non-zero value claimed 0: z = 1 with v ≠ 0 breaks v·z = 0.
    @Test func signClaimingZeroIsRejected() throws {
        try requireGateCatches("sign", settingFreeCell: 2, to: .one, claiming: { _ in 0 }) { $0[0] > 0 }
    }

    /// ArgMax claiming the runner-up: the best element's gap m − x_best is negative, which its limbs cannot hold.
    @Test func argMaxClaimingTheRunnerUpIsRejected() throws {
        let g = try m.group("argmax")
        guard case .argExtremum(let gadget) = m.kind(g) else { throw CompilerError.invalidOptions("not an ArgMax lane") }
        let xs = Array(try m.laneInputs(g, 0)[1...])
        let best = Int(try m.laneInputs(g, 0)[0])
        let order = (0..<xs.count).sorted { xs[$0] > xs[$1] }
        let runnerUp = order[1]
        try #require(xs[best] > xs[runnerUp] && order[0] == best)
        var a = try m.honest()
        let lane = m.cells(g, 0)
        let width = gadget.difference.cellCount
        try a.set(lane.free[0], row: lane.row, xs[runnerUp])
        for j in 0..<xs.count {
            try a.set(lane.free[1 + j], row: lane.row, j == runnerUp ? Fr.one : Fr.zero)
            let strict: Int64 = j < runnerUp ? 1 : 0
            let gap = xs[runnerUp] - xs[j] - strict
            let cells = gap >= 0 ? gadget.difference.cells(of: UInt64(gap)) : [gap] + [Int64](repeating: 0, count: width - 1)
            for (i, v) in cells.enumerated() { try a.set(lane.limbs[j * width + i], row: lane.row, v) }
        }
        try m.copyStack(&a)
        try m.claim(&a, output: m.output("argmax"), element: 0, Int64(runnerUp))
        try m.requireCaught(a, expected: [m.rangeLookup(g, 0, cell: best * width)])
    }

    /// ArgMin with select_last_index over a row with a tie: claiming the first of the tied minima leaves a later
    /// equal element, whose gap must then be ≥ 1: its cell holds −1.
    @Test func argMinTieBrokenTheWrongWayIsRejected() throws {
        let g = try m.group("argmin")
        guard case .argExtremum(let gadget) = m.kind(g) else { throw CompilerError.invalidOptions("not an ArgMin lane") }
        let row = try #require(try m.lanes(g) { lane in
            let xs = Array(lane[1...]), low = xs.min()!
            return xs.filter { $0 == low }.count >= 2
        }.first)
        let inputs = try m.laneInputs(g, row)
        let xs = Array(inputs[1...]), low = xs.min()!
        let first = xs.firstIndex(of: low)!, last = Int(inputs[0])
        #expect(last == xs.lastIndex(of: low)!)
        var a = try m.honest()
        let lane = m.cells(g, row)
        let width = gadget.difference.cellCount
        for j in 0..<xs.count {
            try a.set(lane.free[1 + j], row: lane.row, j == first ? Fr.one : Fr.zero)
            let strict: Int64 = j > first ? 1 : 0
            let gap = xs[j] - low - strict
            let cells = gap >= 0 ? gadget.difference.cells(of: UInt64(gap)) : [gap] + [Int64](repeating: 0, count: width - 1)
            for (i, v) in cells.enumerated() { try a.set(lane.limbs[j * width + i], row: lane.row, v) }
        }
        try m.copyStack(&a)
        try m.claim(&a, output: m.output("argmin"), element: row, Int64(first))
        let tied = (0..<xs.count).filter { $0 > first && xs[$0] == low }
        try m.requireCaught(a, expected: tied.map { m.rangeLookup(g, row, cell: $0 * width) })
    }

    /// A constant Pad's fill is a constant of the output's equation (fixed by the key): another fill claimed at a
    /// padded position breaks the fold.
    @Test func padWithAnotherFillIsRejected() throws {
        var a = try m.honest()
        let out = m.output("pad")
        let fill = try #require(FixedPoint.quantize(0.5, scale: m.model.settings.activationScale))
        #expect(m.direct(output: out, element: 0) == fill)
        try m.claim(&a, output: out, element: 0, fill + 1)
        try m.requireCaught(a, expected: [m.close])
    }
}
