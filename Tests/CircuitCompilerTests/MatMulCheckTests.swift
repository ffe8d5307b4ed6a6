import ConstraintSystem
import DirectInference
import FieldArithmetic
import ModelGraph
import Quantization
import Testing

@testable import CircuitCompiler

/// The random-point check of a MatMul of two activations (`MatMulCheckLayout`, docs/protocol.md §20) on a small
/// batched product C = A·Bᵀ (2 batches of 3×4 · 4×3, two lanes per row, so segments leave padding lanes), through the checker: the
/// honest witness passes at several χ and its C is the direct integer product; a changed C entry (its rescale
/// changed consistently), a changed operand copy and a wrong running sum are each caught by the constraint
/// that binds them.
struct MatMulCheckTests {
    let c: Compiled

    init() throws {
        var rng = SeededRandom(seed: 29)
        var b = GraphBuilder()
        let x = try b.addInput("x", shape: [2, 3, 4])
        let fa = try Linear(weight: rng.tensor([4, 4], scale: 0.9), bias: rng.tensor([4], scale: 0.2))
        let fb = try Linear(weight: rng.tensor([4, 4], scale: 0.9), bias: rng.tensor([4], scale: 0.2))
        let a = try b.addNode(name: "fa", sourceOp: "MatMul", operation: .linear(fa), inputs: [x], outputName: "a")
        let bb = try b.addNode(name: "fb", sourceOp: "MatMul", operation: .linear(fb), inputs: [x], outputName: "b")
        let bt = try b.addNode(name: "t", sourceOp: "Transpose", operation: .transpose([0, 2, 1]), inputs: [bb], outputName: "bt")
        let y = try b.addNode(name: "mm", sourceOp: "MatMul", operation: .arithmetic(.matMul), inputs: [a, bt], outputName: "y")
        try b.markOutput(y)
        let graph = try b.build()
        // Two lanes per row: rows fold several lanes, and segments of 3 and 9 elements end in padding lanes.
        c = try Compiled(graph, input: randomInputs(graph, seed: 31), options: CompileOptions(lanesPerRow: 2, stackRangeChecks: false, limbBits: 8))
    }

    var check: MatMulCheck { c.compiled.plan.matMulChecks[0] }
    var matMul: MatMulCheckLayout { c.compiled.matMulLayout! }

    func value(_ name: String) -> [Int64] {
        c.trace.values[c.model.graph.values.firstIndex { $0.name == name }!]
    }

    /// The stream cell of lane `index` in `group`, and its row.
    func streamCell(group: Int, index: Int) -> (row: Int, cell: AdviceColumn) {
        let cells = c.compiled.cells(group: group, index: index)
        return (cells.row, cells.free[0])
    }

    @Test func honestWitnessPassesAndCIsTheIntegerProduct() throws {
        #expect(check.m == 3 && check.k == 4 && check.n == 3 && check.batches == 2)
        for rho in [Fr(7), Fr(0xfeed_f00d), -Fr(3)] {
            let failures = c.check(try c.witness(rho: rho))
            #expect(failures.isEmpty, "\(failures.prefix(3))")
        }
        // C in the stream against A·B computed here from the trace's operands (b is [2, 3, 4]: Bᵀ's [κ, j] is b[j, κ]).
        let a = value("a"), b = value("b"), y = value("y")
        let w = try c.witness()
        let shift = c.model.settings.activationScale
        for batch in 0..<2 {
            let group = check.group(batch: batch, segment: 2 * check.k)
            for i in 0..<3 {
                for j in 0..<3 {
                    var direct: Int64 = 0
                    for t in 0..<4 { direct += a[batch * 12 + i * 4 + t] * b[batch * 12 + j * 4 + t] }
                    let (row, cell) = streamCell(group: group, index: i * 3 + j)
                    #expect(w.value(cell, row: row) == Fr(signed: direct))
                    #expect(y[batch * 9 + i * 3 + j] == FixedPoint.rescale(direct, shift: shift).0)
                }
            }
        }
        // The stream: k·(m + n) + m·n lanes per batch, never m·k·n cells.
        #expect(check.streamLanes == 2 * (4 * 6 + 9))
    }

    /// The row of the check gate of `batch` (its product segment's last row).
    func checkRow(batch: Int) -> Int {
        let rows = c.compiled.layout.groupRows[check.group(batch: batch, segment: 2 * check.k)]
        return rows.start + rows.count - 1
    }

    @Test func changedProductEntryIsCaughtByTheCheck() throws {
        // C[1][2,1] + 1 with the output's rescale lane holding R_s of the changed value: the relation and every lane
        // agree, only Σ a_κ·b_κ = c does not.
        let shift = c.model.settings.activationScale
        let group = check.group(batch: 1, segment: 2 * check.k)
        let output = c.group("mm")
        var a = try c.compiled.assignment(trace: c.trace)
        let (row, cell) = streamCell(group: group, index: 2 * 3 + 1)
        let honest = Int64(CompiledCircuit.signedInteger(a.value(cell, row: row)!)!)
        let changed = honest + 1
        try a.set(cell, row: row, Fr(signed: changed))
        let (q, r) = FixedPoint.rescale(changed, shift: shift)
        let lane = c.compiled.cells(group: output, index: 9 + 2 * 3 + 1)
        let (limbs, free) = try c.compiled.plan.groups[output].kind.gadget.witness([q, r])
        for (column, v) in zip(lane.limbs, limbs) { try a.set(column, row: lane.row, v) }
        for (column, v) in zip(lane.free, free) { try a.set(column, row: lane.row, v) }
        try c.compiled.assignSum(&a, rho: Fr(0x1234_5678_9abc_def1))
        // The output changed too (it is a public value): keep it consistent, so only the MatMul check can object.
        let outputPosition = c.compiled.plan.publicInputCount + 9 + 2 * 3 + 1
        try a.set(c.compiled.publicValues[outputPosition / c.compiled.layout.publicColumnLength],
                  row: outputPosition % c.compiled.layout.publicColumnLength, q)
        try c.compiled.assignSum(&a, rho: Fr(0x1234_5678_9abc_def1))
        #expect(c.check(a).namesAndRows == ["mm_check@\(checkRow(batch: 1))"])
    }

    @Test func changedOperandCopyIsCaughtByTheRelation() throws {
        // A stream lane of A's column 2 in batch 0 holding another value: its copy equation fails (the relation's
        // close), and the check with it.
        let group = check.group(batch: 0, segment: 4)
        var a = try c.compiled.assignment(trace: c.trace)
        let (row, cell) = streamCell(group: group, index: 1)
        try a.set(cell, row: row, a.value(cell, row: row)! + Fr(5))
        try c.compiled.assignSum(&a, rho: Fr(0x1234_5678_9abc_def1))
        let names = c.check(a).namesAndRows
        #expect(names.contains("clr_close@\(c.compiled.layout.closeRow)"))
        #expect(names.contains("mm_check@\(checkRow(batch: 0))"))
    }

    @Test func wrongRunningSumIsCaughtByItsGate() throws {
        // The product segment's running sum replaced on its last row by what the operands' side gives: the check
        // passes there, and the run gate that ties the sum to the stream fails on the row before.
        var a = try c.witness()
        let last = checkRow(batch: 0)
        try a.set(matMul.sum, row: last, a.value(matMul.total, row: last)! + Fr(1))
        try a.set(matMul.total, row: last, a.value(matMul.total, row: last)! + Fr(1))
        let names = c.check(a).namesAndRows
        #expect(names.contains("mm_b@\(last - 1)"))
        #expect(!names.contains("mm_check@\(last)"))
    }

    @Test func paddingLanesAreForcedToZero() throws {
        // The product segment of 9 lanes leaves padding slots when L does not divide 9; a value there would be a
        // free term of the check, so the relation forces it to 0.
        let lanes = c.compiled.layout.lanes(of: c.compiled.plan.groups[check.firstGroup].kind)
        try #require(lanes == 2)
        let segment = 2 * check.k, length = 9
        let group = check.group(batch: 0, segment: segment)
        var a = try c.compiled.assignment(trace: c.trace)
        let (row, cell) = streamCell(group: group, index: length)
        try a.set(cell, row: row, Fr(3))
        try c.compiled.assignSum(&a, rho: Fr(0x1234_5678_9abc_def1))
        #expect(c.check(a).namesAndRows.contains("clr_close@\(c.compiled.layout.closeRow)"))
    }
}
