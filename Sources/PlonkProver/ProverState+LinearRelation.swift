import BN254
import ConstraintSystem
import FieldArithmetic
import MSM
import MultilinearKZG
import PlonkVerifier
import Transcript

/// The committed linear relation (docs/protocol.md §19) on the prover's side: the claim Ω after the advice
/// phases (the quotient and the lookups read it as a constant), and the Gemini opening of the combined weight
/// blocks after the PLONK opening round. The fold vector u itself is advice, filled by the witness callback
/// (`CommittedRelationLayout.assign`). With private weights (§19.10) the masking polynomial g, its value in
/// the mask column, [g], ξ and ω̂ as well.
extension ProverState {
    /// Ω = constant + v_com at the drawn ρ and s, with v_com = f(z) for f = Σ_b c_b·k_b (§19.6), and the
    /// honest Ω for the witness check (the checker would otherwise evaluate every weight block again).
    /// `claimedValue` (test-only) replaces the v_com the proof claims, Ω following it.
    func prepareLinearClaim(claimedValue: ((Fr) -> Fr)? = nil) {
        guard let relation = key.linearRelation else { return }
        timings.measure("linearRelation") {
            let shape = relation.shape
            let (r, s) = (rho[shape.rho.index], rho[shape.s.index])
            let (constant, coefficients) = shape.evaluate(rho: r, s: s)
            linearClaim = constant
            honestLinearClaim = constant
            guard c.hasWeightOpening else { return }
            blockCoefficients = coefficients
            combinedWeights = relation.combinedBlocks(coefficients: coefficients)
            weightPoint = shape.openingPoint(rho: r, s: s)
            let honest = MonomialMultilinear.evaluate(combinedWeights, at: weightPoint)
            honestLinearClaim = constant + honest
            let claimed = claimedValue?(honest) ?? honest
            committedValue = claimed
            linearClaim += claimed
        }
    }

    /// §19.6 / §19.10 (after `prepareLinearClaim`): the transcript items that follow the last advice phase's challenges — v_com, or
    /// with private weights [g], ξ and ω̂ = v_com + ξ·g(z) (the polynomial Gemini opens becomes
    /// F = Σ c_b·(k_b + r_b·X^(2^ℓ)) + ξ·g, in ℓ + 1 variables at (z, 0)).
    /// `xiFirst` (test-only, `Order.xiBeforeWeightMask`): ξ is drawn before [g] is absorbed, and g is then chosen
    /// knowing it — its constant coefficient moved so that g(z) equals whatever the mask cell holds.
    func linearClaimRound(_ transcript: inout Transcript, xiFirst: Bool = false) {
        guard let value = committedValue else { return }
        guard c.hasPrivateWeights, let blinding = key.weightBlinding else {
            transcript.absorb(ProtocolTranscript.Label.committedValue, scalar: value)
            return
        }
        timings.measure("linearRelation") {
            let size = combinedWeights.count
            if xiFirst {
                xi = transcript.squeeze(ProtocolTranscript.Label.maskChallenge)
                weightMaskPolynomial[0] += maskCell - weightMaskValue
                weightMaskValue = maskCell
            }
            let g = weightMaskPolynomial
            let low = key.powersG1.withUnsafeBufferPointer { points in
                g.withUnsafeBufferPointer {
                    msm(points: UnsafeBufferPointer(rebasing: points[0..<size]), scalars: UnsafeBufferPointer(rebasing: $0[0..<size]))
                }
            }
            let commitment = (low + blinding.power * g[size]).toAffine()
            weightMaskCommitment = commitment
            transcript.absorb(ProtocolTranscript.Label.weightMask, point: commitment)
            if !xiFirst { xi = transcript.squeeze(ProtocolTranscript.Label.maskChallenge) }
            let blinds = blinding.scalars(count: blockCoefficients.count)
            var combinedBlind = Fr.zero
            for (c, r) in zip(blockCoefficients, blinds) { combinedBlind += c * r }
            var masked = [Fr](repeating: .zero, count: 2 * size)
            for k in 0..<size { masked[k] = combinedWeights[k] + xi * g[k] }
            masked[size] = combinedBlind + xi * g[size]
            combinedWeights = masked
            weightPoint.append(.zero)
            let maskedValue = value + xi * weightMaskValue
            committedValue = maskedValue
            linearClaim += xi * weightMaskValue
            transcript.absorb(ProtocolTranscript.Label.maskedValue, scalar: maskedValue)
        }
    }

    /// §19.10, before the mask column's phase is committed (ρ and s are drawn): draws g and writes g(z) into
    /// the mask column on the row after every row where a constraint reading Ω is enabled.
    /// `cellValue` (test-only) writes another value than g(z) into the cells.
    func placeWeightMask(_ assignment: inout Assignment, cellValue: ((Fr) -> Fr)? = nil) throws {
        guard c.hasPrivateWeights, let p = c.privateWeights, let shape = c.linearRelationShape else { return }
        let size = 1 << c.weightOpeningVariables
        weightMaskPolynomial = try random.elements(size + 1)
        let point = shape.openingPoint(rho: rho[shape.rho.index], s: rho[shape.s.index])
        weightMaskValue = MonomialMultilinear.evaluate(Array(weightMaskPolynomial[0..<size]), at: point)
        let cell = cellValue?(weightMaskValue) ?? weightMaskValue
        maskCell = cell
        for gate in c.gates where gate.constraints.contains(where: \.usesLinearClaim) {
            let selector = key.fixedValues[gate.selector.column.index]
            for r in 0..<u where !selector[r].isZero {
                if r + 1 < u {
                    try assignment.set(AdviceColumn(index: p.maskColumn), row: r + 1, cell)
                } else {
                    maskLastRow = cell
                }
            }
        }
    }

    /// The Gemini proof of f(z) = v_com (with private weights, of F(z, 0) = ω̂), continuing the transcript
    /// after μ (§5), then η.
    func proveWeightOpening(_ transcript: inout Transcript) -> Gemini.Proof? {
        guard c.hasWeightOpening else { return nil }
        let proof = timings.measure("linearRelation") {
            key.powersG1.withUnsafeBufferPointer {
                Gemini.prove(coefficients: combinedWeights, point: weightPoint, powers: $0, table: key.powersTable,
                             transcript: &transcript).proof
            }
        }
        // Drawn so the transcript has one shape; only the verifier uses η.
        eta = transcript.squeeze(ProtocolTranscript.Label.eta)
        return proof
    }
}
