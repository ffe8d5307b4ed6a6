import BN254
import CryptoPrimitives
import FieldArithmetic
import MSM
import Polynomials

/// KZG polynomial commitments (Kate, Zaverucha, Goldberg 2010) over BN254.
/// Commitment C = [p(τ)]₁. An opening of p at z is the value v = p(z) and the proof π = [q(τ)]₁ with
/// q(X) = (p(X) − v)/(X − z). Since p(τ) − v = q(τ)(τ − z), the verifier checks
/// e(C − v·G + z·π, [1]₂) · e(−π, [τ]₂) = 1: one product of two pairings.
public enum KZG {
    /// [p(τ)]₁ from coefficients.
    public static func commit(_ polynomial: Polynomial, srs: SRS) throws -> G1Affine {
        let length = polynomial.degree + 1
        guard length <= srs.size else { throw KZGError.polynomialTooLarge(length: length, maxLength: srs.size) }
        return srs.powersG1.withUnsafeBufferPointer { points in
            polynomial.coefficients.withUnsafeBufferPointer { c in
                msm(points: points, scalars: UnsafeBufferPointer(rebasing: c[0..<length]))
            }
        }.toAffine()
    }

    /// [p(τ)]₁ from the values of p on the domain of the SRS's Lagrange basis: Σ v_i·[L_i(τ)]₁.
    public static func commit(_ evaluations: Evaluations, srs: SRS) throws -> G1Affine {
        guard evaluations.values.count == srs.lagrangeG1.count else {
            throw KZGError.lagrangeSizeMismatch(domainSize: evaluations.values.count, srsSize: srs.lagrangeG1.count)
        }
        return msm(points: srs.lagrangeG1, scalars: evaluations.values).toAffine()
    }

    /// The value p(z) and the proof [(p(X) − p(z))/(X − z)]₁.
    public static func open(_ polynomial: Polynomial, at z: Fr, srs: SRS) throws -> (value: Fr, proof: G1Affine) {
        let (quotient, value) = polynomial.dividedByLinear(at: z)
        return (value, try commit(quotient, srs: srs))
    }

    /// Checks one opening with the two-pairing product.
    public static func verify(
        commitment: G1Affine, point z: Fr, value v: Fr, proof: G1Affine, key: KZGVerifierKey
    ) -> Bool {
        let lhs = G1Projective(commitment) - G1Projective(key.g1) * v + G1Projective(proof) * z
        return Pairing.productIsOne([(lhs.toAffine(), key.g2), (proof.negated(), key.tauG2)])
    }

    /// One opening to check in a batch.
    public struct Opening: Sendable {
        public var commitment: G1Affine
        public var point: Fr
        public var value: Fr
        public var proof: G1Affine

        public init(commitment: G1Affine, point: Fr, value: Fr, proof: G1Affine) {
            self.commitment = commitment
            self.point = point
            self.value = value
            self.proof = proof
        }
    }

    /// Checks many openings with one two-pairing product: with fresh random r (OpenSSL, unknown to the
    /// prover), Σ r^k·(C_k − v_k·G + z_k·π_k) paired with [1]₂ and −Σ r^k·π_k with [τ]₂. If any opening is
    /// false the combination holds with probability at most (count)/|Fr|.
    public static func batchVerify(_ openings: [Opening], key: KZGVerifierKey) throws -> Bool {
        if openings.isEmpty { return true }
        let r = try randomNonZero()
        var weight = Fr.one
        var points: [G1Affine] = []
        var scalars: [Fr] = []
        var valueSum = Fr.zero
        for o in openings {
            points += [o.commitment, o.proof]
            scalars += [weight, weight * o.point]
            valueSum += weight * o.value
            weight *= r
        }
        points.append(key.g1)
        scalars.append(-valueSum)
        let left = msm(points: points, scalars: scalars)
        var proofScalars: [Fr] = []
        weight = .one
        for _ in openings {
            proofScalars.append(weight)
            weight *= r
        }
        let right = msm(points: openings.map(\.proof), scalars: proofScalars)
        return Pairing.productIsOne([(left.toAffine(), key.g2), (right.negated().toAffine(), key.tauG2)])
    }

    static func randomNonZero() throws -> Fr {
        while true {
            let x = Fr(wideBytes: try SecureRandom.bytes(64))
            if !x.isZero { return x }
        }
    }
}
