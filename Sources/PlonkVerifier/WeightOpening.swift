import BN254
import FieldArithmetic
import MultilinearKZG
import Transcript

extension PlonkVerifier {
    /// §19.5 on the verifier's side: checks the Gemini proof that the combined weight blocks
    /// f = Σ_b c_b·k_b take the value v_com at the relation's opening point, and merges its pairing equation
    /// into the proof's with a fresh weight η, so a proof still ends in one two-pairing product. The combined
    /// commitment C = Σ c_b·[K_b] is never formed: each [K_b] of the key joins the final MSM with the scalar
    /// η·w·c_b, w being Gemini's weight on [f_0] (batches merge these per key like fixed commitments, §13.4).
    /// Without committed blocks there is nothing to open (Ω is the constant terms' value alone).
    static func mergeWeightOpening(
        into claim: inout PairingClaim, key: VerifyingKey, proof: Proof, blockCoefficients: [Fr],
        challenges ch: inout ProtocolTranscript.Challenges, transcript: inout Transcript
    ) throws {
        guard let shape = key.circuit.linearRelationShape, key.circuit.hasWeightOpening else { return }
        guard let value = proof.committedValue, let opening = proof.weightOpening else {
            throw VerificationError.malformedProof("the proof has no weight opening; the key's linear relation needs one")
        }
        // §19.10: with private weights the blinding coefficient is variable ℓ's, opened at 0.
        let point = shape.openingPoint(rho: ch.rho[shape.rho.index], s: ch.rho[shape.s.index])
            + (key.circuit.hasPrivateWeights ? [.zero] : [])
        let terms: Gemini.PairingTerms
        let commitmentScalar: Fr
        do {
            (terms, commitmentScalar) = try Gemini.verify(point: point, value: value, proof: opening, transcript: &transcript)
        } catch let failure as Gemini.Failure {
            throw VerificationError.weightOpeningFailed(failure.description)
        }
        let eta = transcript.squeeze(ProtocolTranscript.Label.eta)
        ch.eta = eta
        for (p, s) in terms.left { claim.left.append((p, eta * s)) }
        for (p, s) in terms.right { claim.proofTerms.append((p, eta * s)) }
        claim.generatorScalar += eta * terms.generatorScalar
        let weight = eta * commitmentScalar
        claim.blockScalars = blockCoefficients.map { weight * $0 }
        // [f_0] = Σ c_b·[K̂_b] + ξ·[g] with private weights.
        if key.circuit.hasPrivateWeights {
            guard let mask = proof.weightMask else {
                throw VerificationError.malformedProof("the proof has no weight mask; the key's weights are private")
            }
            claim.proofTerms.append((mask, weight * ch.xi))
        }
    }
}
