import BN254
import CryptoPrimitives
import FieldArithmetic
import MSM
import Polynomials

/// Batch opening of several polynomials at several points, as in Gabizon, Williamson, Ciobotaru,
/// "PLONK: Permutations over Lagrange-bases for Oecumenical Noninteractive arguments of Knowledge"
/// (ePrint 2019/953), §3 (the batched version of KZG used by PLONK; "GWC19").
///
/// For each point z_j with polynomials f_(j,1…m): one proof W_j = [h_j(τ)]₁ with
/// h_j(X) = Σ_i γ^(i−1)·(f_(j,i)(X) − f_(j,i)(z_j))/(X − z_j), γ a challenge the prover cannot choose
/// (taken from the transcript by the caller). The verifier, with fresh random r, checks all points at once:
/// e(Σ_j r^j·(F_j − v_j·G + z_j·W_j), [1]₂) · e(−Σ_j r^j·W_j, [τ]₂) = 1, with F_j = Σ_i γ^(i−1)·C_(j,i) and
/// v_j = Σ_i γ^(i−1)·f_(j,i)(z_j).
extension KZG {
    /// What the prover opens at one point.
    public struct PointQuery: Sendable {
        public var point: Fr
        public var polynomials: [Polynomial]

        public init(point: Fr, polynomials: [Polynomial]) {
            self.point = point
            self.polynomials = polynomials
        }
    }

    /// The prover's answer at one point: every polynomial's value and one proof.
    public struct PointOpening: Sendable {
        public var values: [Fr]
        public var proof: G1Affine
    }

    /// What the verifier checks at one point.
    public struct PointClaim: Sendable {
        public var point: Fr
        public var commitments: [G1Affine]
        public var values: [Fr]
        public var proof: G1Affine

        public init(point: Fr, commitments: [G1Affine], values: [Fr], proof: G1Affine) {
            self.point = point
            self.commitments = commitments
            self.values = values
            self.proof = proof
        }
    }

    public static func batchOpen(_ queries: [PointQuery], gamma: Fr, srs: SRS) throws -> [PointOpening] {
        try queries.map { query in
            let z = query.point
            var combined = Polynomial.zero
            var power = Fr.one
            var values: [Fr] = []
            for f in query.polynomials {
                values.append(f.evaluate(at: z))
                combined = combined.adding(f, scaledBy: power)
                power *= gamma
            }
            // Σ γ^i (f_i − f_i(z))/(X − z) = (Σ γ^i f_i − Σ γ^i f_i(z))/(X − z): one division.
            let (quotient, _) = combined.dividedByLinear(at: z)
            return PointOpening(values: values, proof: try commit(quotient, srs: srs))
        }
    }

    public static func batchVerify(_ claims: [PointClaim], gamma: Fr, key: KZGVerifierKey) throws -> Bool {
        if claims.isEmpty { return true }
        let r = try randomNonZero()
        var points: [G1Affine] = []
        var scalars: [Fr] = []
        var proofs: [G1Affine] = []
        var proofScalars: [Fr] = []
        var valueSum = Fr.zero
        var weight = Fr.one
        for claim in claims {
            guard claim.commitments.count == claim.values.count else {
                throw KZGError.mismatchedInputs("\(claim.commitments.count) commitments but \(claim.values.count) values")
            }
            var power = weight
            for (c, v) in zip(claim.commitments, claim.values) {
                points.append(c)
                scalars.append(power)
                valueSum += power * v
                power *= gamma
            }
            points.append(claim.proof)
            scalars.append(weight * claim.point)
            proofs.append(claim.proof)
            proofScalars.append(weight)
            weight *= r
        }
        points.append(key.g1)
        scalars.append(-valueSum)
        let left = msm(points: points, scalars: scalars)
        let right = msm(points: proofs, scalars: proofScalars)
        return Pairing.productIsOne([(left.toAffine(), key.g2), (right.negated().toAffine(), key.tauG2)])
    }
}
