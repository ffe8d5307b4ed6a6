import TestSupport
import Testing
@testable import BN254
import FieldArithmetic

/// Algebraic laws of the tower, and Frobenius maps against plain exponentiation by p.
struct ExtensionFieldTests {
    @Test func fq2Laws() {
        var rng = SeededRandom(seed: 21)
        for _ in 0..<200 {
            let a = rng.fq2(), b = rng.fq2(), c = rng.fq2()
            #expect(a * (b + c) == a * b + a * c)
            #expect(a.squared() == a * a)
            #expect(a * a.inverse() == .one)
            #expect(a.timesNonResidue() == a * Fq2(Fq(9), Fq(1)))
            let square = a.squared()
            let root = square.squareRoot()
            #expect(root != nil && root!.squared() == square)
        }
        #expect(Fq2(.zero, .one).squared() == -Fq2.one)  // u² = −1
    }

    @Test func fq6Laws() {
        var rng = SeededRandom(seed: 22)
        for _ in 0..<100 {
            let a = rng.fq6(), b = rng.fq6(), c = rng.fq6()
            #expect(a * (b + c) == a * b + a * c)
            #expect(a.squared() == a * a)
            #expect(a * a.inverse() == .one)
            let b0 = rng.fq2(), b1 = rng.fq2()
            #expect(a.times(b0, b1) == a * Fq6(b0, b1, .zero))
        }
        let v = Fq6(.zero, .one, .zero)
        #expect(v * v * v == Fq6(Fq2(Fq(9), Fq(1)), .zero, .zero))  // v³ = ξ
    }

    @Test func fq12Laws() {
        var rng = SeededRandom(seed: 23)
        for _ in 0..<50 {
            let a = rng.fq12(), b = rng.fq12(), c = rng.fq12()
            #expect(a * (b + c) == a * b + a * c)
            #expect(a.squared() == a * a)
            #expect(a * a.inverse() == .one)
            let la = rng.fq2(), lb = rng.fq2(), lc = rng.fq2()
            let line = Fq12(Fq6(la, .zero, .zero), Fq6(lb, lc, .zero))
            #expect(a.timesLine(la, lb, lc) == a * line)
            #expect(Fq12(flatCoefficients: a.flatCoefficients) == a)
        }
    }

    @Test func frobeniusMatchesPowerOfP() {
        var rng = SeededRandom(seed: 24)
        let p = Fq.modulus
        for _ in 0..<3 {
            let a = rng.fq12()
            var expected = a
            for k in 1...3 {
                expected = expected.power(limbs: p.limbs(count: 4))
                #expect(a.frobenius(k) == expected, "frobenius(\(k))")
            }
            let b = rng.fq6()
            #expect(b.frobenius(1) == b.power(p))
        }
    }
}

extension Fq6 {
    func power(_ exponent: BigInteger) -> Fq6 {
        var result = Fq6.one
        for i in stride(from: exponent.bitWidth - 1, through: 0, by: -1) {
            result = result.squared()
            if exponent.bit(i) { result = result * self }
        }
        return result
    }
}

struct FrobeniusConstantTests {
    /// The cheap derivation of the constants agrees with direct exponentiation ξ^((p^k − 1)/6).
    @Test func constantsMatchDirectExponentiation() {
        let p = Fq.modulus
        let xi = Fq2(Fq(9), Fq(1))
        let constants = FrobeniusConstants.shared
        for k in 0...3 {
            let exponent = (p.power(UInt(k)) - .one) / BigInteger(6)
            let direct = xi.power(limbs: exponent.limbs(count: max(1, (exponent.bitWidth + 63) / 64)))
            #expect(constants.w[k] == direct, "w[\(k)]")
            #expect(constants.twistY[k] == direct.squared() * direct, "twistY[\(k)]")
        }
    }
}
