import ConstraintSystem
import FieldArithmetic
import Quantization
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier

/// One end-to-end cheat per gadget (issue 14, "the adversarial suite"): start from the honest trace, change
/// the fewest cells that make the lane wrong in exactly the way its gadget forbids — keeping every other
/// constraint satisfied, including the fold, by publishing the cheated value as the model's output — check
/// with `ConstraintChecker` that exactly the expected gate or lookup fails, then prove the witness with the
/// prover's unchecked entry point and show `PlonkVerifier.verify` rejects it. Each cheat's claimed output
/// differs from the model's real one, so each rejected proof is a false statement about the model.
///
/// The gadgets are model outputs of `AdversarialModels.gadgets` (7-bit limbs, stacked range checks, 2^8
/// rows); the fold, rescale and limb cheats use circuits/mlp_tiny in both range-check layouts.
struct GadgetCheatTests {
    static let gadgets: ProvedModel = {
        var rng = SeededRandomReals(seed: 5)
        return try! ProvedModel(graph: AdversarialModels.gadgets(), name: "adversarial gadgets",
                                input: [rng.inputs(8, scale: 16)], settings: AdversarialModels.gadgetSettings)
    }()
    var m: ProvedModel { Self.gadgets }

    /// Protocol.md §15: the baseline — the honest witness passes the checker and its proof verifies — and the
    /// trace has what the cheats below need.
    @Test func honestProofOfTheGadgetModelVerifies() throws {
        #expect(try m.failures(try m.honest()).isEmpty)
        try m.verify(try m.proveHonest())
        // What the cheats below need: negative and positive pre-activations, values above the clip's upper
        // bound, sigmoid inputs inside the grid and beyond it, a product lane with a zero operand.
        let fc = m.trace.values[m.graph.nodes[0].output]
        #expect(fc.contains { $0 < 0 } && fc.contains { $0 > 65536 } && fc.contains { $0 < -2 * 65536 })
        #expect(!m.compiled.layout.isStacked)
    }

    // MARK: Rescale — fixed-point.md §2 (R_k), protocol.md §11 (the fold pins 2^k·q + r)

    /// (i) A wrong quotient with the remainder kept: the lane is well formed, but 2^k·q + r no longer equals
    /// the accumulator W·x + b + 2^(k−1) that the fold pins. (ii) Rounding moved by one step (q − 1,
    /// r + 2^k, the same 2^k·q + r): the remainder leaves [0, 2^k), which its limbs cannot hold — with 7-bit
    /// limbs the top (2-bit) limb p becomes p + 4, still a 7-bit value, but its helper 2^5·p does not.
    @Test func rescaleWrongQuotientOrRoundingIsRejected() throws {
        let g = try m.group("fc_out"), out = m.output("linear")
        let index = 1
        let honest = try m.laneInputs(g, index)
        guard case .rescale(let gadget) = m.kind(g) else { throw CompilerError.invalidOptions("not a rescale lane") }

        var wrongQuotient = try m.honest()
        try m.write(&wrongQuotient, g, index, inputs: [honest[0] + 1, honest[1]])
        try m.copyStack(&wrongQuotient)
        try m.claim(&wrongQuotient, output: out, element: index, honest[0] + 1)
        try m.requireCaught(wrongQuotient, expected: [m.close])

        var rounding = try m.honest()
        let remainder = try #require(gadget.remainder)
        let cells = overflowingLimbCells(honest[1] + (1 << 16), remainder) + gadget.magnitude.cells(of: UInt64(honest[0] - 1 + (1 << 31)))
        let lane = m.cells(g, index)
        for (cell, v) in zip(lane.limbs, cells) { try rounding.set(cell, row: lane.row, v) }
        try m.copyStack(&rounding)
        try m.claim(&rounding, output: out, element: index, honest[0] - 1)
        #expect(m.direct(output: out, element: index) == honest[0])
        try m.requireCaught(rounding, expected: [m.rangeLookup(g, index, cell: remainder.cellCount - 1)])
    }

    // MARK: ReLU — fixed-point.md §5, RescaleGadget (sign bit and magnitude)

    /// A negative pre-activation passed through: the sign bit claims "non-negative" (s = 1), so the magnitude
    /// would have to be q < 0. The lane still receives 2^k·q + r and now produces q; its low magnitude limb
    /// holds the negative number, which the range check rejects.
    @Test func reluPassingANegativeValueIsRejected() throws {
        let g = try m.group("fc_relu"), out = m.output("relu")
        let index = try #require(try m.lanes(g) { $0[0] < 0 }.first)
        let q = try m.laneInputs(g, index)[0]
        guard case .rescale(let gadget) = m.kind(g), let remainder = gadget.remainder else {
            throw CompilerError.invalidOptions("not a rescale lane")
        }
        var a = try m.honest()
        let lane = m.cells(g, index)
        try a.set(lane.free[0], row: lane.row, Fr.one)
        try a.set(lane.limbs[remainder.cellCount], row: lane.row, q)
        for l in (remainder.cellCount + 1)..<lane.limbs.count { try a.set(lane.limbs[l], row: lane.row, Fr.zero) }
        try m.copyStack(&a)
        try m.claim(&a, output: out, element: index, q)
        #expect(m.direct(output: out, element: index) == 0)
        try m.requireCaught(a, expected: [m.rangeLookup(g, index, cell: remainder.cellCount)])
    }

    // MARK: LeakyRelu — fixed-point.md §5, LeakyReluGadget

    /// A negative input output unchanged (as if it were positive): every limb is in range and the sign split
    /// of x is honest (s = 0), so only (1 − s)·(o − q) = 0 — "negative inputs output the rescaled α·x" — fails.
    @Test func leakyReluPassingANegativeValueIsRejected() throws {
        let g = try m.group("leaky"), out = m.output("leaky")
        let index = try #require(try m.lanes(g) { $0[0] < -1000 }.first)
        let x = try m.laneInputs(g, index)[0]
        guard case .leakyRelu(let gadget) = m.kind(g) else { throw CompilerError.invalidOptions("not a LeakyRelu lane") }
        var a = try m.honest()
        let lane = m.cells(g, index)
        let first = gadget.magnitude.cellCount + (gadget.remainder?.cellCount ?? 0)
        for (i, v) in gadget.output.cells(of: UInt64(x + (1 << 31))).enumerated() { try a.set(lane.limbs[first + i], row: lane.row, v) }
        try m.copyStack(&a)
        try m.claim(&a, output: out, element: index, x)
        #expect(m.direct(output: out, element: index) != x)
        try m.requireCaught(a, expected: [m.gate(g, index)])
    }

    // MARK: Clip — fixed-point.md §5, ClipGadget

    /// A value above the upper bound passed through: the second sign split claims x ≤ hi (s₂ = 1), so its
    /// magnitude would be hi − x < 0, which no limbs hold.
    @Test func clipPassingAValueAboveTheBoundIsRejected() throws {
        let g = try m.group("clip"), out = m.output("clip")
        let index = try #require(try m.lanes(g) { $0[0] > 65536 + 100 }.first)
        let x = try m.laneInputs(g, index)[0]
        guard case .clip(let gadget) = m.kind(g), let lower = gadget.lowerSplit else { throw CompilerError.invalidOptions("not a Clip lane") }
        var a = try m.honest()
        let lane = m.cells(g, index)
        try a.set(lane.free[1], row: lane.row, Fr.one)
        try a.set(lane.limbs[lower.cellCount], row: lane.row, 65536 - x)
        for l in (lower.cellCount + 1)..<gadget.limbCells { try a.set(lane.limbs[l], row: lane.row, Fr.zero) }
        try m.copyStack(&a)
        try m.claim(&a, output: out, element: index, x)
        #expect(m.direct(output: out, element: index) == 65536)
        try m.requireCaught(a, expected: [m.rangeLookup(g, index, cell: lower.cellCount)])
    }

    // MARK: Sigmoid / Tanh — fixed-point.md §6, TableGadget

    /// Three ways to evaluate a table wrongly, each proved and rejected: (i) the next table row (a genuine row,
    /// so the lookup passes) with its own interpolation: u is not the clamp of z; (ii) a value T + 1 that is no
    /// row of the table: the lookup fails; (iii) the interpolation rounded up (q + 1, r kept): the identity
    /// 2^k·q + r = Δ·g + 2^(k−1) fails.
    @Test func tableEvaluatedWronglyIsRejected() throws {
        let sigmoid = try m.group("sigmoid"), tanh = try m.group("tanh")
        guard case .table(let gadget) = m.kind(sigmoid) else { throw CompilerError.invalidOptions("not a table lane") }
        let table = gadget.table
        let k = gadget.shift
        // Cell offsets of r and q inside the lane: f, v₁, v₂, then r (k bits), then q + 2^(b−1).
        let fraction = try #require(gadget.fraction), quotient = try #require(gadget.quotient)
        let rStart = fraction.cellCount + gadget.low.cellCount + gadget.high.cellCount
        func writeInterpolation(_ a: inout Assignment, _ g: Int, _ index: Int, q: Int64, r: Int64) throws {
            let lane = m.cells(g, index)
            let cells = fraction.cells(of: UInt64(r)) + quotient.cells(of: UInt64(q + (1 << (gadget.quotientBits - 1))))
            for (i, v) in cells.enumerated() { try a.set(lane.limbs[rStart + i], row: lane.row, v) }
        }

        // (i) Another row: inside the grid, with a non-zero fraction and a non-zero slope at the next row.
        let inside = try #require(try m.lanes(sigmoid) { $0[2] != 0 && $0[1] == $0[3] && $0[3] < table.maxIndex && table.delta($0[3] + 1) != 0 }.first)
        let honest = try m.laneInputs(sigmoid, inside)
        let u = honest[3] + 1
        let (q, r) = FixedPoint.rescale(table.delta(u) * honest[2], shift: k)
        var otherRow = try m.honest()
        let lane = m.cells(sigmoid, inside)
        for (cell, v) in zip(lane.free[2...4], [u, table.lookup(u), table.delta(u)]) { try otherRow.set(cell, row: lane.row, v) }
        try writeInterpolation(&otherRow, sigmoid, inside, q: q, r: r)
        try m.copyStack(&otherRow)
        try m.claim(&otherRow, output: m.output("sigmoid"), element: inside, table.lookup(u) + q)
        #expect(m.direct(output: m.output("sigmoid"), element: inside) != table.lookup(u) + q)
        try m.requireCaught(otherRow, expected: [m.gate(sigmoid, inside)])

        // (ii) A value that is not in the table.
        let t = try m.laneInputs(tanh, 3)
        var notARow = try m.honest()
        let tanhLane = m.cells(tanh, 3)
        try notARow.set(tanhLane.free[3], row: tanhLane.row, notARow.value(tanhLane.free[3], row: tanhLane.row)! + Fr.one)
        let claimed = m.direct(output: m.output("tanh"), element: 3) + 1
        #expect(claimed == self.table(of: tanh).lookup(t[3]) + t[4] + 1)
        try m.claim(&notARow, output: m.output("tanh"), element: 3, claimed)
        try m.requireCaught(notARow, expected: [m.tableLookup(tanh, 3)])

        // (iii) The interpolation rounded up.
        var rounded = try m.honest()
        try writeInterpolation(&rounded, sigmoid, inside, q: honest[4] + 1, r: honest[5])
        try m.copyStack(&rounded)
        try m.claim(&rounded, output: m.output("sigmoid"), element: inside, m.direct(output: m.output("sigmoid"), element: inside) + 1)
        try m.requireCaught(rounded, expected: [m.gate(sigmoid, inside)])
    }

    func table(of group: Int) -> LookupTable {
        guard case .table(let t) = m.kind(group) else { fatalError("not a table lane") }
        return t.table
    }

    // MARK: Softmax — fixed-point.md §7, SoftmaxGadget

    var softmax: (group: Int, gadget: SoftmaxGadget) {
        let g = try! m.group("softmax")
        guard case .softmax(let s) = m.kind(g) else { fatalError("not a softmax lane") }
        return (g, s)
    }

    /// §7 recomputed for row `row` of the softmax with maximum `max` (chosen: the lane whose b is 1, if any)
    /// and an optional row sum override: each lane's trace integers [x, m, S, e, out, ρ, b, d, z, f, u, q, r].
    func softmaxRow(_ row: Int, max: Int64, chosen: Int?, sum override: Int64? = nil) throws -> [[Int64]] {
        let (g, gadget) = softmax
        let n = gadget.rowLength, s = Int64(gadget.activationScale)
        let xs = try (0..<n).map { try m.laneInputs(g, row * n + $0)[0] }
        let steps = xs.map { gadget.table.step($0 - max) }
        let sum = override ?? steps.reduce(0) { $0 + $1.output }
        return (0..<n).map { j in
            let st = steps[j], numerator = st.output << s + sum / 2
            return [xs[j], max, sum, st.output, numerator / sum, numerator % sum, j == chosen ? 1 : 0, xs[j] - max,
                    st.index, st.fraction, st.clampedIndex, st.quotient, st.remainder]
        }
    }

    /// The row's lanes rewritten from `lanes` and their outputs claimed: a cheat consistent lane by lane.
    func rewriteSoftmaxRow(_ row: Int, _ lanes: [[Int64]]) throws -> Assignment {
        let (g, gadget) = softmax
        var a = try m.honest()
        for (j, inputs) in lanes.enumerated() {
            try m.write(&a, g, row * gadget.rowLength + j, inputs: inputs)
            try m.claim(&a, output: m.output("softmax"), element: row * gadget.rowLength + j, inputs[4])
        }
        try m.copyStack(&a)
        return a
    }

    /// (i) A wrong maximum: m + 1 with every lane consistent (D, exponents, S and quotients recomputed for it)
    /// and no element chosen as the maximum — only the row equation Σb = 1 of the fold fails. (ii) A wrong row
    /// sum S + 1 in every lane of the row, each division consistent with it — only the row equation S = Σe
    /// fails. (iii) A wrong division: out − 1 with ρ + S, so that e·2^s + ⌊S/2⌋ = out·S + ρ still holds but
    /// S − 1 − ρ < 0, which its limbs cannot hold.
    @Test func softmaxWithAWrongMaximumSumOrDivisionIsRejected() throws {
        let (g, gadget) = softmax
        let n = gadget.rowLength, rows = m.count(g) / n
        func honest(_ row: Int) throws -> [[Int64]] { try (0..<n).map { try m.laneInputs(g, row * n + $0) } }
        func maximum(_ row: Int) throws -> Int64 { try honest(row).map { $0[0] }.max()! }

        let wrongMax = try softmaxRow(1, max: try maximum(1) + 1, chosen: nil)
        try m.requireCaught(try rewriteSoftmaxRow(1, wrongMax), expected: [m.close])

        // A row where S + 1 changes some rounded output (so the claim is a false one).
        let (row, wrongSum) = try #require(try (0..<rows).lazy.map { r in
            (r, try softmaxRow(r, max: try maximum(r), chosen: try honest(r).firstIndex { $0[0] == (try maximum(r)) },
                               sum: try honest(r)[0][2] + 1))
        }.first { r, lanes in lanes.map { $0[4] } != (try honest(r)).map { $0[4] } })
        try m.requireCaught(try rewriteSoftmaxRow(row, wrongSum), expected: [m.close])

        // A lane whose ρ + S still fits the remainder's limbs (only S − 1 − ρ is then out of range).
        let index = try #require(try (0..<m.count(g)).first {
            let l = try m.laneInputs(g, $0)
            return l[4] >= 1 && l[5] + l[2] < Int64(1) << gadget.remainderBits
        })
        let lane = try m.laneInputs(g, index)
        let (sum, out, rho) = (lane[2], lane[4], lane[5])
        let start = gadget.difference.cellCount + gadget.exp.limbCells
        let slack = start + gadget.output.cellCount + gadget.remainder.cellCount
        var division = try m.honest()
        let cells = m.cells(g, index)
        let limbs = gadget.output.cells(of: UInt64(out - 1)) + gadget.remainder.cells(of: UInt64(rho + sum))
        for (i, v) in limbs.enumerated() { try division.set(cells.limbs[start + i], row: cells.row, v) }
        for l in slack..<(slack + gadget.remainder.cellCount) { try division.set(cells.limbs[l], row: cells.row, Fr.zero) }
        try division.set(cells.limbs[slack], row: cells.row, -1 - rho)
        try m.copyStack(&division)
        try m.claim(&division, output: m.output("softmax"), element: index, out - 1)
        try m.requireCaught(division, expected: [m.rangeLookup(g, index, cell: slack)])
    }

    // MARK: MaxPool — fixed-point.md §5, MaxPoolGadget

    /// The window's smallest element claimed as its maximum (its bit set): every larger element x_j would need
    /// a difference m − x_j < 0, which no limbs hold — one failing range check per larger element.
    @Test func maxPoolSelectingANonMaximumIsRejected() throws {
        let g = try m.group("pool"), out = m.output("pool")
        let index = try #require(try m.lanes(g) { Set($0[1...]).count == 4 }.first)
        let honest = try m.laneInputs(g, index)
        let window = Array(honest[1...])
        let claimed = window.min()!
        guard case .maxPool(let gadget) = m.kind(g) else { throw CompilerError.invalidOptions("not a MaxPool lane") }
        let width = gadget.difference.cellCount
        var a = try m.honest()
        let lane = m.cells(g, index)
        var expected: [String] = []
        try a.set(lane.free[0], row: lane.row, claimed)
        for (j, x) in window.enumerated() {
            try a.set(lane.free[1 + j], row: lane.row, x == claimed ? Fr.one : Fr.zero)
            for i in 0..<width { try a.set(lane.limbs[j * width + i], row: lane.row, Fr.zero) }
            try a.set(lane.limbs[j * width], row: lane.row, claimed - x)
            if x > claimed { expected.append(m.rangeLookup(g, index, cell: j * width)) }
        }
        try m.copyStack(&a)
        try m.claim(&a, output: out, element: index, claimed)
        #expect(expected.count == 3)
        try m.requireCaught(a, expected: expected)
    }

    // MARK: Product of two activations — fixed-point.md §5 (Mul), ProductGadget

    /// The product rounded up (q + 1, r kept): 2^s·q + r = a·b + 2^(s−1) fails.
    @Test func productWrongRoundingIsRejected() throws {
        let g = try m.group("product"), out = m.output("product")
        let index = try #require(try m.lanes(g) { $0[0] != 0 }.first)
        var inputs = try m.laneInputs(g, index)
        inputs[2] += 1
        var a = try m.honest()
        try m.write(&a, g, index, inputs: inputs)
        try m.copyStack(&a)
        try m.claim(&a, output: out, element: index, inputs[2])
        try m.requireCaught(a, expected: [m.gate(g, index)])
    }
}

/// The fold, the rescale's remainder and the limb decomposition on the shipped model circuits/mlp_tiny, in
/// both range-check layouts (README of CircuitCompiler, "Range checks"; protocol.md §9, §11).
struct LimbAndFoldCheatTests {
    /// (Named for the stacked range checks it once had; those went with §11's fold: now 7-bit limbs per column.)
    static let stacked = try! ProvedModel(shared: "mlp_tiny", options: CompileOptions(stackRangeChecks: false, limbBits: 7))
    static let columns = try! ProvedModel(shared: "mlp_tiny", options: CompileOptions(stackRangeChecks: false, limbBits: 8))

    /// The output layer's lanes (identity rescale, 16-bit remainder) and its gadget.
    func outputLayer(_ m: ProvedModel) throws -> (group: Int, gadget: RescaleGadget, remainder: LimbDecomposition) {
        let g = m.compiled.plan.groups.count - 1
        guard case .rescale(let gadget) = m.kind(g), gadget.activation == .identity, let r = gadget.remainder,
              m.compiled.plan.layers[m.compiled.plan.groups[g].layer].nodeIndex.map({ m.graph.nodes[$0].output }) == m.graph.outputs[0]
        else { throw CompilerError.invalidOptions("the last lane group is not the output layer") }
        return (g, gadget, r)
    }

    /// Protocol.md §11: a wrong output of a linear layer, its lane well formed (limbs in range), claimed as
    /// the public output — only the fold's close fails (W·x + b + 2^(k−1) ≠ 2^k·q + r at ρ).
    @Test(arguments: [true, false])
    func foldWithAWrongLinearOutputIsRejected(stacked: Bool) throws {
        let m = stacked ? Self.stacked : Self.columns
        try m.verify(try m.proveHonest())
        let (g, _, _) = try outputLayer(m)
        for index in [0, m.count(g) - 1] {
            let honest = try m.laneInputs(g, index)
            var a = try m.honest()
            try m.write(&a, g, index, inputs: [honest[0] + 1, honest[1]])
            try m.copyStack(&a)
            try m.claim(&a, output: 0, element: index, honest[0] + 1)
            try m.requireCaught(a, expected: [m.close])
        }
    }

    /// Fixed-point.md §2–§3, protocol.md §9 (one logUp per limb column): a limb ≥ 2^L, per column: the output rounded down (q − 1) with r + 2^16, the same 2^k·q + r — the
    /// remainder's top 8-bit limb becomes r₁ + 256, and its column's lookup fails.
    @Test func limbAboveItsRangeIsRejectedPerColumn() throws {
        let m = Self.columns
        #expect(!m.compiled.layout.isStacked && m.compiled.plan.limbBits == 8)
        let (g, gadget, remainder) = try outputLayer(m)
        let honest = try m.laneInputs(g, 2)
        var a = try m.honest()
        let lane = m.cells(g, 2)
        let cells = overflowingLimbCells(honest[1] + (1 << 16), remainder) + gadget.magnitude.cells(of: UInt64(honest[0] - 1 + (1 << 31)))
        #expect(cells[remainder.cellCount - 1] >= 256)
        for (cell, v) in zip(lane.limbs, cells) { try a.set(cell, row: lane.row, v) }
        try m.claim(&a, output: 0, element: 2, honest[0] - 1)
        try m.requireCaught(a, expected: [m.rangeLookup(g, 2, cell: remainder.cellCount - 1)])
    }

    /// Fixed-point.md §2 (exact partial limbs), protocol.md §9 and §11 (stack lookups, copy equations in the fold):
    /// stacked 7-bit limbs, the same rounding cheat (r + 2^16 has a top 2-bit limb p + 4) in three forms:
    /// (i) p + 4 and its helper 2^5·(p + 4) ≥ 2^7 copied into the stack: the stack's lookup fails at the
    /// helper's copy; (ii) the helper kept at 2^5·p (in range): the limbs no longer recompose what the helper
    /// certifies, and the helper constraint fails; (iii) the lane holds (i) but the stack keeps the honest
    /// copies, so every looked-up cell is in range: the copy equations of the fold fail at the close.
    @Test func limbOutOfRangeIsRejectedWhenStacked() throws {
        let m = Self.stacked
        #expect(m.compiled.plan.limbBits == 7)
        let (g, gadget, remainder) = try outputLayer(m)
        #expect(remainder.partialBits == 2)
        let index = 1
        let honest = try m.laneInputs(g, index)
        let lane = m.cells(g, index)
        let cheat = overflowingLimbCells(honest[1] + (1 << 16), remainder) + gadget.magnitude.cells(of: UInt64(honest[0] - 1 + (1 << 31)))
        let helper = remainder.cellCount - 1
        #expect(cheat[helper] >= 128 && cheat[helper - 1] < 128)

        func assignment(helperValue: Int64?, copy: Bool) throws -> Assignment {
            var a = try m.honest()
            for (cell, v) in zip(lane.limbs, cheat) { try a.set(cell, row: lane.row, v) }
            if let helperValue { try a.set(lane.limbs[helper], row: lane.row, helperValue) }
            if copy { try m.copyStack(&a) }
            try m.claim(&a, output: 0, element: index, honest[0] - 1)
            return a
        }
        try m.requireCaught(try assignment(helperValue: nil, copy: true), expected: [m.rangeLookup(g, index, cell: helper)])
        let honestHelper = overflowingLimbCells(honest[1], remainder)[helper]
        try m.requireCaught(try assignment(helperValue: honestHelper, copy: true), expected: [m.gate(g, index)])
        // (iii), the stack keeping honest copies, went with the stacked range checks (§19.9).
    }
}
