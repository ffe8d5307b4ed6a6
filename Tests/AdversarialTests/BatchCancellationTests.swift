import BN254
import ConstraintSystem
import FieldArithmetic
import Foundation
import MSM
import Testing

@testable import PlonkProver
@testable import PlonkVerifier

/// Batch cancellation (protocol.md §13.3 the pairing check, §13.4 batch verification, §16.2 "r_k (batch)").
///
/// A proof k passes iff Err_k = τ·Left_k − Right_k is 0 in G1 (as exponents: e(Left, [τ]₂) = e(Right, [1]₂)).
/// Replacing only W_ζ by W_ζ + Δ changes nothing else that the check uses — ζ, v and the values E are drawn
/// or computed before W_ζ is absorbed, and μ only multiplies the ωζ part, which is still exact — so
/// Err_k = (τ − ζ_k)·Δ_k. With Δ₁ = c·([τ]₁ − ζ₂·[1]₁) and Δ₂ = −c·([τ]₁ − ζ₁·[1]₁) (the SRS's [τ]₁, no τ
/// needed) the errors are c·(τ − ζ₁)(τ − ζ₂)·[1]₁ and its negation: each proof is invalid, and their sum is
/// 0. A batch that added the proofs' terms without weights would accept both; one with independent random
/// weights r₁, r₂ sees (r₁ − r₂)·Err₁ ≠ 0.
///
/// The circuit is a small hand-made one without a committed linear relation: with one (every compiled model,
/// docs/protocol.md §19.9) the Gemini opening point β′ is drawn after μ, so shifting W_ζ moves β′ and the
/// shifted proofs fail Gemini's fold check before the pairing; the cancellation itself is about the pairing.
struct BatchCancellationTests {
    static let m = try! RelationFreeCircuit()

    /// Two honest proofs with W_ζ shifted by ±Δ as above, and a third honest proof.
    static func proofs() throws -> (cancelling: [ProofFile], valid: ProofFile) {
        let m = Self.m
        var proofs = try (0..<3).map { _ in try m.proveHonest() }
        let zetas = try proofs.map { file in
            ProtocolTranscript.replay(key: m.vk, publicValues: file.publicValues, proof: try Proof.decode(file.body, for: m.vk.circuit)).zeta
        }
        let (one, tau) = (m.key.powersG1[0], m.key.powersG1[1])
        let c = Fr(0x0dd_ba11)
        let deltas = [(one * (-zetas[1]) + G1Projective(tau)) * c, (one * (-zetas[0]) + G1Projective(tau)) * (-c)]
        for k in 0..<2 {
            var proof = try Proof.decode(proofs[k].body, for: m.vk.circuit)
            proof.openingAtZeta = (G1Projective(proof.openingAtZeta) + deltas[k]).toAffine()
            proofs[k].body = proof.encoded
        }
        return (Array(proofs[0..<2]), proofs[2])
    }

    /// Protocol.md §13.4: the cancelling pair fails one by one, passes an unweighted batch, fails ours (both named).
    @Test func cancellingProofsPassANaiveBatchButNotOurs() throws {
        let m = Self.m
        let (cancelling, valid) = try Self.proofs()
        try m.verify(valid)
        for proof in cancelling {
            #expect(throws: VerificationError.pairingCheckFailed) { try m.verify(proof) }
        }

        // The naive batch: e(Σ Left_k, [τ]₂) · e(−Σ Right_k, [1]₂) = 1, unweighted. It accepts.
        let claims = try cancelling.map { try PlonkVerifier.prepare(key: m.vk, proof: $0, expectedPublicValues: nil) }
        func naive(weights: [Fr]) -> Bool {
            var left = G1Projective.infinity, right = G1Projective.infinity
            for (claim, weight) in zip(claims, weights) {
                left += msm(points: claim.left.map(\.0), scalars: claim.left.map { $0.1 * weight })
                let terms = claim.rightTerms(key: m.vk, weight: weight)
                right += msm(points: terms.points, scalars: terms.scalars)
            }
            return Pairing.productIsOne([(left.toAffine(), m.vk.srs.kzg.tauG2), (right.negated().toAffine(), m.vk.srs.kzg.g2)])
        }
        #expect(naive(weights: [.one, .one]), "the errors cancel in an unweighted sum")
        #expect(!naive(weights: [Fr(3), Fr(5)]), "…and in no weighted one with r₁ ≠ r₂")

        // Ours: both named, the valid one kept.
        let items = (cancelling + [valid]).map { PlonkVerifier.BatchItem(key: m.vk, proof: $0) }
        let result = try PlonkVerifier.batchVerify(items)
        #expect(result.outcomes[0] == .pairingCheckFailed && result.outcomes[1] == .pairingCheckFailed && result.outcomes[2] == nil)
        // Also with the two alone (nothing else in the merged check to tip the balance).
        #expect(try PlonkVerifier.batchVerify(Array(items[0..<2])).outcomes.allSatisfy { $0 == .pairingCheckFailed })
    }

    /// Protocol.md §13.4 through the `zkverify batch` command: exit 1, both cancelling proofs named invalid.
    @Test func zkverifyBatchNamesBothCancellingProofs() throws {
        try #require(FileManager.default.isExecutableFile(atPath: AdversarialPaths.zkverify), "build zkverify first (make test)")
        let (cancelling, valid) = try Self.proofs()
        let dir = try ScratchDirectory("batch")
        defer { dir.remove() }
        try dir.write("model.vk", Self.m.vk.encoded)
        let paths = [try dir.write("a.proof", cancelling[0].encoded), try dir.write("b.proof", cancelling[1].encoded),
                     try dir.write("c.proof", valid.encoded)]
        let r = try ZKVerifyProcess.run(["batch", dir.path, "--allow-dev-srs"])
        #expect(r.code == 1)
        #expect(r.out.contains("invalid: \(paths[0])") && r.out.contains("invalid: \(paths[1])") && r.out.contains("valid: \(paths[2])"),
                "\(r.out)")
        #expect(r.err.contains("1 of 3 valid"))
    }
}
