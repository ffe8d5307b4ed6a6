import ConstraintSystem
import FieldArithmetic
import ModelGraph
import Quantization
import Testing

@testable import CircuitCompiler
@testable import PlonkProver
@testable import PlonkVerifier

/// Cheats on the random-point check of a MatMul of two activations (docs/protocol.md §20), end to end through the
/// real prover (unchecked) and verifier, on a small attention-shaped product y = A·Bᵀ (2 batches of 3×4 · 4×3):
/// a changed entry of C, rescaled consistently and published as the output, is caught by the check alone and the
/// proof is rejected; the same cheat with the product segment's running sum forged to agree with the operands'
/// side is caught by the running-sum gate and rejected too.
struct MatMulCheatTests {
    static let model: ProvedModel = {
        var rng = SeededRandomReals(seed: 37)
        var b = GraphBuilder()
        let x = try! b.addInput("x", shape: [2, 3, 4])
        let fa = try! Linear(weight: rng.tensor([4, 4], scale: 0.9), bias: rng.tensor([4], scale: 0.2))
        let fb = try! Linear(weight: rng.tensor([4, 4], scale: 0.9), bias: rng.tensor([4], scale: 0.2))
        let a = try! b.addNode(name: "fa", sourceOp: "MatMul", operation: .linear(fa), inputs: [x], outputName: "a")
        let bb = try! b.addNode(name: "fb", sourceOp: "MatMul", operation: .linear(fb), inputs: [x], outputName: "b")
        let bt = try! b.addNode(name: "t", sourceOp: "Transpose", operation: .transpose([0, 2, 1]), inputs: [bb], outputName: "bt")
        let y = try! b.addNode(name: "mm", sourceOp: "MatMul", operation: .arithmetic(.matMul), inputs: [a, bt], outputName: "y")
        try! b.markOutput(y)
        return try! ProvedModel(graph: try! b.build(), name: "adversarial matmul", input: [rng.inputs(24, scale: 16)])
    }()
    var m: ProvedModel { Self.model }
    var check: MatMulCheck { m.compiled.plan.matMulChecks[0] }
    var layout: MatMulCheckLayout { m.compiled.matMulLayout! }

    /// Batch 1's product segment: its group and the row of its check.
    var product: (group: Int, checkRow: Int) {
        let group = check.group(batch: 1, segment: 2 * check.k)
        let rows = m.compiled.layout.groupRows[group]
        return (group, rows.start + rows.count - 1)
    }

    @Test func honestProofVerifies() throws {
        #expect(try m.failures(try m.honest()).isEmpty)
        try m.verify(try m.proveHonest())
    }

    /// C[1][1,2] + 2^s in the stream, the output lane holding R_s of it (the true output + 1), published as the
    /// output: every lane and the relation agree with it; only Σ a_κ·b_κ = c does not.
    func changedProduct() throws -> Assignment {
        var a = try m.honest()
        let index = 1 * 3 + 2
        let cell = m.cells(product.group, index)
        let honest = try m.laneInputs(product.group, index)[0]
        let changed = honest + (Int64(1) << m.model.settings.activationScale)
        try a.set(cell.free[0], row: cell.row, changed)
        let (q, r) = FixedPoint.rescale(changed, shift: m.model.settings.activationScale)
        #expect(q == m.direct(output: 0, element: 9 + index) + 1)
        try m.write(&a, try m.group("mm"), 9 + index, inputs: [q, r])
        try m.claim(&a, output: 0, element: 9 + index, q)
        return a
    }

    @Test func changedProductEntryIsRejected() throws {
        let a = try changedProduct()
        try m.requireCaught(a, expected: ["mm_check@\(product.checkRow)"])
    }

    @Test func forgedRunningSumIsRejected() throws {
        let a = try changedProduct()
        let (layout, row) = (self.layout, product.checkRow)
        // The cheating prover's phase 2: honest columns from the changed cells, then the product segment's final sum
        // set to the operands' side (T), so the check holds and the running-sum gate of the row before does not.
        let compiled = m.compiled
        let proof = try PlonkProver.proveUnchecked(key: m.key, circuit: m.circuit, assignment: try linked(a)) { phase, w in
            if phase == 1 { try compiled.fillLinks(&w) }
            try compiled.assignPhase(phase, &w)
            if phase == layout.phase { try w.set(layout.sum, row: row, w.value(layout.total, row: row)!) }
        }
        #expect(throws: VerificationError.pairingCheckFailed) { try m.verify(proof) }
        // The same witness under the checker: exactly that gate fails.
        var full = a
        try compiled.assignSum(&full, rho: ProvedModel.checkerRho)
        try full.set(layout.sum, row: row, full.value(layout.total, row: row)!)
        let names = Set(ConstraintChecker.check(m.circuit, full).map { "\($0.constraintName ?? "?")@\($0.row ?? -1)" })
        #expect(names == ["mm_b@\(row - 1)"])
    }

    func linked(_ a: Assignment) throws -> Assignment {
        var linked = a
        try m.compiled.fillLinks(&linked)
        return linked
    }
}
