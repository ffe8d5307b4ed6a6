import TestSupport
import ConstraintSystem
import FieldArithmetic
import KZG
import Parallelism
import PlonkVerifier
import Testing

@testable import PlonkProver

/// Completeness (honest proofs verify) and soundness through the test-only entry point (proofs of
/// witnesses the checker rejects are rejected by the verifier).
struct ProofTests {
    @Test func featureCircuitProofVerifies() throws {
        let key = Fixtures.featureKey
        let file = Fixtures.featureProof
        try PlonkVerifier.verify(key: key.verifyingKey, proof: file)
        // The body has exactly §14's size, as ConstraintSystem's ProofShape counts it too.
        #expect(file.body.count == ProofShape(Fixtures.feature.circuit).bytes)
        #expect(file.body.count == key.circuit.proofBodyBytes)
        #expect(file.publicValues[0].map(FieldFormatting.signed) == ["1", "8", "\(Fixtures.feature.y[0])", "\(Fixtures.feature.y[1])"])
        // The verifier's shape agrees with the circuit's own accounting.
        let circuit = Fixtures.feature.circuit
        #expect(key.circuit.quotientDegree == circuit.quotientDegree)
        #expect(key.circuit.permutationChunks == circuit.permutationChunks)
        #expect(key.circuit.queriedAtNext(.advice) == circuit.adviceQueriedAtNext.map(\.index))
    }

    @Test func publicFoldProofVerifies() throws {
        for x in [[12, -5, 7, 3], [0, 0, 0, 0], [-1000, 999, 1, -77]] as [[Int64]] {
            let file = try Fixtures.publicFoldProof(x: x)
            try PlonkVerifier.verify(key: Fixtures.publicFoldKey.verifyingKey, proof: file)
        }
    }

    /// Circuits of several sizes and shapes: a chain of multiply-adds with random small values, random
    /// copies between equal cells, a range lookup, at 2^3 … 2^7 rows and 1–3 extra columns.
    @Test(arguments: [(3, 0), (4, 1), (5, 2), (6, 3), (7, 1)])
    func randomCircuitsVerify(log2Rows: Int, extraColumns: Int) throws {
        var rng = SeededRandom(seed: UInt64(log2Rows * 31 + extraColumns))
        var cs = ConstraintSystemBuilder()
        let a = cs.adviceColumn("a"), b = cs.adviceColumn("b"), c = cs.adviceColumn("c")
        let extras = (0..<extraColumns).map { cs.adviceColumn("e\($0)") }
        let q = cs.fixedColumn("q"), qr = cs.fixedColumn("q_range"), table = cs.fixedColumn("table")
        let rows = (1 << log2Rows) - Circuit.reservedRows
        cs.addGate(name: "mad", selector: q, constraints: [a.cur * b.cur + c.cur - a.next])
        if !extras.isEmpty {
            cs.addLookup(LookupArgument(name: "range", selector: qr, inputs: [extras[0].cur], table: [table]))
        }
        for r in 0..<rows { cs.setFixed(table, row: r, Int64(r)) }
        cs.enable(q, rows: 0..<(rows - 1))
        var values: [[Int64]] = [[], [], []]
        var acc: Int64 = Int64(rng.next() % 7)
        for _ in 0..<rows {
            let bv = Int64(rng.next() % 5) - 2, cv = Int64(rng.next() % 9) - 4
            values[0].append(acc)
            values[1].append(bv)
            values[2].append(cv)
            acc = acc * bv + cv
            if acc.magnitude > 1_000_000 { acc = 1 }  // only rows < rows−1 are constrained by "mad"
        }
        var extraValues: [[Int64]] = []
        for (i, _) in extras.enumerated() {
            extraValues.append((0..<rows).map { _ in Int64(rng.next() % UInt64(rows)) })
            if i == 0 { cs.enable(qr, rows: 0..<rows) }
        }
        // Copies between cells that hold equal values (checked by construction).
        for _ in 0..<3 {
            let r1 = Int(rng.next() % UInt64(rows)), r2 = Int(rng.next() % UInt64(rows))
            if values[1][r1] == values[1][r2] && r1 != r2 { cs.copy(b.at(r1), b.at(r2)) }
        }
        cs.copy(a.at(0), a.at(0))
        // The last row of "a" must be consistent: recompute after fixing the chain.
        for r in 0..<(rows - 1) where values[0][r + 1] != values[0][r] * values[1][r] + values[2][r] {
            values[2][r] = values[0][r + 1] - values[0][r] * values[1][r]
        }
        let circuit = try cs.build(log2Rows: log2Rows)
        var w = Assignment(circuit: circuit)
        for r in 0..<rows {
            try w.set(a, row: r, values[0][r])
            try w.set(b, row: r, values[1][r])
            try w.set(c, row: r, values[2][r])
            for (i, e) in extras.enumerated() { try w.set(e, row: r, extraValues[i][r]) }
        }
        let key = try KeyGeneration.generate(circuit: circuit, srs: TestSRS.make(log2Size: log2Rows))
        let file = try PlonkProver.prove(key: key, circuit: circuit, assignment: w)
        try PlonkVerifier.verify(key: key.verifyingKey, proof: file)
        #expect(file.body.count == ProofShape(circuit).bytes)
    }

    @Test(arguments: [
        (FeatureCircuit.Cheat.gate, ["mul@6"]), (.lookup, ["range@5"]), (.copy, []), (.fold, ["close@16"]),
    ])
    func proverRefusesWitnessTheCheckerRejects(cheat: FeatureCircuit.Cheat, failures: [String]) throws {
        let f = Fixtures.feature
        do {
            _ = try PlonkProver.prove(key: Fixtures.featureKey, circuit: f.circuit, assignment: f.assignment(cheat), witness: f.phase2)
            Issue.record("the prover accepted a bad witness")
        } catch ProverError.unsatisfiedWitness(let report) {
            let names = report.failures.compactMap { failure -> String? in
                guard let name = failure.constraintName, let row = failure.row else { return nil }
                return "\(name)@\(row)"
            }
            #expect(names == failures)
            if cheat == .copy {
                #expect(report.failures.count == 1)
                if case .copy = report.failures[0] {} else { Issue.record("expected a copy failure") }
            }
        }
    }

    /// The test-only entry point proves the bad witness anyway; the verifier must reject every one.
    @Test(arguments: [FeatureCircuit.Cheat.gate, .lookup, .copy, .fold])
    func verifierRejectsProofsOfUnsatisfiedWitnesses(cheat: FeatureCircuit.Cheat) throws {
        let f = Fixtures.feature
        let file = try PlonkProver.proveUnchecked(
            key: Fixtures.featureKey, circuit: f.circuit, assignment: f.assignment(cheat), witness: f.phase2)
        #expect(throws: VerificationError.pairingCheckFailed) {
            try PlonkVerifier.verify(key: Fixtures.featureKey.verifyingKey, proof: file)
        }
        // The same entry point with the honest witness verifies: the rejection is the witness's fault.
        let honest = try PlonkProver.proveUnchecked(
            key: Fixtures.featureKey, circuit: f.circuit, assignment: f.assignment(), witness: f.phase2)
        try PlonkVerifier.verify(key: Fixtures.featureKey.verifyingKey, proof: honest)
    }

    @Test func publicFoldCheatIsRejected() throws {
        let p = Fixtures.publicFold
        #expect(throws: ProverError.self) {
            _ = try PlonkProver.prove(
                key: Fixtures.publicFoldKey, circuit: p.circuit, assignment: p.assignment(cheat: true), witness: p.phase2)
        }
        let file = try PlonkProver.proveUnchecked(
            key: Fixtures.publicFoldKey, circuit: p.circuit, assignment: p.assignment(cheat: true), witness: p.phase2)
        #expect(throws: VerificationError.pairingCheckFailed) {
            try PlonkVerifier.verify(key: Fixtures.publicFoldKey.verifyingKey, proof: file)
        }
    }

    /// Blinding: two proofs of the same witness share nothing but the public values.
    @Test func proofsOfOneWitnessDiffer() throws {
        let f = Fixtures.feature
        let second = try PlonkProver.prove(
            key: Fixtures.featureKey, circuit: f.circuit, assignment: f.assignment(), witness: f.phase2)
        try PlonkVerifier.verify(key: Fixtures.featureKey.verifyingKey, proof: second)
        #expect(second.publicValues == Fixtures.featureProof.publicValues)
        let a = Fixtures.featureProof.body, b = second.body
        // Every 32-byte item differs (commitments, evaluations, openings).
        for item in 0..<(a.count / 32) {
            #expect(a[(item * 32)..<(item * 32 + 32)] != b[(item * 32)..<(item * 32 + 32)], "item \(item)")
        }
    }

    /// Proving gives a valid proof for any thread count.
    @Test func proofVerifiesWithOneThread() throws {
        let f = Fixtures.feature
        let file = try Parallel.withThreadCount(1) {
            try PlonkProver.prove(key: Fixtures.featureKey, circuit: f.circuit, assignment: f.assignment(), witness: f.phase2)
        }
        try PlonkVerifier.verify(key: Fixtures.featureKey.verifyingKey, proof: file)
    }
}
