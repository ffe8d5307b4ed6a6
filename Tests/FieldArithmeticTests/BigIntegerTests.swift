import TestSupport
import Testing
@testable import FieldArithmetic

struct BigIntegerTests {
    @Test func parsingAndPrinting() {
        let x = BigInteger("-123456789012345678901234567890")!
        #expect(x.description == "-123456789012345678901234567890")
        #expect(BigInteger("0xff")! == BigInteger(255))
        #expect(BigInteger(255).hexString == "0xff")
        #expect(BigInteger("") == nil)
        #expect(BigInteger("12x") == nil)
        #expect(BigInteger("-") == nil)
        #expect(BigInteger("0x") == nil)
    }

    @Test func arithmeticMatchesInt() {
        var rng = SeededRandom(seed: 11)
        for _ in 0..<2000 {
            let a = Int(truncatingIfNeeded: rng.next() >> 34) - (1 << 29)
            let b = Int(truncatingIfNeeded: rng.next() >> 34) - (1 << 29)
            let x = BigInteger(a), y = BigInteger(b)
            #expect((x + y).intValue == a + b)
            #expect((x - y).intValue == a - b)
            #expect((x * y).intValue == a * b)
            if b != 0 {
                #expect((x / y).intValue == a / b)
                #expect((x % y).intValue == a % b)
                let floorQuotient = Int((Double(a) / Double(b)).rounded(.down))
                #expect(x.floorDivided(by: y).intValue == floorQuotient)
            }
            #expect((x >> 3).intValue == a >> 3)
        }
    }

    @Test func modularHelpers() {
        let p = Fq.modulus
        let a = BigInteger(123_456_789)
        let inv = a.inverse(modulo: p)!
        #expect((a * inv).modulo(p) == .one)
        #expect(BigInteger(6).inverse(modulo: BigInteger(9)) == nil)
        #expect(a.powMod(p - .one, p) == .one)
        let root = BigInteger(4).squareRoot(modulo: p)!
        #expect(root == BigInteger(2))
        #expect((-BigInteger.one).squareRoot(modulo: p) == nil)  // q ≡ 3 mod 4
        let r = Fr.modulus
        for k in 1..<60 {
            let square = BigInteger(k * k + 1).modulo(r)
            if let s = square.squareRoot(modulo: r) { #expect((s * s).modulo(r) == square) }
        }
    }

    @Test func bytesAndLimbs() {
        let value = (BigInteger.one << 200) + BigInteger(77)
        let bytes = value.littleEndianBytes(count: 32)!
        #expect(BigInteger(littleEndianBytes: bytes) == value)
        #expect(value.littleEndianBytes(count: 25) == nil)
        #expect(BigInteger(limbs: value.limbs(count: 4)) == value)
    }
}
