import TestSupport
import Testing
@testable import FieldArithmetic

/// `SmallFactorProducts` (one Montgomery product of x·R by a raw integer) against GMP's x·v mod p, for full and
/// small x and signed v up to the Int64 extremes.
struct SmallFactorProductsTests {
    @Test func productsAgreeWithGMP() {
        let p = Fr.modulus
        let xs = sampleValues(Fr.self, count: 300, seed: 11)
        var rng = SeededRandom(seed: 12)
        var vs: [Int64] = [0, 1, -1, 2, -2, 127, -128, 32767, -32768, .max, .min, .max - 1, .min + 1]
        while vs.count < 64 { vs.append(Int64(bitPattern: rng.next()) >> Int64(rng.next() % 63)) }
        var failures = 0
        for x in xs {
            let factor = SmallFactorProducts(Fr(x))
            for v in vs {
                let magnitude = BigInteger(v.magnitude)
                let expected = (v < 0 ? p - (x * magnitude).modulo(p) : x * magnitude).modulo(p)
                if factor.times(v).bigInteger != expected { failures += 1 }
                // add(_:to:) on a running total equals total + x·v.
                var total = Fr(x)
                factor.add(v, to: &total)
                if total.bigInteger != (x + expected).modulo(p) { failures += 1 }
            }
        }
        #expect(failures == 0, "\(failures) disagreements with GMP")
    }
}
