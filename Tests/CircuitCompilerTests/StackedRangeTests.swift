import ConstraintSystem
import FieldArithmetic
import Testing

@testable import CircuitCompiler

/// Stacked range checks (`CircuitLayout`): the limb cells are copied into a few looked-up `stack` columns and
/// each copy is an equation of the fold. A limb out of range must be caught either by its copy (when the stack
/// keeps the honest value) or by the stack's lookup (when the cheat copies it too) — never missed.
struct StackedRangeTests {
    let c: Compiled

    init() throws {
        let graph = try SyntheticModels.mlp()
        c = try Compiled(graph, input: randomInputs(graph, seed: 1), options: CompileOptions(stackRangeChecks: true))
    }

    var close: String { "sum-boundary@\(c.compiled.layout.closeRow)" }

    /// The lookup that range-checks the copy of limb column `j` on lane row `row`.
    func stackLookup(row: Int, limb j: Int) -> String {
        let place = c.compiled.layout.stackPlace(row * c.compiled.layout.limbColumns + j)
        return "range8.stack\(place.column)@\(place.row)"
    }

    @Test func layoutCopiesEveryLimbCellIntoTheStack() throws {
        let layout = c.compiled.layout
        #expect(layout.isStacked)
        #expect(layout.stackedCells == layout.laneRows * layout.limbColumns)
        #expect(layout.stackColumns * layout.stackLength >= layout.stackedCells)
        #expect(layout.closeRow < c.compiled.circuit.usableRows)
        // Only the stack is looked up in the range table.
        let names = c.compiled.circuit.lookups.map(\.name).filter { $0.hasPrefix("range8") }
        #expect(names == (0..<layout.stackColumns).map { "range8.stack\($0)" })
        // Stacking does not make the circuit taller than per-column range checks.
        let columns = try Compiled(try SyntheticModels.mlp(), input: randomInputs(try SyntheticModels.mlp(), seed: 1),
                                   options: .columnRangeChecks)
        #expect(layout.log2Rows == columns.compiled.layout.log2Rows)
        #expect(layout.lookupArguments < columns.compiled.layout.lookupArguments)
    }

    @Test func honestWitnessPassesAtAnyChallenge() throws {
        for rho in [Fr(7), Fr(0xfeed_f00d), -Fr(3), Fr(1)] {
            let failures = c.check(try c.witness(rho: rho))
            #expect(failures.isEmpty, "\(failures.prefix(3))")
        }
    }

    /// The remainder made 2^16 too large with the quotient one lower: the lane's own arithmetic holds and only
    /// the top remainder limb (≥ 256) is out of range.
    func remainderCheat(copyToStack: Bool) throws -> (assignment: Assignment, row: Int) {
        let g = c.group("fc1")
        let index = try #require(
            try (0..<c.compiled.plan.groups[g].count).first { try c.laneInputs(group: g, index: $0)[0] < 0 })
        let honest = try c.laneInputs(group: g, index: index)
        let row = c.compiled.cells(group: g, index: index).row
        let a = try c.tampered(group: g, index: index, inputs: honest) { a, cells in
            let (limbs, free) = try c.compiled.plan.groups[g].kind.gadget.witness([honest[0] - 1, 0])
            for (cell, v) in zip(cells.limbs[2...], limbs[2...]) { try a.set(cell, row: cells.row, v) }
            for (cell, v) in zip(cells.free, free) { try a.set(cell, row: cells.row, v) }
            let r = honest[1] + (1 << 16)
            try a.set(cells.limbs[0], row: cells.row, r & 0xff)
            try a.set(cells.limbs[1], row: cells.row, r >> 8)
            if copyToStack { try c.compiled.copyLimbsToStack(&a) }
        }
        return (a, row)
    }

    @Test func limbOutOfRangeWithAnHonestCopyIsCaughtByTheFold() throws {
        let (a, _) = try remainderCheat(copyToStack: false)
        #expect(c.check(a).namesAndRows == [close])
    }

    @Test func limbOutOfRangeCopiedIntoTheStackIsCaughtByTheStackLookup() throws {
        let (a, row) = try remainderCheat(copyToStack: true)
        let limb = c.compiled.limbs.firstIndex(of: c.compiled.cells(group: c.group("fc1"), index: 0).limbs[1])!
        #expect(c.check(a).namesAndRows == [stackLookup(row: row, limb: limb)])
    }

    /// Swapping two copies in the stack (each still in range) breaks two copy equations: caught by the fold.
    @Test func copiesInTheWrongPlaceAreCaught() throws {
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
        #expect(c.check(a).namesAndRows == [close])
    }
}
