import ConstraintSystem
import DirectInference
import FieldArithmetic
import Quantization
import Testing

@testable import CircuitCompiler

/// The standalone gadgets (LeakyRelu, Clip, MaxPool, product of activations, Sigmoid/Tanh tables) on one
/// synthetic model: the honest witness passes, and each cheat is caught by the gate, lookup or range check that
/// binds it, at the lane's row (and nothing else, except the fold's close when the cheat changes the lane's
/// output, which the next layer's equation then disagrees with).
struct GadgetSoundnessTests {
    let c: Compiled

    init() throws {
        let graph = try SyntheticModels.everyGadget()
        c = try Compiled(graph, input: randomInputs(graph, seed: 21), options: .columnRangeChecks)
    }

    var close: String { "clr_close@\(c.compiled.layout.closeRow)" }

    func gate(_ layer: String) -> String { c.compiled.plan.groups[c.group(layer)].kind.name }

    /// Lanes of `layer` whose trace integers satisfy `predicate`.
    func lanes(_ layer: String, where predicate: ([Int64]) -> Bool) throws -> [Int] {
        let g = c.group(layer)
        return try (0..<c.compiled.plan.groups[g].count).filter { predicate(try c.laneInputs(group: g, index: $0)) }
    }

    /// "range8.<j>" for limb cell `cell` of a lane.
    func rangeLookup(_ layer: String, index: Int, cell: Int) -> String {
        let lane = c.compiled.cells(group: c.group(layer), index: index)
        return "range8.\(c.compiled.limbs.firstIndex(of: lane.limbs[cell])!)@\(lane.row)"
    }

    func row(_ layer: String, _ index: Int) -> Int { c.compiled.cells(group: c.group(layer), index: index).row }

    var sigmoid: TableGadget {
        guard case .table(let t) = c.compiled.plan.groups[c.group("sigmoid")].kind else { fatalError("no table lanes") }
        return t
    }

    @Test func honestWitnessPassesAndCoversEveryBranch() throws {
        for rho in [Fr(7), Fr(0xfeed_f00d), -Fr(3)] {
            let failures = c.check(try c.witness(rho: rho))
            #expect(failures.isEmpty, "\(failures.prefix(3))")
        }
        // LeakyRelu and Clip see both signs and every region; the sigmoid's inputs leave the grid on both sides.
        #expect(try !lanes("leaky", where: { $0[0] < 0 }).isEmpty && !lanes("leaky", where: { $0[0] > 0 }).isEmpty)
        #expect(try !lanes("clip", where: { $0[0] < -32768 }).isEmpty && !lanes("clip", where: { $0[0] > 65536 }).isEmpty)
        #expect(try !lanes("clip", where: { $0[0] > -32768 && $0[0] < 65536 }).isEmpty)
        let table = sigmoid.table
        #expect(try !lanes("sigmoid", where: { $0[1] < table.minIndex }).isEmpty)
        #expect(try !lanes("sigmoid", where: { $0[1] > table.maxIndex }).isEmpty)
        #expect(try !lanes("sigmoid", where: { $0[1] >= table.minIndex && $0[1] <= table.maxIndex && $0[2] != 0 }).isEmpty)
        // Border windows of the padded MaxPool repeat an element.
        #expect(try !lanes("pool", where: { Set($0[1...]).count < 4 }).isEmpty)
        // The function tables are small: 256 rows each (two stacked here, so 2^10 rows; one alone fits 2^9).
        #expect(c.compiled.layout.functionTableRows == 512 && c.compiled.layout.log2Rows == 10)
    }

    // MARK: LeakyRelu

    @Test func leakyReluPassingANegativeValueIsCaught() throws {
        let index = try #require(try lanes("leaky", where: { $0[0] < -100 }).first)
        let g = c.group("leaky")
        let honest = try c.laneInputs(group: g, index: index)
        let gadget = c.compiled.plan.groups[g].kind.gadget as! LeakyReluGadget
        // Output x instead of R_w(α·x): the output limbs hold x (in range), the sign still says negative.
        let a = try c.tampered(group: g, index: index, inputs: honest) { a, cells in
            let o = gadget.output.cells(of: UInt64(honest[0] + (1 << 31)))
            let first = gadget.magnitude.cellCount + gadget.remainder!.cellCount
            for (i, v) in o.enumerated() { try a.set(cells.limbs[first + i], row: cells.row, v) }
        }
        #expect(c.check(a).namesAndRows == ["\(gate("leaky"))@\(row("leaky", index))", close].sorted())
    }

    @Test func leakyReluWrongRoundingIsCaught() throws {
        let g = c.group("leaky")
        for index in [try #require(try lanes("leaky", where: { $0[0] < 0 }).first), try #require(try lanes("leaky", where: { $0[0] > 0 }).first)] {
            var inputs = try c.laneInputs(group: g, index: index)
            inputs[2] = inputs[2] == 0 ? 1 : inputs[2] - 1  // r off by one, q kept: the identity fails
            #expect(c.check(try c.tampered(group: g, index: index, inputs: inputs)).namesAndRows == ["\(gate("leaky"))@\(row("leaky", index))"])
        }
    }

    // MARK: Clip

    @Test func clipPassingAValueAboveTheBoundIsCaught() throws {
        let index = try #require(try lanes("clip", where: { $0[0] > 65536 + 10 }).first)
        let g = c.group("clip")
        let x = try c.laneInputs(group: g, index: index)[0]
        let gadget = c.compiled.plan.groups[g].kind.gadget as! ClipGadget
        let first = gadget.lowerSplit!.cellCount
        // Claim "x ≤ hi" (s₂ = 1) so out = x: the magnitude would be hi − x < 0, which no limbs hold.
        let a = try c.tampered(group: g, index: index, inputs: [x]) { a, cells in
            try a.set(cells.free[1], row: cells.row, Fr.one)
            try a.set(cells.limbs[first], row: cells.row, Fr(signed: 65536 - x))
            for l in (first + 1)..<gadget.limbCells { try a.set(cells.limbs[l], row: cells.row, Fr.zero) }
        }
        #expect(c.check(a).namesAndRows == [rangeLookup("clip", index: index, cell: first), close].sorted())
    }

    @Test func clipOfAnotherInputIsCaught() throws {
        // A well-formed lane for x + 1: its received x disagrees with the fc output it is tied to.
        let index = try #require(try lanes("clip_low", where: { $0[0] > 20000 }).first)
        let g = c.group("clip_low")
        let x = try c.laneInputs(group: g, index: index)[0]
        #expect(c.check(try c.tampered(group: g, index: index, inputs: [x + 1])).namesAndRows == [close])
    }

    // MARK: MaxPool

    @Test func maxAboveEveryElementIsCaught() throws {
        let g = c.group("pool")
        let honest = try c.laneInputs(group: g, index: 4)
        let gadget = c.compiled.plan.groups[g].kind.gadget as! MaxPoolGadget
        // m + 1 with every d_j + 1: every port still receives its element, but no d_j is 0.
        let a = try c.tampered(group: g, index: 4, inputs: honest) { a, cells in
            try a.set(cells.free[0], row: cells.row, honest[0] + 1)
            for (j, x) in honest[1...].enumerated() {
                let d = gadget.difference.cells(of: UInt64(honest[0] + 1 - x))
                for (i, v) in d.enumerated() { try a.set(cells.limbs[j * d.count + i], row: cells.row, v) }
            }
        }
        #expect(c.check(a).namesAndRows == ["\(gate("pool"))@\(row("pool", 4))", close].sorted())
    }

    @Test func maxBelowTheLargestElementIsCaught() throws {
        let index = try #require(try lanes("pool", where: { Set($0[1...]).count > 1 }).first)
        let g = c.group("pool")
        let honest = try c.laneInputs(group: g, index: index)
        let window = Array(honest[1...])
        let claimed = window.min()!
        let gadget = c.compiled.plan.groups[g].kind.gadget as! MaxPoolGadget
        let width = gadget.difference.cellCount
        var expected: [String] = [close]
        let a = try c.tampered(group: g, index: index, inputs: honest) { a, cells in
            try a.set(cells.free[0], row: cells.row, claimed)
            for j in 0..<window.count {
                try a.set(cells.free[1 + j], row: cells.row, j == window.firstIndex(of: claimed)! ? Fr.one : Fr.zero)
                let d = claimed - window[j]
                // A negative difference cannot be held by limbs: put it in the low limb (out of its range).
                let limbs = d >= 0 ? gadget.difference.cells(of: UInt64(d)) : [0, 0, 0, 0]
                for (i, v) in limbs.enumerated() { try a.set(cells.limbs[j * width + i], row: cells.row, v) }
                if d < 0 {
                    try a.set(cells.limbs[j * width], row: cells.row, Fr(signed: d))
                    expected.append(rangeLookup("pool", index: index, cell: j * width))
                }
            }
        }
        #expect(c.check(a).namesAndRows == expected.sorted())
    }

    // MARK: Product of two activations

    @Test func productWrongRoundingIsCaught() throws {
        let g = c.group("product")
        var inputs = try c.laneInputs(group: g, index: 3)
        inputs[3] = inputs[3] == 0 ? 1 : inputs[3] - 1
        #expect(c.check(try c.tampered(group: g, index: 3, inputs: inputs)).namesAndRows == ["\(gate("product"))@\(row("product", 3))"])
    }

    @Test func productOfAnotherOperandIsCaught() throws {
        // A consistent product lane for a + 1: the port tying a to the sigmoid's output disagrees.
        let g = c.group("product")
        let honest = try c.laneInputs(group: g, index: 3)
        let (q, r) = FixedPoint.rescale((honest[0] + 1) * honest[1], shift: 16)
        #expect(c.check(try c.tampered(group: g, index: 3, inputs: [honest[0] + 1, honest[1], q, r])).namesAndRows == [close])
    }

    // MARK: Sigmoid / Tanh tables

    @Test func interpolatingBeyondTheGridIsCaught() throws {
        let table = sigmoid.table
        let index = try #require(try lanes("sigmoid", where: { $0[1] > table.maxIndex && $0[2] != 0 }).first)
        let g = c.group("sigmoid")
        let honest = try c.laneInputs(group: g, index: index)
        // Interpolate with the unclamped fraction: g = f instead of 0, q and r consistent with it.
        let (q, r) = FixedPoint.rescale(table.delta(table.maxIndex) * honest[2], shift: table.shift)
        let a = try c.tampered(group: g, index: index, inputs: [honest[0], honest[1], honest[2], honest[3], q, r]) { a, cells in
            try a.set(cells.free[5], row: cells.row, honest[2])
        }
        // The output changes (and the next layer disagrees) only when the interpolation rounds to a non-zero q.
        let expected = ["\(gate("sigmoid"))@\(row("sigmoid", index))"] + (q != 0 ? [close] : [])
        #expect(c.check(a).namesAndRows == expected.sorted())
    }

    @Test func anotherTableRowIsCaught() throws {
        let table = sigmoid.table
        let index = try #require(try lanes("sigmoid", where: { abs($0[1]) < 64 }).first)
        #expect(table.delta(try c.laneInputs(group: c.group("sigmoid"), index: index)[3]) != 0)
        let g = c.group("sigmoid")
        let honest = try c.laneInputs(group: g, index: index)
        // The next row of the table (a genuine row, so the lookup passes): u is not the clamp of z.
        let u = honest[3] + 1
        let a = try c.tampered(group: g, index: index, inputs: honest) { a, cells in
            try a.set(cells.free[2], row: cells.row, u)
            try a.set(cells.free[3], row: cells.row, table.lookup(u))
            try a.set(cells.free[4], row: cells.row, table.delta(u))
        }
        let failures = c.check(a).namesAndRows
        #expect(failures.contains("\(gate("sigmoid"))@\(row("sigmoid", index))") && failures.contains(close))
        #expect(!failures.contains { $0.hasPrefix("\(gate("sigmoid")).") })  // the lookup itself passes
    }

    @Test func aValueOutsideTheTableIsCaughtByTheLookup() throws {
        let g = c.group("sigmoid")
        let honest = try c.laneInputs(group: g, index: 0)
        let a = try c.tampered(group: g, index: 0, inputs: honest) { a, cells in
            try a.set(cells.free[3], row: cells.row, a.value(cells.free[3], row: cells.row)! + Fr.one)
        }
        let slot = c.compiled.layout.placement(group: g, index: 0).slot
        #expect(c.check(a).namesAndRows == ["\(gate("sigmoid")).\(slot)@\(row("sigmoid", 0))", close].sorted())
    }

    @Test func tableWrongRoundingIsCaught() throws {
        let g = c.group("tanh")
        let index = try #require(try lanes("tanh", where: { $0[2] != 0 }).first)
        var inputs = try c.laneInputs(group: g, index: index)
        inputs[5] = inputs[5] == 0 ? 1 : inputs[5] - 1
        #expect(c.check(try c.tampered(group: g, index: index, inputs: inputs)).namesAndRows == ["\(gate("tanh"))@\(row("tanh", index))"])
    }

    @Test func unclampedBelowTheGridIsCaught() throws {
        // An input below the grid claimed "inside" (s₁ = 1): its magnitude z − u_lo is negative.
        let table = sigmoid.table
        let index = try #require(try lanes("sigmoid", where: { $0[1] < table.minIndex }).first)
        let g = c.group("sigmoid")
        let honest = try c.laneInputs(group: g, index: index)
        let gadget = sigmoid
        let first = gadget.fraction!.cellCount
        let a = try c.tampered(group: g, index: index, inputs: honest) { a, cells in
            try a.set(cells.free[0], row: cells.row, Fr.one)
            try a.set(cells.limbs[first], row: cells.row, Fr(signed: honest[1] - table.minIndex))
            for l in (first + 1)..<(first + gadget.low.cellCount) { try a.set(cells.limbs[l], row: cells.row, Fr.zero) }
        }
        let failures = c.check(a).namesAndRows
        #expect(failures.contains(rangeLookup("sigmoid", index: index, cell: first)))
    }
}
