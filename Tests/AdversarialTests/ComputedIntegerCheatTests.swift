import ConstraintSystem
import DirectInference
import FieldArithmetic
import Foundation
import ModelGraph
import ONNXImport
import Quantization
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier

/// The integer lanes whose second operand is computed (`IntegerGadget+Computed.swift`, docs/fixed-point.md §5d) and
/// ArgMax over a row longer than one lane (§5b), one end-to-end cheat each as in `IntegerGadgetCheatTests`: the
/// fewest cells changed so that the lane claims another output while it still receives what the fold gives it; the
/// checker names exactly the gate or lookup the gadget relies on, and the proof made without it is rejected.
struct ComputedIntegerCheatTests {
    static let int8 = NumberFormat.integer(bits: 8, signed: true)
    static let dividends: [Int64] = [100, -100, 77, -3, 127, -128, 5, 64]
    static let divisors: [Int64] = [3, -3, 7, 2, -5, 9, 6, -7]
    static let amounts: [Int64] = [1, 0, 3, 7, 8, -1, 2, 4]

    /// a, d, s int8 [1, 8], all inputs: div = a / d, mod = Mod(a, d) (fmod = 0), fmod = Mod(a, d) (fmod = 1),
    /// shl = a << s, shr = a >> s (amounts 8 and −1 out of range).
    static let model: ProvedModel = {
        var b = GraphBuilder()
        let a = try! b.addInput("a", shape: [1, 8], isInteger: true)
        let d = try! b.addInput("d", shape: [1, 8], isInteger: true)
        let s = try! b.addInput("s", shape: [1, 8], isInteger: true)
        for (name, op, amount) in [("div", IntegerArithmetic.div, false), ("mod", .mod, false), ("fmod", .fmod, false),
                                   ("shl", .shiftLeft, true), ("shr", .shiftRight, true)] {
            let id = try! b.addNode(name: name, sourceOp: name, operation: .indexing(.integer(op, wrap: int8)),
                                    inputs: [a, amount ? s : d], outputName: name + ".out")
            try! b.markOutput(id, name: name)
        }
        return try! ProvedModel(graph: try! b.build(), name: "computed integer operands", input: [dividends, divisors, amounts])
    }()
    var m: ProvedModel { Self.model }

    func integer(_ layer: String, in model: ProvedModel? = nil) throws -> (group: Int, gadget: IntegerGadget) {
        try (model ?? m).integerLane(layer)
    }

    /// Pads a deliberately out-of-range first limb with zero limbs to a decomposition's width.
    func badCells(_ first: Int64, _ d: LimbDecomposition) -> [Int64] { [first] + [Int64](repeating: 0, count: d.cellCount - 1) }

    @Test func honestProofVerifiesWithTheDirectOutputs() throws {
        try m.expectHonestProofCarriesTheDirectOutputs()
        func out(_ name: String) -> [Int64] { m.trace.values[m.graph.outputs[m.output(name)]] }
        func int8(_ v: Int64) -> Int64 { Int64(Int8(truncatingIfNeeded: v)) }
        let (x, d, s) = (Self.dividends, Self.divisors, Self.amounts)
        #expect(out("div") == x.indices.map { x[$0] / d[$0] })
        #expect(out("fmod") == x.indices.map { x[$0] % d[$0] })
        #expect(out("mod") == x.indices.map { i in
            let r = x[i] % d[i]
            return r != 0 && (r < 0) != (d[i] < 0) ? r + d[i] : r
        })
        #expect(out("shl") == x.indices.map { s[$0] < 0 || s[$0] >= 8 ? 0 : int8(x[$0] << s[$0]) })
        #expect(out("shr") == x.indices.map { s[$0] < 0 || s[$0] >= 8 ? (x[$0] < 0 ? -1 : 0) : x[$0] >> s[$0] })
    }

    /// Div one step away from zero for a negative dividend: ρ = |r| + |d| keeps a − D·q − r = 0, so the gap
    /// |d| − 1 − ρ is negative, which no limbs hold.
    @Test func divisionClaimingTheFloorIsRejected() throws {
        let (g, gadget) = try integer("div")
        let index = try #require(try m.lanes(g) { $0[0] < 0 && $0[0] % $0[1] != 0 }.first)
        let inputs = try m.laneInputs(g, index)
        let (a, d) = (inputs[0], inputs[1])
        let q = a / d, r = a % d
        let rho = r.magnitude + d.magnitude, gap = Int64(d.magnitude) - 1 - Int64(rho), cheat = q + d.signum()
        var assignment = try m.honest()
        let width = gadget.magnitude.cellCount
        let cells = gadget.magnitude.cells(of: rho) + badCells(gap, gadget.magnitude)
            + gadget.magnitude.cells(of: UInt64(cheat + (1 << Int64(gadget.width))))
        try m.setLimbs(&assignment, g, index, cells, first: 2 * width)
        try m.copyStack(&assignment)
        try m.claim(&assignment, output: m.output("div"), element: index, cheat)
        #expect(m.direct(output: m.output("div"), element: index) == q)
        try m.requireCaught(assignment, expected: [m.rangeLookup(g, index, cell: 3 * width)])
    }

    /// Mod (fmod = 1) with a remainder of the wrong sign: q + 1 for 100 / 3 leaves r = −2 where a ≥ 0 makes
    /// r = ρ, so ρ = −2, which its limbs cannot hold.
    @Test func remainderOfTheWrongSignIsRejected() throws {
        let (g, gadget) = try integer("fmod")
        let index = try #require(try m.lanes(g) { $0[0] > 0 && $0[1] > 0 && $0[0] % $0[1] != 0 }.first)
        let inputs = try m.laneInputs(g, index)
        let (a, d) = (inputs[0], inputs[1])
        let q = a / d + 1, r = a - d * q
        #expect(r < 0)
        var assignment = try m.honest()
        let width = gadget.magnitude.cellCount
        let cells = badCells(r, gadget.magnitude) + gadget.magnitude.cells(of: UInt64(d - 1 - r))
            + gadget.magnitude.cells(of: UInt64(q + (1 << Int64(gadget.width))))
        try m.setLimbs(&assignment, g, index, cells, first: 2 * width)
        try m.copyStack(&assignment)
        try m.claim(&assignment, output: m.output("fmod"), element: index, r)
        #expect(m.direct(output: m.output("fmod"), element: index) != r)
        try m.requireCaught(assignment, expected: [m.rangeLookup(g, index, cell: 2 * width)])
    }

    /// Mod (fmod = 0) claiming C's remainder where Python's differs (k = 0 where r ≠ 0 and the signs differ).
    @Test func modSkippingTheDivisorsSignIsRejected() throws { try m.requireModIgnoringTheDivisorsSignCaught() }

    /// A zero divisor has no witness (|D| − 1 = ρ + g ≥ 0), and the direct path refuses it too.
    @Test func aZeroDivisorHasNoWitness() throws {
        let (_, gadget) = try integer("div")
        #expect(throws: CompilerError.self) { try gadget.fieldWitness([5, 0]) }
        var divisors = Self.divisors
        divisors[3] = 0
        #expect(throws: (any Error).self) { try m.with(input: [Self.dividends, divisors, Self.amounts]) }
    }

    /// BitShift LEFT by a computed amount claiming another amount's power: the bits (and the chain, P and the
    /// wrapped product) of b + 1 while the amount cell keeps b, so ι·(b − Σ 2^i·β_i) ≠ 0.
    @Test func shiftClaimingAnotherAmountsPowerIsRejected() throws {
        let (g, gadget) = try integer("shl")
        let index = try #require(try m.lanes(g) { $0[1] >= 0 && $0[1] < 7 }.first)
        let inputs = try m.laneInputs(g, index)
        let other = [inputs[0], inputs[1] + 1]
        let honest = try gadget.fieldWitness(inputs), cheat = try gadget.fieldWitness(other)
        var assignment = try m.honest()
        let lane = m.cells(g, index)
        let amountLimbs = 2 * gadget.amountSplit.cellCount
        for (i, v) in cheat.limbs.enumerated() { try assignment.set(lane.limbs[i], row: lane.row, i < amountLimbs ? honest.limbs[i] : v) }
        for (i, v) in cheat.free.enumerated() { try assignment.set(lane.free[i], row: lane.row, i < 4 ? honest.free[i] : v) }
        try m.copyStack(&assignment)
        let claimed = gadget.producedValue(other)
        #expect(m.direct(output: m.output("shl"), element: index) != claimed)
        try m.claim(&assignment, output: m.output("shl"), element: index, claimed)
        try m.requireCaught(assignment, expected: [m.gate(g, index)])
    }

    /// BitShift LEFT claiming 0 for an in-range amount: ι = 0 and P = 0 (so x = 0), which ι = σ₁·σ₂ forbids.
    @Test func leftShiftClaimingZeroInRangeIsRejected() throws {
        let (g, gadget) = try integer("shl")
        let index = try #require(try m.lanes(g) { $0[1] >= 0 && $0[1] < 8 && $0[0] != 0 && ($0[0] << $0[1]) & 0xff != 0 }.first)
        var assignment = try m.honest()
        let lane = m.cells(g, index), k = gadget.amountBitCount
        try assignment.set(lane.free[3], row: lane.row, Fr.zero)
        try assignment.set(lane.free[4 + 2 * k - 1], row: lane.row, Fr.zero)
        try assignment.set(lane.free[4 + 2 * k + 1], row: lane.row, Fr.zero)
        try m.setLimbs(&assignment, g, index, gadget.low.cells(of: 0) + gadget.high.cells(of: UInt64(gadget.highOffset)),
                     first: 2 * gadget.amountSplit.cellCount)
        try m.copyStack(&assignment)
        #expect(m.direct(output: m.output("shl"), element: index) != 0)
        try m.claim(&assignment, output: m.output("shl"), element: index, 0)
        try m.requireCaught(assignment, expected: [m.gate(g, index)])
    }

    /// BitShift RIGHT by a computed amount one unit up: q + 1 with the remainder r − P (the same P·q + r
    /// received), which is negative.
    @Test func shiftRightOneUnitUpIsRejected() throws {
        let (g, gadget) = try integer("shr")
        let index = try #require(try m.lanes(g) { $0[1] > 0 && $0[1] < 8 }.first)
        let inputs = try m.laneInputs(g, index)
        let (a, b) = (inputs[0], inputs[1])
        let power = Int64(1) << b, q = a >> b, r = a - q * power
        var assignment = try m.honest()
        let cells = badCells(r - power, gadget.shiftRemainder) + gadget.shiftRemainder.cells(of: UInt64(2 * power - 1 - r))
            + gadget.high.cells(of: UInt64(q + 1 + gadget.highOffset))
        let first = 2 * gadget.amountSplit.cellCount
        try m.setLimbs(&assignment, g, index, cells, first: first)
        try m.copyStack(&assignment)
        try m.claim(&assignment, output: m.output("shr"), element: index, q + 1)
        #expect(m.direct(output: m.output("shr"), element: index) == q)
        try m.requireCaught(assignment, expected: [m.rangeLookup(g, index, cell: first)])
    }

    /// uint64 x << s by computed amounts up to 63: 2^63 fits the lane's power cell (a field element), so 0 << 63
    /// proves (it trapped the witness builder once, on an Int64 2^63); 1 << 63 leaves the 62-bit range and is refused.
    @Test func wideLeftShiftByUpTo63Proves() throws {
        var b = GraphBuilder()
        let x = try b.addInput("x", shape: [1, 4], isInteger: true), s = try b.addInput("s", shape: [1, 4], isInteger: true)
        let id = try b.addNode(name: "shl", sourceOp: "BitShift", operation: .indexing(.integer(.shiftLeft, wrap: .integer(bits: 64, signed: false))),
                               inputs: [x, s], outputName: "shl.out")
        try b.markOutput(id, name: "shl")
        let wide = try ProvedModel(graph: try b.build(), name: "wide shift", input: [[0, 1, 0, 3], [63, 5, 62, 7]])
        try wide.expectHonestProofCarriesTheDirectOutputs()
        #expect(wide.trace.values[wide.graph.outputs[0]] == [0, 32, 0, 384])
        let (_, gadget) = try integer("shl", in: wide)
        #expect(throws: CompilerError.self) { try gadget.fieldWitness([1, 63]) }
    }

    /// x real [1, 4] → Cast to int8: 300.0 and −129.0 are outside int8, so the kernel gives 0.
    static let narrowing: ProvedModel = {
        var b = GraphBuilder()
        let x = try! b.addInput("x", shape: [1, 4])
        let id = try! b.addNode(name: "int8", sourceOp: "Cast", operation: .indexing(.cast(to: int8, fromInteger: false)),
                                inputs: [x], outputName: "int8.out")
        try! b.markOutput(id, name: "int8")
        let unit: Int64 = 1 << 16
        return try! ProvedModel(graph: try! b.build(), name: "narrowing cast", input: [[5 * unit / 2, 300 * unit, -129 * unit, -unit - 1]])
    }()

    /// The honest proof carries 0 outside the range; a lane claiming the truncation 300 (ι = 1) breaks ι = σ₁·σ₂.
    @Test func narrowCastClaimingTheOutOfRangeTruncationIsRejected() throws {
        let t = Self.narrowing
        try t.expectHonestProofCarriesTheDirectOutputs()
        #expect(t.trace.values[t.graph.outputs[0]] == [2, 0, 0, -1])
        let (g, _) = try integer("int8", in: t)
        let index = 1
        var assignment = try t.honest()
        let lane = t.cells(g, index)
        try assignment.set(lane.free[6], row: lane.row, Fr.one)
        try t.copyStack(&assignment)
        try t.claim(&assignment, output: 0, element: index, 300)
        try t.requireCaught(assignment, expected: [t.gate(g, index)])
    }

    // MARK: ArgMax over a long row

    /// long_argmax_net (bench/vectors/make_onnx_long_argmax.py): ArgMax and ArgMin (select_last_index) over 40
    /// elements, 3 chunks of 14, the maximum tied between chunk 0 and chunk 2.
    static let longRow: ProvedModel = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DirectInferenceTests/Vectors/exponential")
        let graph = try! ONNXImporter.load(path: folder.appendingPathComponent("long_argmax_net.onnx").path).graph
        let input = try! InputFile.load(path: folder.appendingPathComponent("long_argmax_net.input.json").path, graph: graph)[0]
        return try! ProvedModel(graph: graph, name: "long_argmax_net", input: try! input.quantized(for: graph, settings: .default))
    }()

    /// The honest proof carries onnxruntime's indices (2: the first of the tied maxima; 20: the last minimum).
    @Test func longRowHonestProofCarriesOnnxruntimesIndices() throws {
        let l = Self.longRow
        try l.expectHonestProofCarriesTheDirectOutputs()
        #expect(l.trace.values[l.graph.outputs[0]] == [2])
        #expect(l.trace.values[l.graph.outputs[1]] == [20])
    }

    /// ArgMax claiming the tying element of a later chunk (30 instead of 2): the chunk-level ArgMax lane picks
    /// chunk 2, and every lane after it (Equal, Mul, Add) is the honest one for that pick (taken from the honest
    /// witness of an input where element 30 is one unit larger, whose chunk indices are the same). Only the
    /// chunk lane's tie rule can object: chunk 0's maximum equals the pick but comes first, so its gap is −1.
    @Test func longRowArgMaxClaimingALaterChunksTieIsRejected() throws {
        let l = Self.longRow
        var raised = l.trace.values[l.graph.inputs[0]]
        raised[30] += 1
        let other = try l.with(input: [raised])
        var assignment = try l.honest()
        let later = try other.honest()
        let groups = l.compiled.plan.layers.compactMap { layer -> Int? in
            guard layer.name == "argmax", case .lanes(let g) = layer.role else { return nil }
            return g
        }
        var chunkLane: (group: Int, gadget: ArgExtremumGadget)? = nil
        for g in groups {
            switch l.kind(g) {
            case .integer, .step:
                for i in 0..<l.count(g) {
                    let lane = l.cells(g, i)
                    for column in lane.limbs + lane.free { try assignment.set(column, row: lane.row, later.value(column, row: lane.row)!) }
                }
            case .argExtremum(let gadget) where gadget.size == 3:
                chunkLane = (g, gadget)
            default: break
            }
        }
        let (g, gadget) = try #require(chunkLane)
        let maxima = Array(try l.laneInputs(g, 0)[1...])
        #expect(maxima[0] == maxima[2] && maxima[1] < maxima[0])
        let lane = l.cells(g, 0), width = gadget.difference.cellCount
        for j in 0..<3 {
            try assignment.set(lane.free[1 + j], row: lane.row, j == 2 ? Fr.one : Fr.zero)
            let gap = maxima[2] - maxima[j] - (j < 2 ? 1 : 0)
            let cells = gap >= 0 ? gadget.difference.cells(of: UInt64(gap)) : badCells(gap, gadget.difference)
            for (i, v) in cells.enumerated() { try assignment.set(lane.limbs[j * width + i], row: lane.row, v) }
        }
        try l.copyStack(&assignment)
        try l.claim(&assignment, output: 0, element: 0, 30)
        #expect(l.direct(output: 0, element: 0) == 2)
        try l.requireCaught(assignment, expected: [l.rangeLookup(g, 0, cell: 0)])
    }
}
