import TestSupport
@testable import BN254
import FieldArithmetic

extension SeededRandom {
    mutating func fq() -> Fq { Fq(BigInteger(limbs: [next(), next(), next(), next()])) }
    mutating func fq2() -> Fq2 { Fq2(fq(), fq()) }
    mutating func fq6() -> Fq6 { Fq6(fq2(), fq2(), fq2()) }
    mutating func fq12() -> Fq12 { Fq12(fq6(), fq6()) }
}
