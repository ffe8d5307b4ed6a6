import TestSupport
import Testing
@testable import FieldArithmetic

/// Differential tests of the Montgomery kernels against GMP on ≥ 10,000 inputs per field.
struct MontgomeryFieldTests {
    static let count = 10_000

    func checkAgainstGMP<F: PrimeField>(_ type: F.Type, seed: UInt64) {
        let p = F.modulus
        let a = sampleValues(type, count: Self.count, seed: seed)
        let b = sampleValues(type, count: Self.count, seed: seed &+ 1).reversed().map { $0 }
        var failures = 0
        for (x, y) in zip(a, b) {
            let fx = F(x), fy = F(y)
            if fx.bigInteger != x { failures += 1 }
            if (fx + fy).bigInteger != (x + y).modulo(p) { failures += 1 }
            if (fx - fy).bigInteger != (x - y).modulo(p) { failures += 1 }
            if (fx * fy).bigInteger != (x * y).modulo(p) { failures += 1 }
            if fx.squared().bigInteger != (x * x).modulo(p) { failures += 1 }
            if (-fx).bigInteger != (-x).modulo(p) { failures += 1 }
        }
        #expect(failures == 0, "\(failures) disagreements with GMP")
        // Inversion is costlier; a tenth of the inputs suffice, zero excluded.
        for x in a.prefix(Self.count / 10) where !x.isZero {
            #expect(F(x).inverse().bigInteger == x.inverse(modulo: p)!)
        }
    }

    @Test func frAgreesWithGMP() { checkAgainstGMP(Fr.self, seed: 1) }
    @Test func fqAgreesWithGMP() { checkAgainstGMP(Fq.self, seed: 2) }

    /// The assembly kernels (x86-64) against the Swift CIOS product on raw Montgomery limbs: random ones, the
    /// largest (p − 1, p − 2) and those whose rounds carry most (all-ones words below p).
    @Test func assemblyKernelsMatchThePortableProduct() {
        func check<P: MontgomeryParameters>(_: P.Type, seed: UInt64) {
            typealias F = MontgomeryField<P>
            var rng = SeededRandom(seed: seed)
            let top = F(montgomeryLimbs: P.p0 &- 1, P.p1, P.p2, P.p3)
            var values: [F] = [.zero, .one, top, F(montgomeryLimbs: P.p0 &- 2, P.p1, P.p2, P.p3),
                               F(montgomeryLimbs: 1, 0, 0, 0), F(montgomeryLimbs: .max, .max, .max, P.p3 &- 1),
                               F(montgomeryLimbs: 0, 0, 0, P.p3 &- 1)]
            while values.count < 4_000 {
                let v = F(montgomeryLimbs: rng.next(), rng.next(), rng.next(), rng.next() % (P.p3 &+ 1))
                if F.isBelowModulus(v.l0, v.l1, v.l2, v.l3) { values.append(v) }
            }
            var failures = 0
            for (i, x) in values.enumerated() {
                for y in [values[(i &* 7 &+ 3) % values.count], values[i % 7], x] where x * y != F.portableProduct(x, y) {
                    failures += 1
                }
            }
            #expect(failures == 0, "\(P.name): \(failures) products differ from the portable one")
        }
        check(FrParameters.self, seed: 21)
        check(FqParameters.self, seed: 22)
        #if arch(x86_64)
        #expect(FrParameters.kernel == .fr && FqParameters.kernel == .fq)
        #endif
    }

    @Test func constantsDeriveFromModulus() {
        func check<P: MontgomeryParameters>(_: P.Type) {
            let p = BigInteger(P.modulusDecimal)!
            #expect(MontgomeryField<P>.modulus == p)
            let r = BigInteger.one << 256
            let limbs = { (t: (UInt64, UInt64, UInt64, UInt64)) in BigInteger(limbs: [t.0, t.1, t.2, t.3]) }
            #expect(limbs(P.one) == r.modulo(p))
            #expect(limbs(P.rSquared) == (r * r).modulo(p))
            #expect(limbs(P.rCubed) == (r * r * r).modulo(p))
            let wordModulus = BigInteger.one << 64
            #expect(BigInteger(P.negInverse) == (-(p.inverse(modulo: wordModulus)!)).modulo(wordModulus))
            // The kernels need two spare top bits.
            #expect(p.bitWidth <= 254)
        }
        check(FrParameters.self)
        check(FqParameters.self)
    }

    @Test func edgeCases() {
        #expect(Fr.zero.isZero)
        #expect((Fr.one - Fr.one).isZero)
        #expect(Fr.zero.inverse().isZero)
        let minusOne = -Fr.one
        #expect(minusOne.bigInteger == Fr.modulus - .one)
        #expect((minusOne * minusOne) == Fr.one)
        #expect(Fr(signed: -5) == -Fr(5))
        #expect(Fq(signed: Int64.min).bigInteger == (Fq.modulus - (BigInteger.one << 63)))
    }

    @Test func batchInversionMatchesSingle() {
        var rng = SeededRandom(seed: 9)
        var values = (0..<257).map { i in i % 17 == 0 ? Fr.zero : Fr(BigInteger(limbs: [rng.next(), rng.next(), rng.next(), rng.next()])) }
        let expected = values.map { $0.inverse() }
        Fr.batchInvert(&values)
        #expect(values == expected)
    }

    @Test func fermatInverseMatchesGMPInverse() {
        var rng = SeededRandom(seed: 10)
        for _ in 0..<50 {
            let x = Fq(BigInteger(limbs: [rng.next(), rng.next(), rng.next(), rng.next()]))
            #expect(x.inverse() == x.inverseByExponentiation())
        }
    }

    @Test func squareRootsAndLegendre() {
        func check<F: PrimeField>(_: F.Type, seed: UInt64) {
            let p = F.modulus
            for x in sampleValues(F.self, count: 300, seed: seed) {
                let f = F(x)
                #expect(f.legendre() == (x.isZero ? 0 : x.legendre(p)))
                if let root = f.squareRoot() {
                    #expect(root.squared() == f)
                    #expect(x.squareRoot(modulo: p) != nil)
                } else {
                    #expect(x.squareRoot(modulo: p) == nil)
                }
            }
        }
        check(Fr.self, seed: 3)  // r − 1 = 2^28·odd: Tonelli–Shanks path
        check(Fq.self, seed: 4)  // q ≡ 3 mod 4: single exponentiation path
    }

    @Test func canonicalBytesRoundTripAndRejectNonCanonical() throws {
        var rng = SeededRandom(seed: 5)
        for _ in 0..<200 {
            let x = Fr(BigInteger(limbs: [rng.next(), rng.next(), rng.next(), rng.next()]))
            let bytes = x.canonicalBytes
            #expect(bytes.count == 32)
            #expect(BigInteger(littleEndianBytes: bytes) == x.bigInteger)
            #expect(try Fr(canonicalBytes: bytes) == x)
        }
        let pBytes = Fr.modulus.littleEndianBytes(count: 32)!
        #expect(throws: FieldError.nonCanonical(field: "Fr")) { try Fr(canonicalBytes: pBytes) }
        #expect(throws: FieldError.nonCanonical(field: "Fr")) { try Fr(canonicalBytes: [UInt8](repeating: 0xFF, count: 32)) }
        #expect(throws: FieldError.wrongLength(field: "Fr", expected: 32, actual: 31)) { try Fr(canonicalBytes: [UInt8](repeating: 0, count: 31)) }
        let pMinusOne = (Fr.modulus - .one).littleEndianBytes(count: 32)!
        #expect(try Fr(canonicalBytes: pMinusOne) == -Fr.one)
    }

    /// The decoders' pointer form agrees with `init(canonicalBytes:)` (itself checked against GMP above) on
    /// random values and on the edges, and refuses what it refuses.
    @Test func canonicalBytesAtAPointerAgreeWithTheCheckedInit() throws {
        var rng = SeededRandom(seed: 7)
        let edges: [BigInteger] = [.zero, .one, Fr.modulus - .one, Fr.modulus, Fr.modulus + .one,
                                   BigInteger(limbs: [.max, .max, .max, .max])]
        let randoms = (0..<200).map { _ in BigInteger(limbs: [rng.next(), rng.next(), rng.next(), rng.next() >> 2]) }
        for value in edges + randoms {
            let bytes = value.littleEndianBytes(count: 32)!
            let viaPointer = bytes.withUnsafeBytes { Fr(canonicalBytesAt: $0.baseAddress!) }
            #expect(viaPointer == (try? Fr(canonicalBytes: bytes)), "\(value)")
            #expect((viaPointer == nil) == (value >= Fr.modulus))
        }
    }

    @Test func wideReductionMatchesGMP() {
        var rng = SeededRandom(seed: 6)
        for i in 0..<500 {
            var bytes = (0..<64).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if i == 0 { bytes = [UInt8](repeating: 0xFF, count: 64) }
            if i == 1 { bytes = [UInt8](repeating: 0, count: 64) }
            let expected = BigInteger(littleEndianBytes: bytes).modulo(Fr.modulus)
            #expect(Fr(wideBytes: bytes).bigInteger == expected)
            #expect(Fq(wideBytes: bytes).bigInteger == BigInteger(littleEndianBytes: bytes).modulo(Fq.modulus))
        }
    }

    @Test func decimalParsing() throws {
        #expect(try Fr(parsing: "12345").bigInteger == BigInteger(12345))
        #expect(try Fr(parsing: "0x10") == Fr(16))
        #expect(throws: FieldError.self) { try Fr(parsing: "12a") }
        #expect(throws: FieldError.self) { try Fr(parsing: Fr.modulusDecimalString) }
        #expect(throws: FieldError.self) { try Fr(parsing: "-1") }
        #expect(throws: FieldError.self) { try Fr(parsing: "") }
    }

    @Test func rootsOfUnity() {
        let root = Fr.rootOfUnity(log2Size: 28)
        var x = root
        for _ in 0..<27 { x = x.squared() }
        #expect(x == -Fr.one)  // order exactly 2^28
        #expect(Fr.rootOfUnity(log2Size: 1) == -Fr.one)
        #expect(Fr.rootOfUnity(log2Size: 0) == Fr.one)
        #expect(Fr.maximalRootOfUnity == Fr(5).power(limbs: ((Fr.modulus - .one) >> 28).limbs(count: 4)))
    }
}

extension MontgomeryField {
    static var modulusDecimalString: String { Parameters.modulusDecimal }
}
