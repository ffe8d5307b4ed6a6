import FieldArithmetic

/// Powers of ξ = 9 + u used by the Frobenius maps of the tower and of the twist: for k = 0…3,
/// w[k] = ξ^((p^k − 1)/6), v[k] = ξ^((p^k − 1)/3) = w[k]², v2[k] = ξ^(2(p^k − 1)/3) = w[k]⁴ and
/// twistY[k] = ξ^((p^k − 1)/2) = w[k]³.
///
/// Only w[1] needs an exponentiation (derived from the modulus, so no magic constants): since
/// (p^k − 1)/6 = (p − 1)/6 · (1 + p + … + p^(k−1)) and x^p is the conjugate in Fq2,
/// w[k] = w[1] · conj(w[1]) · w[1] · … (k factors, alternately conjugated). This keeps the one-time cost at
/// one 254-bit exponentiation instead of several 760-bit ones, which a verifier would pay on every run.
final class FrobeniusConstants: Sendable {
    static let shared = FrobeniusConstants()

    let v: [Fq2]
    let v2: [Fq2]
    let w: [Fq2]
    let twistY: [Fq2]

    private init() {
        let xi = Fq2(Fq(9), Fq(1))
        let exponent = (Fq.modulus - .one) / BigInteger(6)
        let w1 = xi.power(limbs: exponent.limbs(count: 4))
        var powers = [Fq2.one]
        var factor = w1
        for _ in 1...3 {
            powers.append(powers[powers.count - 1] * factor)
            factor = factor.conjugated()
        }
        w = powers
        v = powers.map { $0.squared() }
        v2 = powers.map { $0.squared().squared() }
        twistY = powers.map { $0.squared() * $0 }
    }
}
