import ConstraintSystem
import FieldArithmetic
import ModelGraph
import Quantization
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier

/// Arithmetic on integer-typed tensors (`IntegerGadget`, docs/fixed-point.md §5d), one end-to-end cheat per mode as
/// in `StepGadgetCheatTests`: the fewest cells changed so that the lane claims a different output while it still
/// receives what the fold gives it; the checker names exactly the gate or lookup the gadget relies on, and the
/// proof made without the checker is rejected by the verifier.
struct IntegerGadgetCheatTests {
    static let int8 = NumberFormat.integer(bits: 8, signed: true)
    static let input: [Int64] = [100, -100, 77, -3, 127, -128, 5, 64]
    static let divisors: [Int64] = [3, -3, 7, 2, -5, 9, 6, -7]

    /// x int8 [1, 8]. Outputs: add = x + x (wraps), mul = x·(x − 3) (wraps), shl = x << [1…8], shr = x >> [1…8],
    /// xor = x ^ 6, max = Max(x, 10), narrow = Cast(x → int4), wide = x + x as int64 (exact), div = x / d and
    /// mod = Mod(x, d) (fmod = 0) by constant divisors d of both signs.
    static let model: ProvedModel = {
        var b = GraphBuilder()
        let x = try! b.addInput("x", shape: [1, 8], isInteger: true)
        var outputs: [(String, ValueID)] = []
        func add(_ name: String, _ op: LayerOperation, _ inputs: [ValueID], output: Bool = true) -> ValueID {
            let id = try! b.addNode(name: name, sourceOp: name, operation: op, inputs: inputs, outputName: name + ".out")
            if output { outputs.append((name, id)) }
            return id
        }
        func int(_ op: IntegerArithmetic, _ format: NumberFormat = int8) -> LayerOperation { .indexing(.integer(op, wrap: format)) }
        let three = try! b.addConstant("three", Tensor(scalar: 3)), six = try! b.addConstant("six", Tensor(scalar: 6))
        let ten = try! b.addConstant("ten", Tensor(scalar: 10))
        let amounts = try! b.addConstant("amounts", try! Tensor(shape: [1, 8], values: (1...8).map(Double.init)))
        _ = add("add", int(.add), [x, x])
        let shifted = add("shifted", int(.sub), [x, three], output: false)
        _ = add("mul", int(.mul), [x, shifted])
        _ = add("shl", int(.shiftLeft), [x, amounts])
        _ = add("shr", int(.shiftRight), [x, amounts])
        _ = add("xor", int(.bitXor), [x, six])
        _ = add("max", int(.max), [x, ten])
        _ = add("narrow", .indexing(.cast(to: .integer(bits: 4, signed: true), fromInteger: true)), [x])
        _ = add("wide", int(.add, .integer(bits: 64, signed: true)), [x, x])
        let divisors = try! b.addConstant("divisors", try! Tensor(shape: [1, 8], values: Self.divisors.map(Double.init)))
        _ = add("div", int(.div), [x, divisors])
        _ = add("mod", int(.mod), [x, divisors])
        for (name, id) in outputs { try! b.markOutput(id, name: name) }
        return try! ProvedModel(graph: try! b.build(), name: "integer gadgets", input: [input])
    }()
    var m: ProvedModel { Self.model }

    func integer(_ layer: String) throws -> (group: Int, gadget: IntegerGadget) { try m.integerLane(layer) }

    /// The range lookups of every limb cell of `values` (written from limb `first` on) outside [0, 2^L).
    func outOfRange(_ g: Int, _ index: Int, _ values: [Int64], first: Int = 0) -> [String] {
        let limit = Int64(1) << Int64(m.compiled.plan.limbBits)
        return values.enumerated().filter { $0.element < 0 || $0.element >= limit }.map { m.rangeLookup(g, index, cell: first + $0.offset) }
    }

    /// The honest proof verifies, its outputs are the direct path's integers, and those are ONNX's (wrapped).
    @Test func honestProofVerifiesWithTheDirectOutputs() throws {
        try m.expectHonestProofCarriesTheDirectOutputs()
        func out(_ name: String) -> [Int64] { m.trace.values[m.graph.outputs[m.output(name)]] }
        func int8(_ v: Int64) -> Int64 { Int64(Int8(truncatingIfNeeded: v)) }
        let x = Self.input
        #expect(out("add") == x.map { int8(2 * $0) })
        #expect(out("mul") == x.map { int8($0 * ($0 - 3)) })
        #expect(out("shl") == x.indices.map { int8(x[$0] << Int64($0 + 1)) })
        #expect(out("shr") == x.indices.map { $0 + 1 >= 8 ? (x[$0] < 0 ? -1 : 0) : x[$0] >> Int64($0 + 1) })
        #expect(out("xor") == x.map { $0 ^ 6 })
        #expect(out("max") == x.map { max($0, 10) })
        #expect(out("narrow") == x.map { Int64(Int8(truncatingIfNeeded: $0 << 4) >> 4) })
        #expect(out("wide") == x.map { 2 * $0 })
        let d = Self.divisors
        #expect(out("div") == x.indices.map { x[$0] / d[$0] })
        #expect(out("mod") == x.indices.map { i in
            let r = x[i] % d[i]
            return r != 0 && (r < 0) != (d[i] < 0) ? r + d[i] : r
        })
    }

    /// Add claiming the unwrapped sum: t = 0 and u = x (200 for 100 + 100), which u's W − 1 bits cannot hold.
    @Test func wrapClaimingTheUnwrappedSumIsRejected() throws {
        try claimUnwrapped("add") { $0 >= 128 }
    }

    /// Mul (two computed operands): the lane keeps a and b but claims a·b + 1, so a·b − x ≠ 0.
    @Test func productClaimingAnotherValueIsRejected() throws {
        let (g, gadget) = try integer("mul")
        let index = 2
        let inputs = try m.laneInputs(g, index)
        let x = inputs[0] * inputs[1] + 1
        var a = try m.honest()
        let c = x >> 8, rest = x - (c << 8), t = rest >> 7, u = rest - (t << 7)
        let lane = m.cells(g, index)
        try a.set(lane.free[0], row: lane.row, t)
        try m.setLimbs(&a, g, index, gadget.low.cells(of: UInt64(u)) + gadget.high.cells(of: UInt64(c + gadget.highOffset)))
        try m.copyStack(&a)
        let claimed = u - (t << 7)
        #expect(m.direct(output: m.output("mul"), element: index) != claimed)
        try m.claim(&a, output: m.output("mul"), element: index, claimed)
        try m.requireCaught(a, expected: [m.gate(g, index)])
    }

    /// BitShift RIGHT one unit up: q + 1 with the remainder r − 2^R (the same x received), which is negative.
    @Test func shiftRightOneUnitUpIsRejected() throws {
        let (g, gadget) = try integer("shr")
        let index = 0
        let x = try m.laneInputs(g, index)[0], r = Int64(gadget.width)
        let q = x >> r, rest = x - (q << r)
        var a = try m.honest()
        let cells = [rest - (1 << r)] + [Int64](repeating: 0, count: gadget.remainder.cellCount - 1)
            + gadget.high.cells(of: UInt64(q + 1 + gadget.highOffset))
        try m.setLimbs(&a, g, index, cells)
        try m.copyStack(&a)
        try m.claim(&a, output: m.output("shr"), element: index, q + 1)
        #expect(m.direct(output: m.output("shr"), element: index) == q)
        try m.requireCaught(a, expected: [m.rangeLookup(g, index, cell: 0)])
    }

    /// Xor moving weight between two bit cells (a₀ + 2, a₁ − 1: the same a received): a non-boolean cell.
    @Test func bitwiseWithANonBooleanBitIsRejected() throws {
        let (g, gadget) = try integer("xor")
        let index = 0
        let inputs = try m.laneInputs(g, index)
        let bits = (0..<gadget.width).map { (inputs[0] >> Int64($0)) & 1 }
        let other = (0..<gadget.width).map { (inputs[1] >> Int64($0)) & 1 }
        try #require(other[0] != other[1])  // 6: b₀ = 0, b₁ = 1, so the claimed value moves
        var tampered = bits
        tampered[0] += 2
        tampered[1] -= 1
        var a = try m.honest()
        let lane = m.cells(g, index)
        try a.set(lane.free[0], row: lane.row, tampered[0])
        try a.set(lane.free[1], row: lane.row, tampered[1])
        try m.copyStack(&a)
        var claimed: Int64 = 0
        for i in 0..<gadget.width {
            let bit = tampered[i] + other[i] - 2 * tampered[i] * other[i]
            claimed += (i == gadget.width - 1 ? -1 : 1) * bit << Int64(i)
        }
        #expect(m.direct(output: m.output("xor"), element: index) != claimed)
        try m.claim(&a, output: m.output("xor"), element: index, claimed)
        try m.requireCaught(a, expected: [m.gate(g, index)])
    }

    /// Max claiming the smaller operand: σ = 0 with v = −1 − d for d = a − b > 0, which no limbs hold.
    @Test func maxClaimingTheSmallerOperandIsRejected() throws {
        let (g, gadget) = try integer("max")
        let index = try #require(try m.lanes(g) { $0[0] > 0 }.first)
        let inputs = try m.laneInputs(g, index)
        var a = try m.honest()
        let lane = m.cells(g, index)
        try a.set(lane.free[0], row: lane.row, Fr.zero)
        let cells = [-1 - inputs[0]] + [Int64](repeating: 0, count: gadget.high.cellCount - 1)
        try m.setLimbs(&a, g, index, cells)
        try m.copyStack(&a)
        try m.claim(&a, output: m.output("max"), element: index, inputs[1])
        #expect(m.direct(output: m.output("max"), element: index) != inputs[1])
        try m.requireCaught(a, expected: [m.rangeLookup(g, index, cell: 0)])
    }

    /// A narrowing Cast (int8 → int4) claiming the value unwrapped: c = 0, t = 0, u = x, beyond u's 3 bits.
    @Test func narrowingCastClaimingTheUnwrappedValueIsRejected() throws {
        try claimUnwrapped("narrow") { $0 >= 8 }
    }

    /// A wrap lane of `layer` whose input does not fit the type claims that input unwrapped (carry 0, the limbs
    /// of x itself): the decomposition cannot hold it, so a range lookup must fail.
    func claimUnwrapped(_ layer: String, overflowing: (Int64) -> Bool) throws {
        let (g, gadget) = try integer(layer)
        let index = try #require(try m.lanes(g) { overflowing($0[0]) }.first)
        let x = try m.laneInputs(g, index)[0]
        var a = try m.honest()
        let lane = m.cells(g, index)
        try a.set(lane.free[0], row: lane.row, Fr.zero)
        let cells = overflowingLimbCells(x, gadget.low) + gadget.high.cells(of: UInt64(gadget.highOffset))
        try m.setLimbs(&a, g, index, cells)
        try m.copyStack(&a)
        try m.claim(&a, output: m.output(layer), element: index, x)
        #expect(m.direct(output: m.output(layer), element: index) != x)
        try m.requireCaught(a, expected: outOfRange(g, index, cells))
    }

    /// x real [1, 8] (scale 2^16) → Cast to int32 and to uint32: truncation toward zero (0 below zero for uint32).
    static let truncation: ProvedModel = {
        var b = GraphBuilder()
        let x = try! b.addInput("x", shape: [1, 8])
        for (name, signed) in [("int32", true), ("uint32", false)] {
            let id = try! b.addNode(name: name, sourceOp: "Cast", operation: .indexing(.cast(to: .integer(bits: 32, signed: signed), fromInteger: false)),
                                    inputs: [x], outputName: name + ".out")
            try! b.markOutput(id, name: name)
        }
        let unit: Int64 = 1 << 16
        let input: [Int64] = [5 * unit / 2, -5 * unit / 2, -3 * unit, 7, -7, 0, 100 * unit + 1, -unit - 1]
        return try! ProvedModel(graph: try! b.build(), name: "truncating casts", input: [input])
    }()

    /// The honest proof carries ONNX's truncation; a negative non-integer claimed as its floor (z = 1 with a
    /// remainder, so no step up) breaks r·z = 0.
    @Test func truncationClaimingTheFloorIsRejected() throws {
        let t = Self.truncation
        #expect(try t.failures(try t.honest()).isEmpty)
        try t.verify(try t.proveHonest())
        let int32 = t.trace.values[t.graph.outputs[t.output("int32")]], uint32 = t.trace.values[t.graph.outputs[t.output("uint32")]]
        #expect(int32 == [2, -2, -3, 0, 0, 0, 100, -1])
        #expect(uint32 == [2, 0, 0, 0, 0, 0, 100, 0])
        let g = try t.group("int32")
        let index = 1  // −2.5: floor −3, truncation −2
        var a = try t.honest()
        let lane = t.cells(g, index)
        try a.set(lane.free[2], row: lane.row, Fr.one)
        try t.copyStack(&a)
        try t.claim(&a, output: t.output("int32"), element: index, -3)
        try t.requireCaught(a, expected: [t.gate(g, index)])
    }

    /// Div one step away from zero for a negative dividend: |r| + |d| as the remainder's magnitude, so the gap
    /// |d| − 1 − ρ is negative, which no limbs hold.
    @Test func divisionClaimingTheFloorIsRejected() throws {
        let (g, gadget) = try integer("div")
        let index = try #require(try m.lanes(g) { $0[0] < 0 && $0[0] % $0[1] != 0 }.first)
        let inputs = try m.laneInputs(g, index)
        let (a, d) = (inputs[0], inputs[1])
        let q = a / d, r = a % d
        let rho = r.magnitude + d.magnitude, gap = Int64(d.magnitude) - 1 - Int64(rho), cheat = q + d.signum()
        #expect(a - d * cheat == -Int64(rho))
        var a2 = try m.honest()
        let width = gadget.magnitude.cellCount
        let cells = gadget.magnitude.cells(of: rho) + [gap] + [Int64](repeating: 0, count: width - 1)
            + gadget.magnitude.cells(of: UInt64(cheat + (1 << Int64(gadget.width))))
        try m.setLimbs(&a2, g, index, cells, first: width)
        try m.copyStack(&a2)
        try m.claim(&a2, output: m.output("div"), element: index, cheat)
        #expect(m.direct(output: m.output("div"), element: index) == q)
        try m.requireCaught(a2, expected: [m.rangeLookup(g, index, cell: 2 * width)])
    }

    /// Mod (fmod = 0) claiming C's remainder where Python's differs (k = 0 where r ≠ 0 and the signs differ).
    @Test func modSkippingTheDivisorsSignIsRejected() throws { try m.requireModIgnoringTheDivisorsSignCaught() }
}
