import ConstraintSystem
import FieldArithmetic
import Testing

@testable import CircuitCompiler

/// Stacked range checks (`CircuitLayout`) and 7-bit limbs: the limb cells are copied into a few looked-up
/// `stack` columns and each copy is an equation of the fold. A limb out of range must be caught either by its
/// copy (when the stack keeps the honest value) or by the stack's lookup (when the cheat copies it too) —
/// never missed, at either limb width.
struct StackedRangeTests {
    func compiled(limbBits: Int, stacked: Bool = true) throws -> Compiled {
        let graph = try SyntheticModels.mlp()
        return try Compiled(graph, input: randomInputs(graph, seed: 1),
                            options: CompileOptions(stackRangeChecks: stacked, limbBits: limbBits))
    }

    func close(_ c: Compiled) -> String { "sum-boundary@\(c.compiled.layout.closeRow)" }

    @Test(arguments: [8, 7])
    func layoutCopiesEveryLimbCellIntoTheStack(limbBits: Int) throws {
        let c = try compiled(limbBits: limbBits)
        let layout = c.compiled.layout
        #expect(layout.isStacked)
        #expect(layout.stackedCells == layout.laneRows * layout.limbColumns)
        #expect(layout.stackColumns * layout.stackLength >= layout.stackedCells)
        #expect(layout.closeRow < c.compiled.circuit.usableRows)
        // Only the stack is looked up in the range table, which holds 0 … 2^L − 1.
        let names = c.compiled.circuit.lookups.map(\.name).filter { $0.hasPrefix("range") }
        #expect(names == (0..<layout.stackColumns).map { "range\(limbBits).stack\($0)" })
        #expect(layout.rangeTableRows == 1 << limbBits)
        // Stacking does not make the circuit taller than per-column range checks.
        let columns = try compiled(limbBits: limbBits, stacked: false)
        #expect(layout.log2Rows == columns.compiled.layout.log2Rows)
        #expect(layout.lookupArguments < columns.compiled.layout.lookupArguments)
    }

    @Test(arguments: [8, 7])
    func honestWitnessPassesAtAnyChallenge(limbBits: Int) throws {
        let c = try compiled(limbBits: limbBits)
        for rho in [Fr(7), Fr(0xfeed_f00d), -Fr(3), Fr(1)] {
            let failures = c.check(try c.witness(rho: rho))
            #expect(failures.isEmpty, "\(failures.prefix(3))")
        }
    }

    /// The remainder made 2^16 too large with the quotient one lower: the lane's own arithmetic (including the
    /// partial limb's helper) holds, and the top remainder cell is out of range — the top full limb (≥ 2^8)
    /// with 8-bit limbs, the helper 2^5·p (≥ 2^7) with 7-bit limbs. Returns the assignment, the lane's row and
    /// the limb cell that is out of range.
    func remainderCheat(_ c: Compiled, copyToStack: Bool) throws -> (assignment: Assignment, row: Int, cell: Int) {
        let g = c.group("fc1")
        let index = try #require(
            try (0..<c.compiled.plan.groups[g].count).first { try c.laneInputs(group: g, index: $0)[0] < 0 })
        let honest = try c.laneInputs(group: g, index: index)
        let row = c.compiled.cells(group: g, index: index).row
        let d = LimbDecomposition(limbBits: c.compiled.plan.limbBits, bits: 16)
        let r = honest[1] + (1 << 16)
        let mask = (Int64(1) << d.limbBits) - 1
        var remainderCells = (0..<d.fullLimbs).map { (r >> Int64(d.limbBits * $0)) & mask }
        var bad: Int
        if d.partialBits > 0 {
            let partial = r >> Int64(d.limbBits * d.fullLimbs)
            remainderCells += [partial, partial << Int64(d.limbBits - d.partialBits)]
            bad = d.fullLimbs + 1
        } else {
            remainderCells[d.fullLimbs - 1] = r >> Int64(d.limbBits * (d.fullLimbs - 1))
            bad = d.fullLimbs - 1
        }
        let a = try c.tampered(group: g, index: index, inputs: honest) { a, cells in
            let (limbs, free) = try c.compiled.plan.groups[g].kind.gadget.witness([honest[0] - 1, 0])
            for (cell, v) in zip(cells.limbs[d.cellCount...], limbs[d.cellCount...]) { try a.set(cell, row: cells.row, v) }
            for (cell, v) in zip(cells.free, free) { try a.set(cell, row: cells.row, v) }
            for (cell, v) in zip(cells.limbs, remainderCells) { try a.set(cell, row: cells.row, v) }
            if copyToStack { try c.compiled.copyLimbsToStack(&a) }
        }
        bad = c.compiled.limbs.firstIndex(of: c.compiled.cells(group: g, index: index).limbs[bad])!
        return (a, row, bad)
    }

    @Test(arguments: [8, 7])
    func limbOutOfRangeWithAnHonestCopyIsCaughtByTheFold(limbBits: Int) throws {
        let c = try compiled(limbBits: limbBits)
        let (a, _, _) = try remainderCheat(c, copyToStack: false)
        #expect(c.check(a).namesAndRows == [close(c)])
    }

    @Test(arguments: [8, 7])
    func limbOutOfRangeCopiedIntoTheStackIsCaughtByTheStackLookup(limbBits: Int) throws {
        let c = try compiled(limbBits: limbBits)
        let (a, row, limb) = try remainderCheat(c, copyToStack: true)
        let place = c.compiled.layout.stackPlace(row * c.compiled.layout.limbColumns + limb)
        #expect(c.check(a).namesAndRows == ["range\(limbBits).stack\(place.column)@\(place.row)"])
    }

    @Test(arguments: [8, 7])
    func limbOutOfRangeIsCaughtByItsColumnLookup(limbBits: Int) throws {
        let c = try compiled(limbBits: limbBits, stacked: false)
        let (a, row, limb) = try remainderCheat(c, copyToStack: false)
        #expect(c.check(a).namesAndRows == ["range\(limbBits).\(limb)@\(row)"])
    }

    /// Swapping two copies in the stack (each still in range) breaks two copy equations: caught by the fold.
    @Test func copiesInTheWrongPlaceAreCaught() throws {
        let c = try compiled(limbBits: 7)
        var a = try c.compiled.assignment(trace: c.trace)
        let layout = c.compiled.layout
        let stack = c.compiled.stack
        let cells = (0..<layout.stackedCells).map(layout.stackPlace)
        let (i, j) = try #require(
            (0..<cells.count).lazy.flatMap { i in (i + 1..<cells.count).lazy.map { (i, $0) } }.first { i, j in
                a.value(stack[cells[i].column], row: cells[i].row) != a.value(stack[cells[j].column], row: cells[j].row)
            })
        let vi = a.value(stack[cells[i].column], row: cells[i].row)!, vj = a.value(stack[cells[j].column], row: cells[j].row)!
        try a.set(stack[cells[i].column], row: cells[i].row, vj)
        try a.set(stack[cells[j].column], row: cells[j].row, vi)
        try c.compiled.assignSum(&a, rho: Fr(0x1234_5678_9abc_def1))
        #expect(c.check(a).namesAndRows == [close(c)])
    }
}
