import TestSupport
import ConstraintSystem
import FieldArithmetic
import PlonkVerifier
import Testing

@testable import PlonkProver

/// Running sums committed through their table's buckets (`RunningSumCommitment`) are the same points as their
/// direct MSMs, so a seeded proof must be byte for byte the one the direct commitments give, and verify.
/// Serialized: each test switches the prover's static choice on and off.
@Suite(.serialized) struct RunningSumCommitmentTests {
    /// Proves with the bucketed commitment forced on (every table eligible) and off.
    static func bothWays(_ prove: () throws -> ProofFile) throws -> (bucketed: ProofFile, direct: ProofFile) {
        defer {
            ProverState.bucketsRunningSums = true
            ProverState.rowsPerTableRow = 2
        }
        ProverState.bucketsRunningSums = true
        ProverState.rowsPerTableRow = 0
        let before = ProverState.bucketedCommitmentCount
        let bucketed = try prove()
        #expect(ProverState.bucketedCommitmentCount > before, "the bucketed path ran")
        ProverState.bucketsRunningSums = false
        let direct = try prove()
        return (bucketed, direct)
    }

    /// Two tuple lookups into one tagged table with a table selector (the feature circuit).
    @Test func featureCircuitProofIsUnchanged() throws {
        let f = Fixtures.feature
        let proofs = try Self.bothWays {
            try PlonkProver.proveSeeded(key: Fixtures.featureKey, circuit: f.circuit, assignment: f.assignment(), seed: 11, witness: f.phase2)
        }
        #expect(proofs.bucketed == proofs.direct)
        try PlonkVerifier.verify(key: Fixtures.featureKey.verifyingKey, proof: proofs.bucketed)
    }

    /// Several sums per table, one carrying the table's side, and a second table.
    @Test func batchedLookupProofIsUnchanged() throws {
        let fixture = BatchedLookupTests.fixture
        let proofs = try Self.bothWays {
            try PlonkProver.proveSeeded(key: BatchedLookupTests.key, circuit: fixture.circuit, assignment: fixture.assignment(), seed: 12)
        }
        #expect(proofs.bucketed == proofs.direct)
        try PlonkVerifier.verify(key: BatchedLookupTests.key.verifyingKey, proof: proofs.bucketed)
    }

    /// Selector weights other than 1 (an input counted 3 or −2 times) take the last MSM with their scalars.
    @Test func weightedSelectorsProofIsUnchanged() throws {
        var cs = ConstraintSystemBuilder()
        let x = cs.adviceColumn("x")
        let q = cs.fixedColumn("q"), t = cs.fixedColumn("t")
        cs.addLookup(LookupArgument(name: "range", selector: q, inputs: [x.cur], table: [t]))
        for v in 0..<16 { cs.setFixed(t, row: v, Int64(v)) }
        for r in 0..<12 { cs.setFixed(q, row: r, r % 3 == 0 ? 3 : (r % 5 == 0 ? -2 : 1)) }
        let circuit = try cs.build(log2Rows: 5)
        let key = try KeyGeneration.generate(circuit: circuit, srs: TestSRS.make(log2Size: circuit.log2Rows))
        var w = Assignment(circuit: circuit)
        for r in 0..<12 { try w.set(x, row: r, Int64((5 * r) % 16)) }
        let assignment = w
        let proofs = try Self.bothWays {
            try PlonkProver.proveSeeded(key: key, circuit: circuit, assignment: assignment, seed: 13)
        }
        #expect(proofs.bucketed == proofs.direct)
        try PlonkVerifier.verify(key: key.verifyingKey, proof: proofs.bucketed)
    }
}
