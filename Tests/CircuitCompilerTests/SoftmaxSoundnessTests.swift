import ConstraintSystem
import DirectInference
import FieldArithmetic
import Quantization
import Testing

@testable import CircuitCompiler

/// The Softmax gadget (docs/fixed-point.md §7) on three rows of four: the honest witness passes, the test's own
/// recomputation of §7 equals the direct path's trace lane for lane, and every cheat — a wrong maximum, a wrong
/// exponent, a wrong row sum, wrong rounding of the division — is caught by the gate, lookup or range check
/// that binds it, at the lane's row, or by the fold's close when only a row equation (Σb = 1, S = Σe, a copy of
/// m or S) or a later equation binds it.
struct SoftmaxSoundnessTests {
    let c: Compiled
    let g: Int
    let gadget: SoftmaxGadget
    let n = 4

    init() throws {
        let graph = try SyntheticModels.softmax()
        c = try Compiled(graph, input: randomInputs(graph, seed: 5), options: .columnRangeChecks)
        g = c.group("softmax")
        guard case .softmax(let s) = c.compiled.plan.groups[g].kind else { throw CompilerError.invalidOptions("no softmax lanes") }
        gadget = s
    }

    var close: String { "clr_close@\(c.compiled.layout.closeRow)" }
    var gate: String { gadget.name }
    var s: Int64 { Int64(gadget.activationScale) }
    var table: LookupTable { gadget.table }

    func row(_ index: Int) -> Int { c.compiled.cells(group: g, index: index).row }
    func honest(_ index: Int) throws -> [Int64] { try c.laneInputs(group: g, index: index) }

    func rangeLookup(index: Int, cell: Int) -> String {
        let lane = c.compiled.cells(group: g, index: index)
        return "range8.\(c.compiled.limbs.firstIndex(of: lane.limbs[cell])!)@\(lane.row)"
    }

    /// §7 recomputed here for row `r` with a claimed maximum m (chosen: the lane whose b is 1, if any):
    /// the gadget's trace integers [x, m, S, e, out, ρ, chosen, d, z, f, u, q, r] of each lane.
    func rowInputs(_ r: Int, max m: Int64, chosen: Int?) throws -> [[Int64]] {
        let xs = try (0..<n).map { try honest(r * n + $0)[0] }
        let steps = xs.map { table.step($0 - m) }
        let sum = steps.reduce(0) { $0 + $1.output }
        return (0..<n).map { j in
            let st = steps[j], numerator = st.output << s + sum / 2
            return [xs[j], m, sum, st.output, numerator / sum, numerator % sum, j == chosen ? 1 : 0, xs[j] - m,
                    st.index, st.fraction, st.clampedIndex, st.quotient, st.remainder]
        }
    }

    func write(_ a: inout Assignment, index: Int, _ inputs: [Int64]) throws {
        let cells = c.compiled.cells(group: g, index: index)
        let (limbs, free) = try gadget.witness(inputs)
        for (cell, v) in zip(cells.limbs, limbs) { try a.set(cell, row: cells.row, v) }
        for (cell, v) in zip(cells.free, free) { try a.set(cell, row: cells.row, v) }
    }

    /// The honest assignment with `edit` applied, and the running sum recomputed as a cheating prover would.
    func cheat(_ edit: (inout Assignment) throws -> Void) throws -> [String] {
        var a = try c.compiled.assignment(trace: c.trace)
        try edit(&a)
        try c.compiled.assignSum(&a, rho: Fr(0x1234_5678_9abc_def1))
        return Array(Set(c.check(a).namesAndRows)).sorted()
    }

    /// Writes S, π and the division's out, ρ, S − 1 − ρ limbs of a lane for exponent e and sum S; returns out.
    @discardableResult
    func writeDivision(_ a: inout Assignment, index: Int, e: Int64, sum: Int64) throws -> Int64 {
        let cells = c.compiled.cells(group: g, index: index)
        let numerator = e << s + sum / 2
        let (out, rho) = (numerator / sum, numerator % sum)
        try a.set(cells.free[1], row: cells.row, sum)
        try a.set(cells.free[3], row: cells.row, sum & 1)
        let limbs = gadget.output.cells(of: UInt64(out)) + gadget.remainder.cells(of: UInt64(rho))
            + gadget.remainder.cells(of: UInt64(sum - 1 - rho))
        let start = gadget.difference.cellCount + gadget.exp.limbCells
        for (i, v) in limbs.enumerated() { try a.set(cells.limbs[start + i], row: cells.row, v) }
        return out
    }

    @Test func honestWitnessPassesAndMatchesTheSpec() throws {
        for rho in [Fr(7), Fr(0xfeed_f00d), -Fr(3)] {
            let failures = c.check(try c.witness(rho: rho))
            #expect(failures.isEmpty, "\(failures.prefix(3))")
        }
        // §7 recomputed independently of the direct path gives the same integers in every lane.
        for r in 0..<3 {
            let lanes = try (0..<n).map { try honest(r * n + $0) }
            let m = lanes.map { $0[0] }.max()!
            #expect(try rowInputs(r, max: m, chosen: lanes.firstIndex { $0[0] == m }) == lanes)
        }
        // The rows reach the exp table's clamp and interpolate inside its grid.
        let all = try (0..<(3 * n)).map { try honest($0) }
        #expect(all.contains { $0[8] < table.minIndex } && all.contains { $0[8] >= table.minIndex && $0[9] != 0 })
        #expect(c.compiled.plan.kinds.contains { if case .softmax = $0 { return true } else { return false } })
    }

    @Test func maximumAboveEveryElementIsCaught() throws {
        // Row 1 claims m + 1 consistently (every D, exponent, S and quotient recomputed), with b on the true
        // maximum: its D is 1, so b·D = 0 fails there.
        let lanes = try (0..<n).map { try honest(n + $0) }
        let m = lanes.map { $0[0] }.max()!, top = lanes.firstIndex { $0[0] == m }!
        let cheating = try rowInputs(1, max: m + 1, chosen: nil)
        let failures = try cheat { a in
            for j in 0..<n { try write(&a, index: n + j, cheating[j]) }
            let cells = c.compiled.cells(group: g, index: n + top)
            try a.set(cells.free[2], row: cells.row, Fr.one)
        }
        let outputsChanged = (0..<n).contains { cheating[$0][4] != lanes[$0][4] }
        #expect(failures == (["\(gate)@\(row(n + top))"] + (outputsChanged ? [close] : [])).sorted())
    }

    @Test func maximumWithNoChosenElementIsCaught() throws {
        // The same row with every b = 0: each lane is well formed, only the row equation Σb = 1 fails.
        let lanes = try (0..<n).map { try honest(n + $0) }
        let m = lanes.map { $0[0] }.max()!
        let cheating = try rowInputs(1, max: m + 1, chosen: nil)
        #expect(try cheat { a in for j in 0..<n { try write(&a, index: n + j, cheating[j]) } } == [close])
    }

    @Test func wrongExponentIsCaughtByTheTableLookup() throws {
        // Lane 0 of row 2 claims T + 1 (no table row); S and every quotient of the row follow the claim.
        let index = 2 * n
        let lanes = try (0..<n).map { try honest(2 * n + $0) }
        let sum = lanes[0][2] + 1
        var outputsChanged = false
        let failures = try cheat { a in
            let cells = c.compiled.cells(group: g, index: index)
            // T: the exp table's entry cells (u, T, Δ, g) follow m, S, b, π and the table's sign bit(s).
            try a.set(cells.free[4 + gadget.exp.entryCell + 1], row: cells.row, table.lookup(lanes[0][10]) + 1)
            for j in 0..<n {
                let out = try writeDivision(&a, index: 2 * n + j, e: lanes[j][3] + (j == 0 ? 1 : 0), sum: sum)
                outputsChanged = outputsChanged || out != lanes[j][4]
            }
        }
        let slot = c.compiled.layout.placement(group: g, index: index).slot
        #expect(failures == (["\(gate).\(slot)@\(row(index))"] + (outputsChanged ? [close] : [])).sorted())
    }

    /// Compiler 9 proves only the lower clamp (d ≤ 0 = u_hi): an entry other than max(z, u_lo), even a real table
    /// row with its own T and Δ, breaks u = u_lo + s₁·v₁. On a lane with f = 0 (a row's maximum: d = 0) the
    /// interpolation does not read Δ, so that is the lane's only failing constraint.
    @Test func entryOtherThanTheClampedIndexIsCaught() throws {
        #expect(gadget.exp.inputBelowTop && gadget.exp.freeCells == 5)
        let index = try #require(try (0..<(3 * n)).first { try honest($0)[9] == 0 && honest($0)[10] > table.minIndex })
        let u = try honest(index)[10] - 1
        let failures = try cheat { a in
            let cells = c.compiled.cells(group: g, index: index)
            let entry = 4 + gadget.exp.entryCell
            for (k, v) in [u, table.lookup(u), table.delta(u)].enumerated() { try a.set(cells.free[entry + k], row: cells.row, Fr(signed: v)) }
        }
        #expect(failures.contains("\(gate)@\(row(index))"), "\(failures)")
    }

    @Test func wrongInterpolationRoundingIsCaught() throws {
        let index = try #require(try (0..<(3 * n)).first { try honest($0)[9] != 0 && honest($0)[8] >= table.minIndex })
        var inputs = try honest(index)
        inputs[12] = inputs[12] == 0 ? 1 : inputs[12] - 1  // r off by one, q kept
        #expect(try cheat { a in try write(&a, index: index, inputs) } == ["\(gate)@\(row(index))"])
    }

    @Test func wrongRowSumIsCaughtByTheFold() throws {
        // Every lane of row 0 divides by S + 1 (each lane consistent) and the public outputs claim the resulting
        // quotients: only the row's equation S = Σe binds the cheat.
        let lanes = try (0..<n).map { try honest($0) }
        let layout = c.compiled.layout, first = c.compiled.plan.publicInputCount
        var outputsChanged = false
        let failures = try cheat { a in
            for j in 0..<n {
                let out = try writeDivision(&a, index: j, e: lanes[j][3], sum: lanes[j][2] + 1)
                outputsChanged = outputsChanged || out != lanes[j][4]
                let p = first + j  // row 0's outputs are the first public outputs
                try a.set(c.compiled.publicValues[p / layout.publicColumnLength], row: p % layout.publicColumnLength, out)
            }
        }
        #expect(outputsChanged)  // the claim differs from the honest output
        #expect(failures == [close])
    }

    @Test func wrongDivisionRoundingIsCaught() throws {
        let index = try #require(try (0..<(3 * n)).first { try honest($0)[4] >= 1 })
        let inputs = try honest(index)
        let (sum, out, rho) = (inputs[2], inputs[4], inputs[5])
        let start = gadget.difference.cellCount + gadget.exp.limbCells
        let slackCell = start + gadget.output.cellCount + gadget.remainder.cellCount
        // out − 1 with ρ + S: the identity holds, but S − 1 − ρ is negative (no limbs hold it).
        #expect(rho + sum < Int64(1) << gadget.remainderBits)
        let below = try cheat { a in
            let cells = c.compiled.cells(group: g, index: index)
            let limbs = gadget.output.cells(of: UInt64(out - 1)) + gadget.remainder.cells(of: UInt64(rho + sum))
            for (i, v) in limbs.enumerated() { try a.set(cells.limbs[start + i], row: cells.row, v) }
            for l in slackCell..<(slackCell + gadget.remainder.cellCount) { try a.set(cells.limbs[l], row: cells.row, Fr.zero) }
            try a.set(cells.limbs[slackCell], row: cells.row, Fr(signed: -1 - rho))
        }
        #expect(below == [rangeLookup(index: index, cell: slackCell), close].sorted())
        // out + 1 with ρ kept: the identity fails.
        let above = try cheat { a in
            let cells = c.compiled.cells(group: g, index: index)
            for (i, v) in gadget.output.cells(of: UInt64(out + 1)).enumerated() { try a.set(cells.limbs[start + i], row: cells.row, v) }
        }
        #expect(above == ["\(gate)@\(row(index))", close].sorted())
        // A wrong parity of S (⌊S/2⌋ off by one half): the identity fails.
        let parity = try cheat { a in
            let cells = c.compiled.cells(group: g, index: index)
            try a.set(cells.free[3], row: cells.row, 1 - (sum & 1))
        }
        #expect(parity == ["\(gate)@\(row(index))"])
    }
}
