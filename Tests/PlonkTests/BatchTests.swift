import FieldArithmetic
import PlonkVerifier
import Testing

@testable import PlonkProver

/// Batch verification: one merged pairing check per SRS; a bad proof fails its group, and the fallback
/// names it.
struct BatchTests {
    static let otherSRSKey = try! KeyGeneration.generate(
        circuit: Fixtures.publicFold.circuit,
        srs: TestSRS.make(log2Size: Fixtures.publicFold.circuit.log2Rows, tau: Fr(987_654_321)))

    func items() throws -> [PlonkVerifier.BatchItem] {
        let f = Fixtures.feature
        var items: [PlonkVerifier.BatchItem] = []
        for _ in 0..<3 {
            let file = try PlonkProver.prove(key: Fixtures.featureKey, circuit: f.circuit, assignment: f.assignment(), witness: f.phase2)
            items.append(.init(key: Fixtures.featureKey.verifyingKey, proof: file))
        }
        for x in [[1, 2, 3, 4], [-5, 6, 0, 9]] as [[Int64]] {
            items.append(.init(key: Fixtures.publicFoldKey.verifyingKey, proof: try Fixtures.publicFoldProof(x: x)))
        }
        let p = Fixtures.publicFold
        let other = try PlonkProver.prove(
            key: Self.otherSRSKey, circuit: p.circuit, assignment: p.assignment(), witness: p.phase2)
        items.append(.init(key: Self.otherSRSKey.verifyingKey, proof: other))
        return items
    }

    @Test func goodBatchPassesWithOneCheckPerSRS() throws {
        let result = try PlonkVerifier.batchVerify(try items())
        #expect(result.allValid)
        // Feature and public-fold keys share the test SRS (same τ, so the same [1]₂, [τ]₂): one group; the
        // third key's SRS is another group.
        #expect(result.pairingChecks == 2)
        #expect(try PlonkVerifier.batchVerify([]).allValid)
    }

    @Test func badProofIsNamed() throws {
        var batch = try items()
        batch[1].proof.publicValues[0][3] += .one  // pairing fails
        batch[4].proof.body.removeLast()  // malformed
        let result = try PlonkVerifier.batchVerify(batch)
        #expect(!result.allValid)
        #expect(result.outcomes[1] == .pairingCheckFailed)
        #expect(result.outcomes[4]?.isMalformed == true)
        for k in [0, 2, 3, 5] { #expect(result.outcomes[k] == nil, "proof \(k)") }
        // The failing group was re-checked proof by proof; the other group passed merged.
        #expect(result.pairingChecks == 2 + 4)
    }

    /// A public value beyond its column's bound is refused per proof, before any proof enters a merged check.
    @Test func outOfRangePublicValueInBatch() throws {
        var batch = try items()
        batch[2].proof.publicValues[0][0] = Fr(1 << 20)
        let result = try PlonkVerifier.batchVerify(batch)
        #expect(result.outcomes[2] == .publicValueOutOfRange(column: 0, name: "out", row: 0, value: "1048576", bits: 16))
        for k in [0, 1, 3, 4, 5] { #expect(result.outcomes[k] == nil, "proof \(k)") }
        #expect(result.pairingChecks == 2)
    }

    /// Two proofs, each false but wrong in opposite ways, cannot cancel: the weights are independent.
    @Test func expectedValuesInBatch() throws {
        var batch = try items()
        batch[0].expectedPublicValues = batch[0].proof.publicValues
        batch[2].expectedPublicValues = batch[3].proof.publicValues
        let result = try PlonkVerifier.batchVerify(batch)
        #expect(result.outcomes[0] == nil)
        #expect(result.outcomes[2]?.isMalformed == true)
    }
}
