import TestSupport
import Testing
@testable import BN254
import FieldArithmetic

struct PairingTests {
    @Test func bilinearity() {
        var rng = SeededRandom(seed: 41)
        let p = G1Affine.generator, q = G2Affine.generator
        let base = Pairing.pairing(p, q)
        #expect(base != .one, "non-degenerate")
        for _ in 0..<2 {
            let a = rng.fr(), b = rng.fr()
            let lhs = Pairing.pairing((G1Projective.generator * a).toAffine(), (G2Projective.generator * b).toAffine())
            let rhs = base.power(limbs: { let c = (a * b).canonicalLimbs; return [c.0, c.1, c.2, c.3] }())
            #expect(lhs == rhs)
        }
        // The result lies in the order-r subgroup.
        let order: [UInt64] = [FrParameters.p0, FrParameters.p1, FrParameters.p2, FrParameters.p3]
        #expect(base.power(limbs: order) == .one)
    }

    @Test func productChecks() {
        let a = Fr(12345)
        let pa = (G1Projective.generator * a).toAffine()
        let qa = (G2Projective.generator * a).toAffine()
        #expect(Pairing.productIsOne([(pa, G2Affine.generator), (G1Affine.generator.negated(), qa)]))
        #expect(!Pairing.productIsOne([(pa, G2Affine.generator), (G1Affine.generator, qa)]))
        #expect(Pairing.productIsOne([(G1Affine.infinity, G2Affine.generator)]))
        #expect(Pairing.multiPairing([(pa, G2Affine.generator), (pa, qa)]) == Pairing.pairing(pa, G2Affine.generator) * Pairing.pairing(pa, qa))
    }
}

struct CyclotomicTests {
    @Test func cyclotomicSquaringMatchesSquaringOnTheSubgroup() {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<10 {
            let f = rng.fq12()
            // f^((p^6 − 1)(p^2 + 1)) lies in the cyclotomic subgroup.
            var m = f.conjugated() * f.inverse()
            m = m.frobenius(2) * m
            #expect(m.cyclotomicSquared() == m.squared())
        }
    }
}
