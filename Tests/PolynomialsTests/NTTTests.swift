import TestSupport
import FieldArithmetic
import Parallelism
import Polynomials
import Testing

/// The naive DFT: value i is Σ_j a_j·x_i^j with x_i = shift·ω^i, each power computed by repeated
/// multiplication (no twiddle table, no reordering).
func naiveDFT(_ a: [Fr], root: Fr, shift: Fr = .one) -> [Fr] {
    var out: [Fr] = []
    var x = shift
    for _ in 0..<a.count {
        var sum = Fr.zero
        var power = Fr.one
        for c in a {
            sum += c * power
            power *= x
        }
        out.append(sum)
        x *= root
    }
    return out
}

@Suite struct NTTTests {
    @Test func rootsHaveTheRightOrder() throws {
        for k in [1, 5, 10, 28] {
            let omega = Fr.rootOfUnity(log2Size: k)
            var x = omega
            for _ in 0..<(k - 1) { x = x.squared() }
            #expect(x == -Fr.one, "ω^(n/2) must be −1 for n = 2^\(k)")
        }
    }

    @Test(arguments: 0...9) func agreesWithNaiveDFT(log2: Int) throws {
        var rng = SeededGenerator(seed: UInt64(100 + log2))
        let domain = try EvaluationDomain(log2Size: log2)
        let a = rng.frs(domain.size)
        #expect(try domain.ntt(a) == naiveDFT(a, root: domain.generator))
        #expect(try domain.cosetNTT(a) == naiveDFT(a, root: domain.generator, shift: Fr(5)))
        #expect(try domain.inverseNTT(domain.ntt(a)) == a)
        #expect(try domain.inverseCosetNTT(domain.cosetNTT(a)) == a)
    }

    /// A short polynomial extended to a larger coset (the quotient's columns): the transform that skips the
    /// copy-only first stages equals the naive DFT of the zero-padded input, at every prefix length around the
    /// powers of two, below and above the 2^12 cache block, on 1 and 3 threads.
    @Test(arguments: [3, 7, 14]) func shortInputsOnACosetAgreeWithTheNaiveDFT(log2: Int) throws {
        var rng = SeededGenerator(seed: UInt64(300 + log2))
        let domain = try EvaluationDomain(log2Size: log2)
        let n = domain.size
        let lengths = [0, 1, 2, 3, n / 8 - 1, n / 8, n / 8 + 1, n / 4, n / 2 - 1, n / 2, n / 2 + 1].filter { (0...n).contains($0) }
        for length in Set(lengths).sorted() {
            let a = rng.frs(length)
            let padded = a + [Fr](repeating: .zero, count: n - length)
            let expected: [Fr]
            if log2 <= 7 {
                expected = naiveDFT(padded, root: domain.generator, shift: Fr(5))
            } else {
                // The full-length path (no skipped stages) is itself checked against the naive DFT above.
                var full = padded
                full.withUnsafeMutableBufferPointer { domain.cosetNTTInPlace($0) }
                expected = full
            }
            for threads in [1, 3] {
                let values = try Parallel.withThreadCount(threads) { try domain.cosetNTT(a) }
                #expect(values == expected, "2^\(log2), \(length) coefficients, \(threads) threads")
            }
        }
    }

    @Test func inverseIsTheDFTWithTheInverseRoot() throws {
        var rng = SeededGenerator(seed: 7)
        let domain = try EvaluationDomain(log2Size: 6)
        let a = rng.frs(64)
        let expected = naiveDFT(a, root: domain.generatorInverse).map { $0 * Fr(64).inverse() }
        #expect(try domain.inverseNTT(a) == expected)
    }

    @Test func largeStagesAndThreadCountsAgree() throws {
        // 2^15 > the 2^12 cache block: exercises the per-stage passes and the twiddle gathers.
        var rng = SeededGenerator(seed: 11)
        let domain = try EvaluationDomain(log2Size: 15)
        let a = rng.frs(domain.size)
        let single = try Parallel.withThreadCount(1) { try domain.ntt(a) }
        for threads in [2, 3, 8] {
            let many = try Parallel.withThreadCount(threads) { try domain.ntt(a) }
            #expect(many == single, "\(threads) threads")
        }
        #expect(try domain.inverseNTT(single) == a)
        #expect(try domain.inverseCosetNTT(domain.cosetNTT(a)) == a)
        // Spot-check some outputs against direct evaluation.
        let p = Polynomial(coefficients: a)
        for i in [0, 1, 12345, domain.size - 1] {
            #expect(single[i] == p.evaluate(at: domain.element(i)))
        }
    }

    @Test func shortInputsArePaddedAndLongOnesRejected() throws {
        let domain = try EvaluationDomain(log2Size: 3)
        let values = try domain.ntt([Fr(2), Fr(3)])
        #expect(values == naiveDFT([Fr(2), Fr(3)] + [Fr](repeating: .zero, count: 6), root: domain.generator))
        #expect(throws: PolynomialError.sizeMismatch(expected: 8, actual: 9)) {
            try domain.ntt([Fr](repeating: .one, count: 9))
        }
        #expect(throws: PolynomialError.sizeMismatch(expected: 8, actual: 7)) {
            try domain.inverseNTT([Fr](repeating: .one, count: 7))
        }
    }

    @Test func domainLimits() throws {
        #expect(throws: PolynomialError.domainTooLarge(log2Size: 29, maximum: 28)) {
            try EvaluationDomain(log2Size: 29)
        }
        #expect(try EvaluationDomain(atLeast: 1000).log2Size == 10)
        #expect(try EvaluationDomain(atLeast: 1024).log2Size == 10)
        #expect(try EvaluationDomain(atLeast: 1).log2Size == 0)
        let domain = try EvaluationDomain(log2Size: 4)
        #expect(domain.elements == (0..<16).map { domain.generator.power(UInt64($0)) })
        #expect(domain.element(21) == domain.generator.power(5))
    }
}
