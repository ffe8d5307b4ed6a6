@testable import BN254
import FieldArithmetic

/// Deterministic generator (SplitMix64) so that a failing property test reproduces.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SeededRandom {
    mutating func fr() -> Fr { Fr(BigInteger(limbs: [next(), next(), next(), next()])) }
    mutating func fq() -> Fq { Fq(BigInteger(limbs: [next(), next(), next(), next()])) }
    mutating func fq2() -> Fq2 { Fq2(fq(), fq()) }
    mutating func fq6() -> Fq6 { Fq6(fq2(), fq2(), fq2()) }
    mutating func fq12() -> Fq12 { Fq12(fq6(), fq6()) }
}
