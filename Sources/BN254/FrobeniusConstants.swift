import FieldArithmetic

/// Powers of ξ = 9 + u used by the Frobenius maps of the tower and of the twist, derived once at start-up
/// from the modulus with GMP (so no magic constants): for k = 0…3,
/// v[k] = ξ^((p^k − 1)/3), v2[k] = ξ^(2(p^k − 1)/3), w[k] = ξ^((p^k − 1)/6), twistY[k] = ξ^((p^k − 1)/2).
final class FrobeniusConstants: Sendable {
    static let shared = FrobeniusConstants()

    let v: [Fq2]
    let v2: [Fq2]
    let w: [Fq2]
    let twistY: [Fq2]

    private init() {
        let p = Fq.modulus
        let xi = Fq2(Fq(9), Fq(1))
        func xiPower(_ numerator: BigInteger, _ k: Int) -> Fq2 {
            let exponent = (p.power(UInt(k)) - .one) * numerator / BigInteger(6)
            return xi.power(limbs: exponent.limbs(count: (exponent.bitWidth + 63) / 64))
        }
        v = (0...3).map { xiPower(BigInteger(2), $0) }
        v2 = (0...3).map { xiPower(BigInteger(4), $0) }
        w = (0...3).map { xiPower(BigInteger(1), $0) }
        twistY = (0...3).map { xiPower(BigInteger(3), $0) }
    }
}
