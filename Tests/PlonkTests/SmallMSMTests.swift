import TestSupport
import BN254
import FieldArithmetic
import MSM
import Testing

@testable import PlonkVerifier

/// The verifier's small MSM against the bucket-method MSM and a plain sum of scalar multiplications.
struct SmallMSMTests {
    @Test(arguments: [0, 1, 2, 7, 33, 96])
    func agreesWithReferences(count: Int) {
        var rng = SeededRandom(seed: UInt64(100 + count))
        let points = (0..<count).map { _ in (G1Projective.generator * rng.element()).toAffine() }
        var scalars = (0..<count).map { _ in rng.element() }
        // Edge scalars: 0, 1, −1, small, 2^k boundaries of the windows.
        let edges: [Fr] = [.zero, .one, -Fr.one, Fr(31), Fr(32), Fr(33), -Fr(32), Fr(UInt64.max)]
        for (i, e) in edges.enumerated() where i < count { scalars[i] = e }
        let expected = zip(points, scalars).reduce(G1Projective.infinity) { $0 + G1Projective($1.0) * $1.1 }
        #expect(SmallMSM.msm(points: points, scalars: scalars) == expected)
        #expect(msm(points: points, scalars: scalars) == expected)
    }

    @Test func repeatedAndOppositePoints() {
        var rng = SeededRandom(seed: 9)
        let p = (G1Projective.generator * rng.element()).toAffine()
        let s = rng.element()
        // P·s + P·s + (−P)·s + infinity·s = P·s: table additions and cancellations hit the doubling cases.
        let result = SmallMSM.msm(points: [p, p, p.negated(), .infinity], scalars: [s, s, s, s])
        #expect(result == G1Projective(p) * s)
        #expect(SmallMSM.msm(points: [p, p], scalars: [s, -s]).isInfinity)
    }

    @Test func nonAdjacentFormReconstructsTheScalar() {
        var rng = SeededRandom(seed: 10)
        for _ in 0..<50 {
            let s = rng.element()
            let digits = SmallMSM.nonAdjacentForm(s)
            var value = Fr.zero
            for d in digits.reversed() { value = value + value + Fr(signed: Int64(d)) }
            #expect(value == s)
            for d in digits where d != 0 { #expect(d % 2 != 0 && abs(Int(d)) < 32) }
        }
    }
}
