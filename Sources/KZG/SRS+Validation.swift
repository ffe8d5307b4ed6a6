import BN254
import CryptoPrimitives
import FieldArithmetic
import MSM
import Polynomials

/// Checks that an SRS has the structure KZG relies on. Points are already on the curve (the decoders check
/// that) and [1]₂, [τ]₂ in the subgroup; what remains is that the G1 points are consecutive powers of one τ,
/// and that the Lagrange basis belongs to the same τ. Both are random-linear-combination checks with
/// 128-bit coefficients from OpenSSL, so a wrong SRS passes with probability about 2^-128.
extension SRS {
    /// e(Σ r_i·[τ^(i+1)]₁, [1]₂) = e(Σ r_i·[τ^i]₁, [τ]₂): every power is τ times the previous one.
    public static func checkPowers(_ powers: [G1Affine], g2: G2Affine, tauG2: G2Affine) throws {
        guard powers.count >= 2 else { return }
        guard !powers[0].isInfinity else { throw KZGError.invalidPoint(section: "G1 powers", index: 0, reason: "point at infinity") }
        guard !g2.isInfinity, !tauG2.isInfinity else { throw KZGError.g2NotInSubgroup("[1]2 or [tau]2 is the point at infinity") }
        let coefficients = try randomCoefficients(powers.count - 1)
        let (lower, upper) = powers.withUnsafeBufferPointer { p in
            coefficients.withUnsafeBufferPointer { r in
                (msm(points: UnsafeBufferPointer(rebasing: p[0..<(p.count - 1)]), scalars: r),
                 msm(points: UnsafeBufferPointer(rebasing: p[1...]), scalars: r))
            }
        }
        let ok = Pairing.productIsOne([(upper.toAffine(), g2), (lower.negated().toAffine(), tauG2)])
        guard ok else { throw KZGError.powersNotGeometric }
    }

    /// Σ r_i·[L_i(τ)]₁ = Σ c_j·[τ^j]₁ where c = iNTT(r): the Lagrange points commit to what the powers do.
    public static func checkLagrange(_ lagrange: [G1Affine], powers: [G1Affine]) throws {
        guard lagrange.count == powers.count else { throw KZGError.lagrangeInconsistent }
        let domain = try EvaluationDomain(atLeast: powers.count)
        guard domain.size == powers.count else { throw KZGError.lagrangeInconsistent }
        let r = try randomCoefficients(powers.count)
        let c = try domain.inverseNTT(r)
        guard msm(points: lagrange, scalars: r) == msm(points: powers, scalars: c) else {
            throw KZGError.lagrangeInconsistent
        }
    }

    /// Checks the whole SRS: powers, Lagrange basis, G2 subgroup membership.
    public func validate() throws {
        guard g2.isInSubgroup else { throw KZGError.g2NotInSubgroup("[1]2") }
        guard tauG2.isInSubgroup else { throw KZGError.g2NotInSubgroup("[tau]2") }
        try Self.checkPowers(powersG1, g2: g2, tauG2: tauG2)
        try Self.checkLagrange(lagrangeG1, powers: powersG1)
    }

    static func randomCoefficients(_ count: Int) throws -> [Fr] {
        let bytes = try SecureRandom.bytes(16 * count)
        return (0..<count).map { i in
            var lo: UInt64 = 0, hi: UInt64 = 0
            for k in 0..<8 {
                lo |= UInt64(bytes[16 * i + k]) << UInt64(8 * k)
                hi |= UInt64(bytes[16 * i + 8 + k]) << UInt64(8 * k)
            }
            return Fr(reducing: (lo, hi, 0, 0))
        }
    }
}
