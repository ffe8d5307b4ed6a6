import CFieldKernels

/// An element of a prime field below 2^254, held as four 64-bit limbs in Montgomery form (a·R mod p).
/// A plain value type: no heap storage, no arrays, so arrays of elements are contiguous 32-byte records.
@frozen
public struct MontgomeryField<Parameters: MontgomeryParameters>: Sendable {
    public var l0: UInt64
    public var l1: UInt64
    public var l2: UInt64
    public var l3: UInt64

    /// Raw limbs, already in Montgomery form. Callers outside the kernels use `init(_:)` or the decoders.
    @inlinable @inline(__always)
    public init(montgomeryLimbs l0: UInt64, _ l1: UInt64, _ l2: UInt64, _ l3: UInt64) {
        self.l0 = l0
        self.l1 = l1
        self.l2 = l2
        self.l3 = l3
    }

    @inlinable @inline(__always)
    init(_ t: (UInt64, UInt64, UInt64, UInt64)) {
        self.init(montgomeryLimbs: t.0, t.1, t.2, t.3)
    }

    public static var zero: Self { Self(montgomeryLimbs: 0, 0, 0, 0) }
    public static var one: Self { Self(Parameters.one) }

    @inlinable
    public var isZero: Bool { (l0 | l1 | l2 | l3) == 0 }

    /// The element with canonical value `value` (any UInt64 is below p).
    @inlinable
    public init(_ value: UInt64) {
        self = Self(montgomeryLimbs: value, 0, 0, 0) * Self(Parameters.rSquared)
    }

    /// A signed small integer; negative values map to p − |value|.
    @inlinable
    public init(signed value: Int64) {
        let magnitude = Self(value.magnitude)
        self = value < 0 ? -magnitude : magnitude
    }

    /// The element whose canonical value is the 256-bit `limbs` reduced mod p (any input is accepted).
    @inlinable
    public init(reducing t: (UInt64, UInt64, UInt64, UInt64)) {
        var (a0, a1, a2, a3) = t
        // p > 2^253, so at most 7 subtractions bring any 256-bit value below p.
        while !Self.isBelowModulus(a0, a1, a2, a3) {
            (a0, a1, a2, a3, _) = Self.subtractModulus(a0, a1, a2, a3)
        }
        self = Self(montgomeryLimbs: a0, a1, a2, a3) * Self(Parameters.rSquared)
    }

    /// The canonical value as little-endian limbs (out of Montgomery form).
    @inlinable
    public var canonicalLimbs: (UInt64, UInt64, UInt64, UInt64) {
        let r = self * Self(montgomeryLimbs: 1, 0, 0, 0)
        return (r.l0, r.l1, r.l2, r.l3)
    }

    @inlinable @inline(__always)
    static func isBelowModulus(_ a0: UInt64, _ a1: UInt64, _ a2: UInt64, _ a3: UInt64) -> Bool {
        let (_, _, _, _, borrow) = subtractModulus(a0, a1, a2, a3)
        return borrow
    }

    /// (a − p, borrow).
    @inlinable @inline(__always)
    static func subtractModulus(_ a0: UInt64, _ a1: UInt64, _ a2: UInt64, _ a3: UInt64)
        -> (UInt64, UInt64, UInt64, UInt64, Bool)
    {
        var borrow: UInt64 = 0
        let d0 = subtractWithBorrow(a0, Parameters.p0, &borrow)
        let d1 = subtractWithBorrow(a1, Parameters.p1, &borrow)
        let d2 = subtractWithBorrow(a2, Parameters.p2, &borrow)
        let d3 = subtractWithBorrow(a3, Parameters.p3, &borrow)
        return (d0, d1, d2, d3, borrow != 0)
    }

    /// a if a < p, else a − p; branch-free selection.
    @inlinable @inline(__always)
    static func reduceOnce(_ a0: UInt64, _ a1: UInt64, _ a2: UInt64, _ a3: UInt64) -> Self {
        let (d0, d1, d2, d3, borrow) = subtractModulus(a0, a1, a2, a3)
        let keep = 0 &- UInt64(borrow ? 1 : 0)  // all ones when a < p
        return Self(
            montgomeryLimbs: (a0 & keep) | (d0 & ~keep), (a1 & keep) | (d1 & ~keep),
            (a2 & keep) | (d2 & ~keep), (a3 & keep) | (d3 & ~keep))
    }
}

// MARK: - Arithmetic

/// a + b + carry with the carry (0 or 1) updated. Written on 128-bit integers, which LLVM lowers to
/// adc chains; Bool-based carry logic compiled to data-dependent branches here.
@inlinable @inline(__always)
func addWithCarry(_ a: UInt64, _ b: UInt64, _ carry: inout UInt64) -> UInt64 {
    let sum = UInt128(a) &+ UInt128(b) &+ UInt128(carry)
    carry = UInt64(truncatingIfNeeded: sum >> 64)
    return UInt64(truncatingIfNeeded: sum)
}

/// a − b − borrow with the borrow (0 or 1) updated.
@inlinable @inline(__always)
func subtractWithBorrow(_ a: UInt64, _ b: UInt64, _ borrow: inout UInt64) -> UInt64 {
    let difference = UInt128(a) &- UInt128(b) &- UInt128(borrow)
    borrow = UInt64(truncatingIfNeeded: difference >> 127)
    return UInt64(truncatingIfNeeded: difference)
}

/// One multiply-accumulate step: returns the low word of a·b + c + carry and leaves the high word in carry.
/// The sum is at most 2^128 − 1, so it never overflows.
@inlinable @inline(__always)
func multiplyAccumulate(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ carry: inout UInt64) -> UInt64 {
    let t = UInt128(a) &* UInt128(b) &+ UInt128(c) &+ UInt128(carry)
    carry = UInt64(truncatingIfNeeded: t >> 64)
    return UInt64(truncatingIfNeeded: t)
}

extension MontgomeryField {
    @inlinable @inline(__always)
    public static func + (a: Self, b: Self) -> Self {
        // p < 2^254, so a + b < 2^255 never carries out of four limbs.
        var carry: UInt64 = 0
        let s0 = addWithCarry(a.l0, b.l0, &carry)
        let s1 = addWithCarry(a.l1, b.l1, &carry)
        let s2 = addWithCarry(a.l2, b.l2, &carry)
        let s3 = a.l3 &+ b.l3 &+ carry
        return reduceOnce(s0, s1, s2, s3)
    }

    @inlinable @inline(__always)
    public static func - (a: Self, b: Self) -> Self {
        var borrow: UInt64 = 0
        let d0 = subtractWithBorrow(a.l0, b.l0, &borrow)
        let d1 = subtractWithBorrow(a.l1, b.l1, &borrow)
        let d2 = subtractWithBorrow(a.l2, b.l2, &borrow)
        let d3 = subtractWithBorrow(a.l3, b.l3, &borrow)
        // On borrow add p back, selected by mask (no branch on data).
        let mask = 0 &- borrow
        var carry: UInt64 = 0
        let r0 = addWithCarry(d0, Parameters.p0 & mask, &carry)
        let r1 = addWithCarry(d1, Parameters.p1 & mask, &carry)
        let r2 = addWithCarry(d2, Parameters.p2 & mask, &carry)
        let r3 = d3 &+ (Parameters.p3 & mask) &+ carry
        return Self(montgomeryLimbs: r0, r1, r2, r3)
    }

    @inlinable @inline(__always)
    public static prefix func - (a: Self) -> Self {
        Self.zero - a
    }

    @inlinable @inline(__always)
    public func doubled() -> Self { self + self }

    /// Montgomery multiplication a·b·R^{-1} mod p: on x86-64 the assembly kernel of the field (CFieldKernels:
    /// the same algorithm with two carry chains, ~1.5× faster), else `portableProduct`.
    @inlinable @inline(__always)
    public static func * (a: Self, b: Self) -> Self {
        #if arch(x86_64)
        switch Parameters.kernel {
        case .fr: return Self(zk_fr_multiply(a.kernelLimbs, b.kernelLimbs).limb)
        case .fq: return Self(zk_fq_multiply(a.kernelLimbs, b.kernelLimbs).limb)
        case .portable: break
        }
        #endif
        return portableProduct(a, b)
    }

    @inlinable @inline(__always)
    var kernelLimbs: zk_limbs { zk_limbs(limb: (l0, l1, l2, l3)) }

    /// Montgomery multiplication in Swift: CIOS, fully unrolled, using the spare top bits of p so the running
    /// value stays in four words. The tests hold the kernels to it and to GMP.
    @inlinable @inline(__always)
    public static func portableProduct(_ a: Self, _ b: Self) -> Self {
        var t0: UInt64 = 0, t1: UInt64 = 0, t2: UInt64 = 0, t3: UInt64 = 0
        @inline(__always) func round(_ bi: UInt64) {
            var carry: UInt64 = 0
            t0 = multiplyAccumulate(a.l0, bi, t0, &carry)
            t1 = multiplyAccumulate(a.l1, bi, t1, &carry)
            t2 = multiplyAccumulate(a.l2, bi, t2, &carry)
            t3 = multiplyAccumulate(a.l3, bi, t3, &carry)
            let high = carry
            let m = t0 &* Parameters.negInverse
            carry = 0
            _ = multiplyAccumulate(m, Parameters.p0, t0, &carry)
            t0 = multiplyAccumulate(m, Parameters.p1, t1, &carry)
            t1 = multiplyAccumulate(m, Parameters.p2, t2, &carry)
            t2 = multiplyAccumulate(m, Parameters.p3, t3, &carry)
            t3 = carry &+ high
        }
        round(b.l0)
        round(b.l1)
        round(b.l2)
        round(b.l3)
        return reduceOnce(t0, t1, t2, t3)
    }

    @inlinable @inline(__always)
    public func squared() -> Self { self * self }

    @inlinable @inline(__always)
    public static func += (a: inout Self, b: Self) { a = a + b }
    @inlinable @inline(__always)
    public static func -= (a: inout Self, b: Self) { a = a - b }
    @inlinable @inline(__always)
    public static func *= (a: inout Self, b: Self) { a = a * b }

    /// self^exponent for an exponent given as little-endian limbs: fixed 4-bit windows, left to right
    /// (one multiplication per 4 bits instead of one per set bit). Square roots and Legendre symbols — hence
    /// point decompression — are dominated by this.
    @inlinable
    public func power(limbs exponent: [UInt64]) -> Self {
        var table = [Self](repeating: .one, count: 16)
        for i in 1..<16 { table[i] = table[i - 1] * self }
        var result = Self.one
        var started = false
        for limb in exponent.reversed() {
            for shift in stride(from: 60, through: 0, by: -4) {
                if started {
                    result = result.squared().squared().squared().squared()
                }
                let window = Int((limb >> UInt64(shift)) & 15)
                if window != 0 {
                    result = started ? result * table[window] : table[window]
                    started = true
                }
            }
        }
        return result
    }

    @inlinable
    public func power(_ exponent: UInt64) -> Self { power(limbs: [exponent]) }
}

extension MontgomeryField: Equatable, Hashable {
    @inlinable
    public static func == (a: Self, b: Self) -> Bool {
        ((a.l0 ^ b.l0) | (a.l1 ^ b.l1) | (a.l2 ^ b.l2) | (a.l3 ^ b.l3)) == 0
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(l0)
        hasher.combine(l1)
        hasher.combine(l2)
        hasher.combine(l3)
    }
}
