import TestSupport
import FieldArithmetic
import Parallelism
import Polynomials
import Testing

@Suite struct PolynomialTests {
    @Test func nttProductMatchesSchoolbook() throws {
        var rng = SeededGenerator(seed: 21)
        for (m, n) in [(1, 1), (5, 40), (33, 33), (100, 157), (300, 1)] {
            let a = Polynomial(coefficients: rng.frs(m))
            let b = Polynomial(coefficients: rng.frs(n))
            #expect(a * b == Polynomial.schoolbook(a, b), "\(m)×\(n)")
        }
        #expect(Polynomial(coefficients: [Fr(1)]) * .zero == .zero)
    }

    @Test func additionScalingAndEquality() {
        let a = Polynomial(coefficients: [Fr(1), Fr(2), Fr(3)])
        let b = Polynomial(coefficients: [Fr(4), Fr(5)])
        #expect(a + b == Polynomial(coefficients: [Fr(5), Fr(7), Fr(3)]))
        #expect(a - a == .zero)
        #expect((a - a).degree == -1)
        #expect(a.scaled(by: Fr(2)) == a + a)
        #expect(a.adding(b, scaledBy: Fr(3)) == a + b + b + b)
        #expect(Polynomial(coefficients: [Fr(1), .zero, .zero]) == Polynomial(coefficients: [Fr(1)]))
        #expect(a != b)
    }

    @Test func evaluationSerialParallelAndBatch() throws {
        var rng = SeededGenerator(seed: 31)
        let p = Polynomial(coefficients: rng.frs(40_000))
        let z = rng.fr()
        let serial = Parallel.withThreadCount(1) { p.evaluate(at: z) }
        let parallel = Parallel.withThreadCount(4) { p.evaluate(at: z) }
        #expect(serial == parallel)
        let small = Polynomial(coefficients: [Fr(3), Fr(0), Fr(2)])  // 3 + 2x²
        #expect(small.evaluate(at: Fr(5)) == Fr(53))
        #expect(small.evaluate(at: [Fr(0), Fr(1), Fr(5)]) == [Fr(3), Fr(5), Fr(53)])
        let q = Polynomial(coefficients: rng.frs(100))
        let points = rng.frs(9)
        #expect(q.evaluate(at: points) == points.map { q.evaluate(at: $0) })
    }

    @Test func divisionByLinear() {
        var rng = SeededGenerator(seed: 41)
        let p = Polynomial(coefficients: rng.frs(50))
        let z = rng.fr()
        let (q, r) = p.dividedByLinear(at: z)
        #expect(r == p.evaluate(at: z))
        let xMinusZ = Polynomial(coefficients: [-z, .one])
        #expect(q * xMinusZ + Polynomial(coefficients: [r]) == p)
    }

    @Test func divisionByVanishingOnCoset() throws {
        var rng = SeededGenerator(seed: 51)
        for (log2, quotientLength) in [(3, 1), (4, 20), (6, 64), (6, 200)] {
            let domain = try EvaluationDomain(log2Size: log2)
            let q = Polynomial(coefficients: rng.frs(quotientLength))
            var zh = [Fr](repeating: .zero, count: domain.size + 1)
            zh[0] = -Fr.one
            zh[domain.size] = .one
            let p = q * Polynomial(coefficients: zh)
            #expect(try p.dividedByVanishing(of: domain) == q)
            let (naiveQ, naiveR) = p.dividedByVanishingNaive(size: domain.size)
            #expect(naiveQ == q && naiveR.isZero)
            // Any non-zero remainder is detected.
            let bad = p + Polynomial(coefficients: [Fr.zero, Fr(7)])
            #expect(throws: PolynomialError.notDivisible) { try bad.dividedByVanishing(of: domain) }
            let (_, r) = bad.dividedByVanishingNaive(size: domain.size)
            #expect(r == Polynomial(coefficients: [Fr.zero, Fr(7)]))
        }
        let domain = try EvaluationDomain(log2Size: 3)
        #expect(throws: PolynomialError.notDivisible) {
            try Polynomial(coefficients: [Fr(1), Fr(2)]).dividedByVanishing(of: domain)
        }
        #expect(try Polynomial.zero.dividedByVanishing(of: domain) == .zero)
    }

    @Test func vanishingIsZeroExactlyOnTheDomain() throws {
        let domain = try EvaluationDomain(log2Size: 5)
        for i in 0..<domain.size { #expect(domain.evaluateVanishing(at: domain.element(i)).isZero) }
        #expect(!domain.evaluateVanishing(at: Fr(5)).isZero)
    }

    @Test func lagrangeBasisAndEvaluationForm() throws {
        var rng = SeededGenerator(seed: 61)
        let domain = try EvaluationDomain(log2Size: 13)  // above the chunk size: several batch inversions
        let p = Polynomial(coefficients: rng.frs(domain.size))
        let evaluations = try p.evaluations(on: domain)
        let z = rng.fr()
        let one = Parallel.withThreadCount(1) { evaluations.evaluate(at: z) }
        let two = Parallel.withThreadCount(2) { evaluations.evaluate(at: z) }
        #expect(one == p.evaluate(at: z))
        #expect(two == one)
        #expect(evaluations.interpolate() == p)
        // Σ L_i(z) = 1 (interpolating the constant one).
        #expect(domain.lagrangeBasis(at: z).reduce(.zero, +) == .one)
        // At a domain point the basis is a unit vector.
        let small = try EvaluationDomain(log2Size: 3)
        let basis = small.lagrangeBasis(at: small.element(5))
        #expect(basis == (0..<8).map { $0 == 5 ? Fr.one : Fr.zero })
        #expect(throws: PolynomialError.sizeMismatch(expected: 8, actual: 3)) {
            try Evaluations(values: [.one, .one, .one], domain: small)
        }
    }

    @Test func interpolationThroughArbitraryPoints() throws {
        var rng = SeededGenerator(seed: 71)
        let p = Polynomial(coefficients: rng.frs(6))
        let points = rng.frs(6)
        let q = try Polynomial.interpolate(points: points, values: p.evaluate(at: points))
        #expect(q == p)
        #expect(throws: PolynomialError.repeatedPoint(index: 1)) {
            try Polynomial.interpolate(points: [Fr(3), Fr(3)], values: [Fr(1), Fr(2)])
        }
        #expect(try Polynomial.interpolate(points: [Fr(2)], values: [Fr(9)]) == Polynomial(coefficients: [Fr(9)]))
    }
}
