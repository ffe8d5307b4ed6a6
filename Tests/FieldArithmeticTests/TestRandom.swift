import TestSupport
import FieldArithmetic

/// Random values of a field together with their GMP twins, mixed with edge cases.
func sampleValues<F: PrimeField>(_ type: F.Type, count: Int, seed: UInt64) -> [BigInteger] {
    var rng = SeededRandom(seed: seed)
    let p = F.modulus
    let twoTo256 = BigInteger.one << 256
    var values: [BigInteger] = [
        .zero, .one, BigInteger(2), p - .one, p - BigInteger(2), (p - .one) >> 1, (p + .one) >> 1,
        (twoTo256 - .one).modulo(p), ((BigInteger.one << 255) - .one).modulo(p), BigInteger(UInt64.max),
    ]
    while values.count < count {
        let limbs = (0..<4).map { _ in rng.next() }
        // Mix full-width values with small ones (witness values are usually small).
        let value = values.count % 5 == 0 ? BigInteger(rng.next() >> 32) : BigInteger(limbs: limbs).modulo(p)
        values.append(value)
    }
    return values
}
