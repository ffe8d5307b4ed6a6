import BN254
import CGMP
import CommandLineSupport
import CYardstick
import FieldArithmetic

/// `zkbench arith`: field, curve and pairing costs, with the field multiplication measured side by side
/// against GMP and a plain C `unsigned __int128` kernel in the same run.
enum ArithBenchmark {
    static let command = Command(
        name: "arith", summary: "BN254 field, curve and pairing operations",
        options: [.flag("quick", "fewer iterations (for make demo)")]
    ) { invocation in
        let scale = invocation.flag("quick") ? 10 : 1
        var report = BenchReport()
        fieldRows(&report, scale: scale)
        curveRows(&report, scale: scale)
        report.print(json: invocation.wantsJSON)
    }

    static func fieldRows(_ report: inout BenchReport, scale: Int) {
        let n = 2_000_000 / scale
        func swiftChain<P: MontgomeryParameters>(_: P.Type) -> () -> Void {
            let y = Bench.opaque(MontgomeryField<P>(987_654_321).squared())
            return {
                var x = Bench.opaque(MontgomeryField<P>(123_456_789))
                for _ in 0..<n { x = x * y }
                Bench.consume(x)
            }
        }
        func yardstickChain<P: MontgomeryParameters>(_: P.Type) -> () -> Void {
            let modulus: [UInt64] = [P.p0, P.p1, P.p2, P.p3]
            let yv = MontgomeryField<P>(987_654_321).squared()
            let y: [UInt64] = [yv.l0, yv.l1, yv.l2, yv.l3]
            return {
                var x: [UInt64] = [1, 2, 3, 4]
                yardstick_mont_chain(&x, y, modulus, P.negInverse, UInt64(n))
                Bench.consume(x)
            }
        }
        func gmpChain<P: MontgomeryParameters>(_: P.Type) -> () -> Void {
            // mpz_mul + mpz_mod on preallocated integers: GMP's best case for one modular product.
            let x = UnsafeMutablePointer<__mpz_struct>.allocate(capacity: 4)
            let y = x + 1, t = x + 2, p = x + 3
            for k in 0..<4 { __gmpz_init(x + k) }
            _ = P.modulusDecimal.withCString { __gmpz_set_str(p, $0, 10) }
            __gmpz_set_ui(x, 123_456_789)
            _ = "98765432109876543210987654321098765432109876543210".withCString { __gmpz_set_str(y, $0, 10) }
            return {
                for _ in 0..<n {
                    __gmpz_mul(t, x, y)
                    __gmpz_mod(x, t, p)
                }
            }
        }
        func measure<P: MontgomeryParameters>(_: P.Type, _ key: String) {
            let name = P.name
            let times = Bench.interleaved(operations: n, [swiftChain(P.self), yardstickChain(P.self), gmpChain(P.self)])
            let (mul, c, g) = (times[0], times[1], times[2])
            report.add("\(key)_mul_ns", mul, "\(name) mul")
            report.add("\(key)_mul_c_ns", c, "\(name) mul, C __int128 yardstick")
            report.add("\(key)_mul_gmp_ns", g, "\(name) mul, GMP mpz_mul + mpz_mod")
            report.add("\(key)_mul_ratio_vs_c", mul / c, unit: "×", "\(name) mul / C yardstick")
            report.add("\(key)_mul_ratio_vs_gmp", mul / g, unit: "×", "\(name) mul / GMP")
            report.add("\(key)_square_ns", Bench.nanoseconds(operations: n) {
                var x = Bench.opaque(MontgomeryField<P>(123_456_789))
                for _ in 0..<n { x = x.squared() }
                Bench.consume(x)
            }, "\(name) square")
            let y = Bench.opaque(MontgomeryField<P>(987_654_321).squared())
            report.add("\(key)_add_ns", Bench.nanoseconds(operations: n) {
                var x = Bench.opaque(MontgomeryField<P>(123_456_789))
                for _ in 0..<n { x = x + y }
                Bench.consume(x)
            }, "\(name) add")
        }
        measure(FrParameters.self, "fr")
        measure(FqParameters.self, "fq")
        let inversions = 20_000 / scale
        report.add("fr_inverse_ns", Bench.nanoseconds(operations: inversions) {
            var x = Fr(123_456_789)
            for _ in 0..<inversions { x = x.inverse() + Fr.one }
            Bench.consume(x)
        }, "Fr inverse (GMP)")
        report.add("fr_inverse_fermat_ns", Bench.nanoseconds(operations: inversions / 10) {
            var x = Fr(123_456_789)
            for _ in 0..<(inversions / 10) { x = x.inverseByExponentiation() + Fr.one }
            Bench.consume(x)
        }, "Fr inverse (Fermat, reference)")
        var batch = (1...UInt64(65_536 / scale)).map { Fr($0) }
        report.add("fr_batch_inverse_per_element_ns", Bench.nanoseconds(operations: batch.count) {
            Fr.batchInvert(&batch)
        }, "Fr batch inverse, per element")
        let m = 200_000 / scale
        let a12 = Fq12(Fq6(Fq2(Fq(1), Fq(2)), Fq2(Fq(3), Fq(4)), Fq2(Fq(5), Fq(6))), Fq6(Fq2(Fq(7), Fq(8)), Fq2(Fq(9), Fq(10)), Fq2(Fq(11), Fq(12))))
        let a2 = Bench.opaque(Fq2(Fq(3), Fq(4)))
        report.add("fq2_mul_ns", Bench.nanoseconds(operations: m) {
            var x = Bench.opaque(a2)
            for _ in 0..<m { x = x * a2 }
            Bench.consume(x)
        }, "Fq2 mul")
        let a6 = Bench.opaque(a12.c1)
        report.add("fq6_mul_ns", Bench.nanoseconds(operations: m / 10) {
            var x = Bench.opaque(a6)
            for _ in 0..<(m / 10) { x = x * a6 }
            Bench.consume(x)
        }, "Fq6 mul")
        report.add("fq12_mul_ns", Bench.nanoseconds(operations: m / 10) {
            var x = Bench.opaque(a12)
            for _ in 0..<(m / 10) { x = x * a12 }
            Bench.consume(x)
        }, "Fq12 mul")
        report.add("fq12_square_ns", Bench.nanoseconds(operations: m / 10) {
            var x = Bench.opaque(a12)
            for _ in 0..<(m / 10) { x = x.squared() }
            Bench.consume(x)
        }, "Fq12 square")
    }

    static func curveRows(_ report: inout BenchReport, scale: Int) {
        let n = 200_000 / scale
        let g = G1Projective.generator * Fr(7)
        let h = (G1Projective.generator * Fr(11)).toAffine()
        let hj = G1Projective(h)
        report.add("g1_add_ns", Bench.nanoseconds(operations: n) {
            var x = Bench.opaque(g)
            for _ in 0..<n { x = x + hj }
            Bench.consume(x)
        }, "G1 add (Jacobian)")
        report.add("g1_mixed_add_ns", Bench.nanoseconds(operations: n) {
            var x = Bench.opaque(g)
            for _ in 0..<n { x = x.adding(h) }
            Bench.consume(x)
        }, "G1 mixed add")
        report.add("g1_double_ns", Bench.nanoseconds(operations: n) {
            var x = Bench.opaque(g)
            for _ in 0..<n { x = x.doubled() }
            Bench.consume(x)
        }, "G1 double")
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func nextWord() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed
        }
        let scalars: [Fr] = (0..<64).map { _ in Fr(BigInteger(limbs: [nextWord(), nextWord(), nextWord(), nextWord()])) }
        let count = max(8, 64 / scale)
        report.add("g1_scalar_mul_ns", Bench.nanoseconds(operations: count) {
            var acc = G1Projective.infinity
            for i in 0..<count { acc = acc + g * scalars[i] }
            Bench.consume(acc)
        }, "G1 scalar mul (254-bit)")
        let g2 = G2Projective.generator * Fr(5)
        report.add("g2_scalar_mul_ns", Bench.nanoseconds(operations: count / 2) {
            var acc = G2Projective.infinity
            for i in 0..<(count / 2) { acc = acc + g2 * scalars[i] }
            Bench.consume(acc)
        }, "G2 scalar mul (254-bit)")
        let p = G1Affine.generator, q = G2Affine.generator
        let pairings = max(4, 32 / scale)
        report.add("pairing_ns", Bench.nanoseconds(operations: pairings) {
            for _ in 0..<pairings { Bench.consume(Pairing.pairing(p, q)) }
        }, "pairing")
        let pa = (G1Projective.generator * Fr(3)).toAffine()
        let q3 = (G2Projective.generator * Fr(3)).toAffine()
        report.add("pairing_check_2_ns", Bench.nanoseconds(operations: pairings) {
            for _ in 0..<pairings { Bench.consume(Pairing.productIsOne([(pa, q), (p.negated(), q3)])) }
        }, "2-pairing product check")
        report.add("miller_loop_ns", Bench.nanoseconds(operations: pairings) {
            for _ in 0..<pairings { Bench.consume(Pairing.millerLoop([(p, q)])) }
        }, "Miller loop")
    }
}
