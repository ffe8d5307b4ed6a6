import TestSupport
import BN254
import FieldArithmetic
@testable import KZG
import Polynomials
import Testing

/// One small development SRS shared by the tests (2^8 points).
let devSRS: SRS = try! SRS.insecureDevelopment(log2Size: 8)

@Suite struct KZGTests {
    @Test func devSetupIsAValidSRSAndSaysItIsInsecure() throws {
        try devSRS.validate()
        #expect(devSRS.origin.isInsecure)
        #expect(devSRS.verifierKey.origin.isInsecure)
        #expect(devSRS.origin.summary.hasPrefix("INSECURE"))
        #expect(devSRS.powersG1[0] == G1Affine.generator)
        #expect(devSRS.g2 == G2Affine.generator)
    }

    @Test func honestOpeningsVerifyAndWrongOnesDoNot() throws {
        var rng = SeededGenerator(seed: 1)
        let p = Polynomial(coefficients: rng.frs(200))
        let c = try KZG.commit(p, srs: devSRS)
        let z = rng.fr()
        let (v, proof) = try KZG.open(p, at: z, srs: devSRS)
        let key = devSRS.verifierKey
        #expect(v == p.evaluate(at: z))
        #expect(KZG.verify(commitment: c, point: z, value: v, proof: proof, key: key))
        #expect(!KZG.verify(commitment: c, point: z, value: v + .one, proof: proof, key: key), "wrong value")
        #expect(!KZG.verify(commitment: c, point: z + .one, value: v, proof: proof, key: key), "wrong point")
        let other = try KZG.commit(Polynomial(coefficients: rng.frs(10)), srs: devSRS)
        #expect(!KZG.verify(commitment: other, point: z, value: v, proof: proof, key: key), "wrong commitment")
        #expect(!KZG.verify(commitment: c, point: z, value: v, proof: other, key: key), "wrong proof")
        // A full-size polynomial (degree n − 1) fits; one more coefficient does not.
        let full = Polynomial(coefficients: rng.frs(256))
        let (fv, fp) = try KZG.open(full, at: z, srs: devSRS)
        #expect(KZG.verify(commitment: try KZG.commit(full, srs: devSRS), point: z, value: fv, proof: fp, key: key))
        #expect(throws: KZGError.polynomialTooLarge(length: 257, maxLength: 256)) {
            try KZG.commit(Polynomial(coefficients: rng.frs(257)), srs: devSRS)
        }
    }

    @Test func commitmentFromEvaluationsMatchesCoefficients() throws {
        var rng = SeededGenerator(seed: 2)
        let domain = try EvaluationDomain(log2Size: 8)
        let p = Polynomial(coefficients: rng.frs(256))
        let evaluations = try p.evaluations(on: domain)
        #expect(try KZG.commit(evaluations, srs: devSRS) == KZG.commit(p, srs: devSRS))
        let small = try Evaluations(values: rng.frs(16), domain: EvaluationDomain(log2Size: 4))
        #expect(throws: KZGError.lagrangeSizeMismatch(domainSize: 16, srsSize: 256)) { try KZG.commit(small, srs: devSRS) }
    }

    @Test func batchVerificationOfManyOpenings() throws {
        var rng = SeededGenerator(seed: 3)
        var openings: [KZG.Opening] = []
        for _ in 0..<6 {
            let p = Polynomial(coefficients: rng.frs(64))
            let z = rng.fr()
            let (v, proof) = try KZG.open(p, at: z, srs: devSRS)
            openings.append(KZG.Opening(commitment: try KZG.commit(p, srs: devSRS), point: z, value: v, proof: proof))
        }
        let key = devSRS.verifierKey
        #expect(try KZG.batchVerify(openings, key: key))
        for field in 0..<3 {
            var bad = openings
            switch field {
            case 0: bad[4].value += .one
            case 1: bad[2].point += .one
            default: bad[5].commitment = bad[0].commitment
            }
            #expect(try !KZG.batchVerify(bad, key: key), "tampered field \(field)")
        }
        #expect(try KZG.batchVerify([], key: key))
    }

    @Test func gwcBatchOpeningAtSeveralPoints() throws {
        var rng = SeededGenerator(seed: 4)
        let polys = (0..<5).map { _ in Polynomial(coefficients: rng.frs(100)) }
        let commitments = try polys.map { try KZG.commit($0, srs: devSRS) }
        let zeta = rng.fr(), zetaOmega = rng.fr()
        let gamma = rng.fr()
        // Polynomials 0…4 at zeta, polynomials 1 and 3 at zeta·ω (the shape of a PLONK opening).
        let queries = [
            KZG.PointQuery(point: zeta, polynomials: polys),
            KZG.PointQuery(point: zetaOmega, polynomials: [polys[1], polys[3]]),
        ]
        let openings = try KZG.batchOpen(queries, gamma: gamma, srs: devSRS)
        #expect(openings[0].values == polys.map { $0.evaluate(at: zeta) })
        var claims = [
            KZG.PointClaim(point: zeta, commitments: commitments, values: openings[0].values, proof: openings[0].proof),
            KZG.PointClaim(point: zetaOmega, commitments: [commitments[1], commitments[3]], values: openings[1].values, proof: openings[1].proof),
        ]
        let key = devSRS.verifierKey
        #expect(try KZG.batchVerify(claims, gamma: gamma, key: key))
        #expect(try !KZG.batchVerify(claims, gamma: gamma + .one, key: key), "wrong gamma")
        claims[1].values[0] += .one
        #expect(try !KZG.batchVerify(claims, gamma: gamma, key: key), "wrong value")
        claims[1].values[0] -= .one
        claims[0].commitments.swapAt(0, 1)
        #expect(try !KZG.batchVerify(claims, gamma: gamma, key: key), "commitments swapped")
        claims[0].commitments.swapAt(0, 1)
        claims[0].values.removeLast()
        #expect(throws: KZGError.self) { try KZG.batchVerify(claims, gamma: gamma, key: key) }
    }

    @Test func truncationRecomputesTheLagrangeBasis() throws {
        let small = try devSRS.truncated(toLog2Size: 5)
        #expect(small.size == 32)
        #expect(small.powersG1 == Array(devSRS.powersG1.prefix(32)))
        #expect(small.lagrangeG1 != Array(devSRS.lagrangeG1.prefix(32)))
        try small.validate()
        #expect(small.origin.isInsecure)
        var rng = SeededGenerator(seed: 5)
        let p = Polynomial(coefficients: rng.frs(32))
        let evaluations = try p.evaluations(on: EvaluationDomain(log2Size: 5))
        #expect(try KZG.commit(evaluations, srs: small) == KZG.commit(p, srs: small))
        #expect(throws: KZGError.truncationLarger(requested: 9, available: 8)) { try devSRS.truncated(toLog2Size: 9) }
    }

    @Test func groupNTTAgreesWithTheDevLagrangeBasis() throws {
        // The dev setup computes [L_i(τ)]₁ from τ directly; the group NTT computes it from the powers.
        let domain = try EvaluationDomain(log2Size: 8)
        #expect(GroupNTT.lagrangeBasis(fromPowers: devSRS.powersG1, domain: domain) == devSRS.lagrangeG1)
    }

    @Test func validationRejectsBrokenStructure() throws {
        var powers = devSRS.powersG1
        powers.swapAt(3, 4)
        #expect(throws: KZGError.powersNotGeometric) { try SRS.checkPowers(powers, g2: devSRS.g2, tauG2: devSRS.tauG2) }
        var lagrange = devSRS.lagrangeG1
        lagrange.swapAt(0, 1)
        #expect(throws: KZGError.lagrangeInconsistent) { try SRS.checkLagrange(lagrange, powers: devSRS.powersG1) }
        #expect(throws: KZGError.powersNotGeometric) {
            try SRS.checkPowers(devSRS.powersG1, g2: devSRS.g2, tauG2: G2Affine.generator)
        }
    }
}
