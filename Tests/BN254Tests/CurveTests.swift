import TestSupport
import Testing
@testable import BN254
import FieldArithmetic

struct CurveTests {
    static let order: [UInt64] = [FrParameters.p0, FrParameters.p1, FrParameters.p2, FrParameters.p3]

    func groupLaws<C: CurveParameters>(_: C.Type, seed: UInt64) {
        var rng = SeededRandom(seed: seed)
        let g = JacobianPoint<C>.generator
        #expect(AffinePoint<C>.generator.isOnCurve)
        #expect(g.multiplied(byLimbs: Self.order).isInfinity, "generator has order r")
        for _ in 0..<20 {
            let a = rng.fr(), b = rng.fr()
            let pa = g * a, pb = g * b
            #expect(pa + pb == g * (a + b))
            #expect(pa.doubled() == pa + pa)
            #expect(pa - pa == JacobianPoint<C>.infinity)
            #expect(pa + .infinity == pa)
            #expect(pa.adding(pb.toAffine()) == pa + pb)
            #expect(pa.adding(pa.toAffine()) == pa.doubled())
            #expect(pa.toAffine().isOnCurve)
            #expect((pa * b) == (pb * a))
            #expect(g * (-a) == -pa)
        }
        #expect(g * Fr.zero == .infinity)
        #expect(g * Fr.one == g)
        let points = (0..<9).map { i in i == 4 ? JacobianPoint<C>.infinity : g * Fr(UInt64(i + 3)) }
        #expect(JacobianPoint<C>.batchToAffine(points) == points.map { $0.toAffine() })
    }

    @Test func g1GroupLaws() { groupLaws(G1Curve.self, seed: 31) }
    @Test func g2GroupLaws() { groupLaws(G2Curve.self, seed: 32) }

    @Test func scalarMultiplicationMatchesDoubleAndAdd() {
        var rng = SeededRandom(seed: 33)
        let g = G1Projective.generator
        for _ in 0..<10 {
            let k = rng.fr()
            var expected = G1Projective.infinity
            let big = k.bigInteger
            for i in stride(from: big.bitWidth - 1, through: 0, by: -1) {
                expected = expected.doubled()
                if big.bit(i) { expected = expected + g }
            }
            #expect(g * k == expected)
        }
    }

    @Test func encodingsRoundTrip() throws {
        var rng = SeededRandom(seed: 34)
        for i in 0..<20 {
            let p = i == 0 ? G1Affine.infinity : (G1Projective.generator * rng.fr()).toAffine()
            #expect(try G1Affine(compressed: p.compressed) == p)
            #expect(try G1Affine(uncompressed: p.uncompressed) == p)
            let q = i == 0 ? G2Affine.infinity : (G2Projective.generator * rng.fr()).toAffine()
            #expect(try G2Affine(compressed: q.compressed) == q)
            #expect(try G2Affine(uncompressed: q.uncompressed) == q)
        }
    }

    @Test func g2SubgroupCheckRejectsTwistPointsOutsideTheSubgroup() throws {
        // Find a point on the twist by trying x = 1, 2, …; the cofactor is huge, so it is not in G2.
        var x = Fq2(Fq(1), Fq(1))
        while true {
            if let y = (x.squared() * x + G2Curve.b).squareRoot() {
                let point = try G2Affine(x: x, y: y)
                #expect(!point.isInSubgroup)
                #expect(throws: CurveError.notInSubgroup(group: "G2")) { try G2Affine(uncompressed: point.uncompressed) }
                break
            }
            x = x + .one
        }
    }

    @Test func malformedEncodingsAreRejected() {
        let g = G1Affine.generator
        #expect(throws: CurveError.wrongLength(group: "G1", expected: 32, actual: 31)) { try G1Affine(compressed: Array(g.compressed.prefix(31))) }
        var offCurve = g.uncompressed
        offCurve[32] ^= 1
        #expect(throws: CurveError.notOnCurve(group: "G1")) { try G1Affine(uncompressed: offCurve) }
        var strayInfinity = G1Affine.infinity.compressed
        strayInfinity[0] = 1
        #expect(throws: CurveError.self) { try G1Affine(compressed: strayInfinity) }
        var nonCanonical = [UInt8](repeating: 0xFF, count: 32)
        nonCanonical[31] = 0x3F
        #expect(throws: CurveError.nonCanonicalCoordinate(group: "G1")) { try G1Affine(compressed: nonCanonical) }
        var signedUncompressed = g.uncompressed
        signedUncompressed[31] |= 0x40
        #expect(throws: CurveError.self) { try G1Affine(uncompressed: signedUncompressed) }
    }
}

struct GLVTests {
    @Test func endomorphismConstants() {
        let r = Fr.modulus
        let lambda = G1Endomorphism.lambda
        #expect((lambda * lambda + lambda + .one).modulo(r).isZero)
        #expect(G1Endomorphism.beta * G1Endomorphism.beta * G1Endomorphism.beta == Fq.one)
        #expect(G1Endomorphism.beta != Fq.one)
        let g = G1Affine.generator
        #expect(G1Endomorphism.apply(g) == G1Projective(g).multiplied(byLimbs: lambda.limbs(count: 4)).toAffine())
        for (a, b) in [(G1Endomorphism.a1, G1Endomorphism.b1), (G1Endomorphism.a2, G1Endomorphism.b2)] {
            #expect((a + b * lambda).modulo(r).isZero)
        }
    }

    @Test func glvMatchesPlainScalarMultiplication() {
        var rng = SeededRandom(seed: 51)
        let g = G1Projective.generator * Fr(99)
        var scalars: [Fr] = [.zero, .one, -Fr.one, Fr(2), -Fr(2)]
        for _ in 0..<40 { scalars.append(rng.fr()) }
        for k in scalars {
            let (k1, k2) = G1Endomorphism.decompose(k.bigInteger)
            #expect(k1.magnitude.bitWidth <= 129 && k2.magnitude.bitWidth <= 129)
            #expect((k1 + k2 * G1Endomorphism.lambda - k.bigInteger).modulo(Fr.modulus).isZero)
            let c = k.canonicalLimbs
            #expect(g.multipliedGLV(k) == g.multiplied(byLimbs: [c.0, c.1, c.2, c.3]))
        }
    }
}
