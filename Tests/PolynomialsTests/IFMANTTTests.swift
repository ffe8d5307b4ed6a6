import TestSupport
import FieldArithmetic
import Parallelism
import Polynomials
import Testing

/// The IFMA transform (`NTT+IFMA.swift`) and the coset scalings' vector products against the scalar path,
/// value for value: every transform the
/// prover uses, on every size from 2^1 to 2^15 (below 2^5 both take the scalar path), on one and two threads,
/// and the coset transform of short inputs that skips its first stages (`spread`).
@Suite(.serialized, .enabled(if: EvaluationDomain.ifmaEnabled, "needs AVX-512 IFMA"))
struct IFMANTTTests {
    /// The vector products (the coset scalings' power tables) switch with the butterflies.
    static func bothWays<T: Equatable>(_ body: () throws -> T) rethrows -> (vector: T, scalar: T) {
        let products = Fr.vectorProductsEnabled
        defer {
            EvaluationDomain.ifmaEnabled = true
            Fr.vectorProductsEnabled = products
        }
        EvaluationDomain.ifmaEnabled = true
        let vector = try body()
        EvaluationDomain.ifmaEnabled = false
        Fr.vectorProductsEnabled = false
        return (vector, try body())
    }

    @Test(arguments: 1...15) func everyTransformAgreesWithTheScalarPath(log2: Int) throws {
        var rng = SeededRandom(seed: UInt64(log2))
        let domain = try EvaluationDomain(log2Size: log2)
        // p − 1 and zeros too: the largest and smallest canonical values.
        var values = rng.frs(domain.size)
        values[0] = -Fr.one
        if domain.size > 2 { values[1] = .zero }
        for threads in [1, 2] {
            let results = try Parallel.withThreadCount(threads) {
                try Self.bothWays {
                    [try domain.ntt(values), try domain.inverseNTT(values), try domain.cosetNTT(values),
                     try domain.inverseCosetNTT(values)]
                }
            }
            #expect(results.vector == results.scalar, "2^\(log2), \(threads) thread(s)")
        }
    }

    @Test(arguments: [5, 6, 9, 13]) func shortCosetInputsAgreeWithTheScalarPath(log2: Int) throws {
        var rng = SeededRandom(seed: UInt64(100 + log2))
        let domain = try EvaluationDomain(log2Size: log2)
        for count in Set([1, 2, 3, domain.size / 8, domain.size / 4 + 1, domain.size / 2]) where count >= 1 {
            let coefficients = rng.frs(count)
            let results = try Self.bothWays { try domain.cosetNTT(coefficients) }
            #expect(results.vector == results.scalar, "2^\(log2), \(count) coefficients")
        }
    }
}
