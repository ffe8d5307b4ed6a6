import FieldArithmetic

/// A scalar as the MSM sees it: a magnitude below 2^254 and a sign. A scalar s close to r (a negative
/// integer −k stored as r − k) is recoded as −k, so that its cost follows the bit length of k.
@usableFromInline
struct RecodedScalar {
    @usableFromInline var limbs: (UInt64, UInt64, UInt64, UInt64)
    @usableFromInline var negative: Bool
    @usableFromInline var bits: Int

    @inlinable
    init(_ scalar: Fr) {
        let s = scalar.canonicalLimbs
        let sBits = Self.bitLength(s)
        let negated = Self.modulusMinus(s)
        let nBits = Self.bitLength(negated)
        if s.0 | s.1 | s.2 | s.3 != 0 && nBits < sBits {
            limbs = negated
            negative = true
            bits = nBits
        } else {
            limbs = s
            negative = false
            bits = sBits
        }
    }

    @inlinable
    static func bitLength(_ a: (UInt64, UInt64, UInt64, UInt64)) -> Int {
        if a.3 != 0 { return 256 - a.3.leadingZeroBitCount }
        if a.2 != 0 { return 192 - a.2.leadingZeroBitCount }
        if a.1 != 0 { return 128 - a.1.leadingZeroBitCount }
        return 64 - a.0.leadingZeroBitCount
    }

    /// r − a for 0 < a < r.
    @inlinable
    static func modulusMinus(_ a: (UInt64, UInt64, UInt64, UInt64)) -> (UInt64, UInt64, UInt64, UInt64) {
        let (d0, b0) = FrParameters.p0.subtractingReportingOverflow(a.0)
        let (d1a, b1a) = FrParameters.p1.subtractingReportingOverflow(a.1)
        let (d1, b1b) = d1a.subtractingReportingOverflow(b0 ? 1 : 0)
        let (d2a, b2a) = FrParameters.p2.subtractingReportingOverflow(a.2)
        let (d2, b2b) = d2a.subtractingReportingOverflow((b1a || b1b) ? 1 : 0)
        let d3 = FrParameters.p3 &- a.3 &- ((b2a || b2b) ? 1 : 0)
        return (d0, d1, d2, d3)
    }

    @inlinable
    func word(_ i: Int) -> UInt64 {
        switch i {
        case 0: return limbs.0
        case 1: return limbs.1
        case 2: return limbs.2
        case 3: return limbs.3
        default: return 0
        }
    }

    /// Bits [offset, offset + count) of the magnitude, count ≤ 32.
    @inlinable
    func bits(at offset: Int, count: Int) -> UInt64 {
        let limb = offset >> 6
        let shift = UInt64(offset & 63)
        var value = word(limb) >> shift
        if shift != 0 { value |= word(limb + 1) << (64 - shift) }
        return value & ((1 << UInt64(count)) - 1)
    }

    /// Signed base-2^c digits d_0 … d_(w−1) with |d_j| ≤ 2^(c−1) and magnitude = Σ d_j·2^(cj), written with
    /// the scalar's sign folded in to out[j·stride]. w = ⌈(bits+1)/c⌉ windows always suffice: the top window
    /// holds at most c−1 bits, so a carry into it cannot carry further.
    @inlinable
    func writeSignedDigits(window c: Int, windows: Int, to out: UnsafeMutablePointer<Int32>, stride: Int) {
        let half = Int64(1) << Int64(c - 1)
        let full = Int64(1) << Int64(c)
        var carry: Int64 = 0
        for j in 0..<windows {
            var digit = Int64(bits(at: j * c, count: c)) + carry
            if digit > half {
                digit -= full
                carry = 1
            } else {
                carry = 0
            }
            out[j * stride] = Int32(negative ? -digit : digit)
        }
    }
}
