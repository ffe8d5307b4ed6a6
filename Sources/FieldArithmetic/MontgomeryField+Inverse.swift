import CGMP

extension MontgomeryField {
    /// The multiplicative inverse (zero maps to zero). GMP's extended GCD on the Montgomery representative
    /// a·R gives (a·R)^{-1}; one Montgomery multiplication by R^3 turns that into a^{-1}·R. Measured faster
    /// than Fermat exponentiation here (see bench/README.md); `inverseByExponentiation` is kept as its
    /// differential-test twin.
    public func inverse() -> Self {
        if isZero { return .zero }
        var limbs: (UInt64, UInt64, UInt64, UInt64) = (l0, l1, l2, l3)
        var modulusLimbs: (UInt64, UInt64, UInt64, UInt64) = (Parameters.p0, Parameters.p1, Parameters.p2, Parameters.p3)
        var result: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &limbs) { valueRaw in
            withUnsafeMutableBytes(of: &modulusLimbs) { modulusRaw in
                withUnsafeMutableBytes(of: &result) { resultRaw in
                    var value = __mpz_struct()
                    var modulus = __mpz_struct()
                    let valueLimbs = valueRaw.baseAddress!.assumingMemoryBound(to: mp_limb_t.self)
                    let modulusPtr = modulusRaw.baseAddress!.assumingMemoryBound(to: mp_limb_t.self)
                    _ = __gmpz_roinit_n(&value, valueLimbs, 4)
                    _ = __gmpz_roinit_n(&modulus, modulusPtr, 4)
                    var inverse = __mpz_struct()
                    __gmpz_init2(&inverse, 256)
                    _ = __gmpz_invert(&inverse, &value, &modulus)
                    var written = 0
                    __gmpz_export(resultRaw.baseAddress, &written, -1, 8, 0, 0, &inverse)
                    __gmpz_clear(&inverse)
                }
            }
        }
        return Self(result) * Self(Parameters.rCubed)
    }

    /// a^{p−2}: the Fermat inverse, a reference for `inverse()`.
    public func inverseByExponentiation() -> Self {
        power(limbs: Self.modulusMinus(2))
    }

    /// Inverts every element in place with one field inversion (Montgomery's trick). Zeros stay zero.
    public static func batchInvert(_ values: inout [Self]) {
        values.withUnsafeMutableBufferPointer { batchInvert($0) }
    }

    /// Buffer form of `batchInvert`, for callers with their own storage.
    @inlinable
    public static func batchInvert(_ values: UnsafeMutableBufferPointer<Self>) {
        let n = values.count
        if n == 0 { return }
        let prefix = UnsafeMutableBufferPointer<Self>.allocate(capacity: n)
        defer { prefix.deallocate() }
        var running = Self.one
        for i in 0..<n {
            prefix[i] = running
            if !values[i].isZero { running *= values[i] }
        }
        var inverse = running.inverse()
        for i in stride(from: n - 1, through: 0, by: -1) where !values[i].isZero {
            let original = values[i]
            values[i] = inverse * prefix[i]
            inverse *= original
        }
    }

    /// p − k as limbs, for small k.
    static func modulusMinus(_ k: UInt64) -> [UInt64] {
        let (d0, b0) = Parameters.p0.subtractingReportingOverflow(k)
        let (d1, b1) = Parameters.p1.subtractingReportingOverflow(b0 ? 1 : 0)
        let (d2, b2) = Parameters.p2.subtractingReportingOverflow(b1 ? 1 : 0)
        let d3 = Parameters.p3 &- (b2 ? 1 : 0)
        return [d0, d1, d2, d3]
    }

    /// Little-endian limbs of p shifted right by `bits` (< 64).
    static func modulusShiftedRight(_ bits: Int, minus k: UInt64 = 0) -> [UInt64] {
        let limbs = modulusMinus(k)
        let s = UInt64(bits)
        if s == 0 { return limbs }
        return (0..<4).map { i in
            let high: UInt64 = i < 3 ? limbs[i + 1] << (64 - s) : 0
            return (limbs[i] >> s) | high
        }
    }

    /// Euler's criterion: 1 for a non-zero square, −1 for a non-square, 0 for zero.
    public func legendre() -> Int {
        if isZero { return 0 }
        let euler = power(limbs: Self.modulusShiftedRight(1))  // (p − 1)/2 since p is odd
        return euler == .one ? 1 : -1
    }

    /// A square root, or nil for a non-residue. Uses a^((p+1)/4) when p ≡ 3 mod 4, Tonelli–Shanks otherwise.
    public func squareRoot() -> Self? {
        if isZero { return .zero }
        if Parameters.p0 & 3 == 3 {
            // (p + 1)/4 = (p >> 2) + 1 for p ≡ 3 mod 4.
            var exponent = Self.modulusShiftedRight(2)
            exponent[0] += 1
            let root = power(limbs: exponent)
            return root.squared() == self ? root : nil
        }
        return tonelliShanks()
    }

    func tonelliShanks() -> Self? {
        guard legendre() == 1 else { return nil }
        // p − 1 = q·2^s, q odd.
        var q = Self.modulusMinus(1)
        var s = 0
        while q[0] & 1 == 0 {
            q = (0..<4).map { i in (q[i] >> 1) | (i < 3 ? q[i + 1] << 63 : 0) }
            s += 1
        }
        var nonResidue = Self(2)
        while nonResidue.legendre() != -1 { nonResidue += .one }
        var m = s
        var c = nonResidue.power(limbs: q)
        var t = power(limbs: q)
        var qPlusOneHalf = q
        qPlusOneHalf[0] += 1  // q is odd, so no carry
        qPlusOneHalf = (0..<4).map { i in (qPlusOneHalf[i] >> 1) | (i < 3 ? qPlusOneHalf[i + 1] << 63 : 0) }
        var r = power(limbs: qPlusOneHalf)
        while t != .one {
            var i = 0
            var probe = t
            while probe != .one {
                probe = probe.squared()
                i += 1
            }
            var b = c
            for _ in 0..<(m - i - 1) { b = b.squared() }
            m = i
            c = b.squared()
            t *= c
            r *= b
        }
        return r
    }
}
