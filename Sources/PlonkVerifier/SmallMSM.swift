import BN254
import FieldArithmetic

/// Σ sᵢ·Pᵢ for the few dozen terms of one proof's check (Straus's method): one shared chain of doublings,
/// each scalar in width-5 NAF (on average one non-zero digit per 6 bits), each point with a table of its
/// odd multiples P, 3P, …, 31P made affine together with one inversion. For ~30 full-size scalars this
/// takes about half the time of the bucket method, whose set-up only pays for hundreds of terms.
enum SmallMSM {
    static let window = 5
    /// Above this many terms the bucket method (`MSM.msm`) is faster.
    static let maximumTerms = 96

    static func msm(points: [G1Affine], scalars: [Fr]) -> G1Projective {
        precondition(points.count == scalars.count, "one scalar per point")
        var digits: [[Int8]] = []
        var bases: [G1Affine] = []
        for (p, s) in zip(points, scalars) where !p.isInfinity && !s.isZero {
            digits.append(nonAdjacentForm(s))
            bases.append(p)
        }
        if bases.isEmpty { return .infinity }
        let half = 1 << (window - 1)  // odd multiples 1, 3, …, 2^w − 1
        var tables: [G1Projective] = []
        tables.reserveCapacity(bases.count * half)
        for p in bases {
            let twice = G1Projective(p).doubled()
            var multiple = G1Projective(p)
            for _ in 0..<half {
                tables.append(multiple)
                multiple = multiple + twice
            }
        }
        let affine = G1Projective.batchToAffine(tables)
        let length = digits.map(\.count).max() ?? 0
        var acc = G1Projective.infinity
        for position in stride(from: length - 1, through: 0, by: -1) {
            acc = acc.doubled()
            for (t, d) in digits.enumerated() where position < d.count && d[position] != 0 {
                let digit = Int(d[position])
                let point = affine[t * half + (abs(digit) - 1) / 2]
                acc = acc.adding(digit > 0 ? point : point.negated())
            }
        }
        return acc
    }

    /// Width-w NAF digits, least significant first: every non-zero digit is odd, |d| < 2^(w−1)·2, and at
    /// least w − 1 zeros follow each one.
    static func nonAdjacentForm(_ s: Fr) -> [Int8] {
        let c = s.canonicalLimbs
        var k: [UInt64] = [c.0, c.1, c.2, c.3, 0]
        var out: [Int8] = []
        out.reserveCapacity(258)
        let modulus = UInt64(1) << UInt64(window + 1)
        let halfModulus = Int64(1) << Int64(window)
        func isZero() -> Bool { k.allSatisfy { $0 == 0 } }
        while !isZero() {
            var d: Int64 = 0
            if k[0] & 1 == 1 {
                d = Int64(k[0] & (modulus - 1))
                if d >= halfModulus { d -= Int64(modulus) }
                if d > 0 {
                    subtract(&k, UInt64(d))
                } else {
                    add(&k, UInt64(-d))
                }
            }
            out.append(Int8(d))
            // k >>= 1
            for i in 0..<4 { k[i] = (k[i] >> 1) | (k[i + 1] << 63) }
            k[4] >>= 1
        }
        return out
    }

    private static func subtract(_ k: inout [UInt64], _ v: UInt64) {
        var borrow = v
        for i in 0..<5 where borrow != 0 {
            let (r, o) = k[i].subtractingReportingOverflow(borrow)
            k[i] = r
            borrow = o ? 1 : 0
        }
    }

    private static func add(_ k: inout [UInt64], _ v: UInt64) {
        var carry = v
        for i in 0..<5 where carry != 0 {
            let (r, o) = k[i].addingReportingOverflow(carry)
            k[i] = r
            carry = o ? 1 : 0
        }
    }
}
