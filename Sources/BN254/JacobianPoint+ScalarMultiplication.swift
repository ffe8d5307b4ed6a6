import FieldArithmetic

extension JacobianPoint {
    /// Scalar multiplication by a field element (its canonical value); G1 uses the GLV endomorphism.
    public static func * (point: Self, scalar: Fr) -> Self {
        if let g1 = point as? JacobianPoint<G1Curve> {
            return g1.multipliedGLV(scalar) as! Self
        }
        let c = scalar.canonicalLimbs
        return point.multiplied(byLimbs: [c.0, c.1, c.2, c.3])
    }

    /// [k]P for a non-negative integer k given as little-endian limbs, by width-5 wNAF: 8 precomputed odd
    /// multiples, one addition per ~6 bits on average.
    public func multiplied(byLimbs k: [UInt64]) -> Self {
        let digits = wNAF(k, width: 5)
        if digits.isEmpty || isInfinity { return .infinity }
        // Odd multiples P, 3P, …, 15P, in affine form so the main loop uses mixed additions.
        var odd = [self]
        let twice = doubled()
        for _ in 1..<8 { odd.append(odd[odd.count - 1] + twice) }
        let table = Self.batchToAffine(odd)
        var result = Self.infinity
        for digit in digits.reversed() {
            result = result.doubled().addingDigit(digit, table)
        }
        return result
    }
}

/// Width-w non-adjacent form of a little-endian limb integer: digits in (−2^(w−1), 2^(w−1)), odd or zero,
/// least significant first.
func wNAF(_ limbs: [UInt64], width: Int) -> [Int8] {
    var value = limbs + [0]
    var digits: [Int8] = []
    let window = UInt64(1) << UInt64(width)
    func isZero() -> Bool { value.allSatisfy { $0 == 0 } }
    func shiftRight() {
        for i in 0..<value.count {
            value[i] = (value[i] >> 1) | (i + 1 < value.count ? value[i + 1] << 63 : 0)
        }
    }
    func add(_ amount: UInt64, negative: Bool) {
        var carry = amount
        for i in 0..<value.count where carry != 0 {
            if negative {
                let (d, borrow) = value[i].subtractingReportingOverflow(carry)
                value[i] = d
                carry = borrow ? 1 : 0
            } else {
                let (s, overflow) = value[i].addingReportingOverflow(carry)
                value[i] = s
                carry = overflow ? 1 : 0
            }
        }
    }
    while !isZero() {
        if value[0] & 1 == 1 {
            var digit = Int64(value[0] & (window - 1))
            if digit >= Int64(window / 2) { digit -= Int64(window) }
            digits.append(Int8(digit))
            if digit > 0 { add(UInt64(digit), negative: true) } else { add(UInt64(-digit), negative: false) }
        } else {
            digits.append(0)
        }
        shiftRight()
    }
    return digits
}
