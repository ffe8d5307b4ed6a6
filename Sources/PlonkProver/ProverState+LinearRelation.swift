import BN254
import ConstraintSystem
import FieldArithmetic
import MultilinearKZG
import PlonkVerifier
import Transcript

/// The committed linear relation (docs/protocol.md §19) on the prover's side: the claim Ω after the advice
/// phases (the quotient and the lookups read it as a constant), and the Gemini opening of the combined weight
/// blocks after the PLONK opening round. The fold vector u itself is advice, filled by the witness callback
/// (`CommittedRelationLayout.assign`).
extension ProverState {
    /// Ω = constant + v_com at the drawn ρ and s, with v_com = f(z) for f = Σ_b c_b·k_b (§19.6).
    /// `claimedValue` (test-only) replaces the v_com the proof claims, Ω following it.
    func prepareLinearClaim(claimedValue: ((Fr) -> Fr)? = nil) {
        guard let relation = key.linearRelation else { return }
        timings.measure("linearRelation") {
            let shape = relation.shape
            let (r, s) = (rho[shape.rho.index], rho[shape.s.index])
            let (constant, coefficients) = shape.evaluate(rho: r, s: s)
            linearClaim = constant
            guard c.hasWeightOpening else { return }
            combinedWeights = relation.combinedBlocks(coefficients: coefficients)
            weightPoint = shape.openingPoint(rho: r, s: s)
            let honest = MonomialMultilinear.evaluate(combinedWeights, at: weightPoint)
            let claimed = claimedValue?(honest) ?? honest
            committedValue = claimed
            linearClaim += claimed
        }
    }

    /// The Gemini proof of f(z) = v_com, continuing the transcript after μ (§5), then η.
    func proveWeightOpening(_ transcript: inout Transcript) -> Gemini.Proof? {
        guard c.hasWeightOpening else { return nil }
        let proof = timings.measure("linearRelation") {
            key.powersG1.withUnsafeBufferPointer {
                Gemini.prove(coefficients: combinedWeights, point: weightPoint, powers: $0, transcript: &transcript).proof
            }
        }
        // Drawn so the transcript has one shape; only the verifier uses η.
        eta = transcript.squeeze(ProtocolTranscript.Label.eta)
        return proof
    }
}
