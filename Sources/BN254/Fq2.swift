import FieldArithmetic

/// Fq2 = Fq[u]/(u² + 1): the coordinate field of G2.
@frozen
public struct Fq2: Sendable, Hashable {
    public var c0: Fq
    public var c1: Fq

    @inlinable @inline(__always)
    public init(_ c0: Fq, _ c1: Fq) {
        self.c0 = c0
        self.c1 = c1
    }

    public static var zero: Fq2 { Fq2(.zero, .zero) }
    public static var one: Fq2 { Fq2(.one, .zero) }

    @inlinable public var isZero: Bool { c0.isZero && c1.isZero }

    @inlinable @inline(__always)
    public static func + (a: Fq2, b: Fq2) -> Fq2 { Fq2(a.c0 + b.c0, a.c1 + b.c1) }

    @inlinable @inline(__always)
    public static func - (a: Fq2, b: Fq2) -> Fq2 { Fq2(a.c0 - b.c0, a.c1 - b.c1) }

    @inlinable @inline(__always)
    public static prefix func - (a: Fq2) -> Fq2 { Fq2(-a.c0, -a.c1) }

    /// Karatsuba: three base-field multiplications.
    @inlinable @inline(__always)
    public static func * (a: Fq2, b: Fq2) -> Fq2 {
        let v0 = a.c0 * b.c0
        let v1 = a.c1 * b.c1
        return Fq2(v0 - v1, (a.c0 + a.c1) * (b.c0 + b.c1) - v0 - v1)
    }

    /// Multiplication by a base-field element.
    @inlinable @inline(__always)
    public func scaled(by k: Fq) -> Fq2 { Fq2(c0 * k, c1 * k) }

    /// (a + bu)² = (a + b)(a − b) + 2ab·u.
    @inlinable @inline(__always)
    public func squared() -> Fq2 {
        let ab = c0 * c1
        return Fq2((c0 + c1) * (c0 - c1), ab + ab)
    }

    @inlinable @inline(__always)
    public func doubled() -> Fq2 { Fq2(c0.doubled(), c1.doubled()) }

    /// The conjugate a − bu, which is also the p-power Frobenius.
    @inlinable @inline(__always)
    public func conjugated() -> Fq2 { Fq2(c0, -c1) }

    /// Multiplication by ξ = 9 + u, the non-residue defining Fq6 and the twist.
    @inlinable @inline(__always)
    public func timesNonResidue() -> Fq2 {
        let eight0 = c0.doubled().doubled().doubled()
        let eight1 = c1.doubled().doubled().doubled()
        return Fq2(eight0 + c0 - c1, eight1 + c1 + c0)
    }

    /// 1/(a + bu) = (a − bu)/(a² + b²); zero maps to zero.
    public func inverse() -> Fq2 {
        let norm = c0.squared() + c1.squared()
        let inv = norm.inverse()
        return Fq2(c0 * inv, -(c1 * inv))
    }

    public static func batchInvert(_ values: UnsafeMutableBufferPointer<Fq2>) {
        let n = values.count
        if n == 0 { return }
        var prefix = [Fq2](repeating: .one, count: n)
        var running = Fq2.one
        for i in 0..<n {
            prefix[i] = running
            if !values[i].isZero { running = running * values[i] }
        }
        var inverse = running.inverse()
        for i in stride(from: n - 1, through: 0, by: -1) where !values[i].isZero {
            let original = values[i]
            values[i] = inverse * prefix[i]
            inverse = inverse * original
        }
    }

    /// A square root, or nil. Uses the norm: for x = a + bu with b ≠ 0, a root is (x0, b/(2·x0)) where
    /// x0² = (a ± sqrt(a² + b²))/2 for whichever sign gives a square in Fq.
    public func squareRoot() -> Fq2? {
        if c1.isZero {
            if let root = c0.squareRoot() { return Fq2(root, .zero) }
            // a is a non-square in Fq; since −1 is a non-square too, −a is a square: sqrt(a) = sqrt(−a)·u.
            guard let root = (-c0).squareRoot() else { return nil }
            return Fq2(.zero, root)
        }
        guard let normRoot = (c0.squared() + c1.squared()).squareRoot() else { return nil }
        let half = Fq(2).inverse()
        var candidate = (c0 + normRoot) * half
        if candidate.legendre() != 1 { candidate = (c0 - normRoot) * half }
        guard let x0 = candidate.squareRoot(), !x0.isZero else { return nil }
        let x1 = c1 * x0.doubled().inverse()
        let root = Fq2(x0, x1)
        return root.squared() == self ? root : nil
    }

    /// x^e for an exponent given as little-endian limbs.
    public func power(limbs exponent: [UInt64]) -> Fq2 {
        var result = Fq2.one
        for limb in exponent.reversed() {
            for bit in stride(from: 63, through: 0, by: -1) {
                result = result.squared()
                if (limb >> UInt64(bit)) & 1 == 1 { result = result * self }
            }
        }
        return result
    }

    /// RFC 9380 sgn0: parity of c0, or of c1 when c0 = 0. Used as the compressed-point sign.
    public var sign: Bool {
        let low0 = c0.canonicalLimbs.0 & 1 == 1
        let low1 = c1.canonicalLimbs.0 & 1 == 1
        return low0 || (c0.isZero && low1)
    }
}

extension Fq2: CurveBaseField {}

extension Fq2: CustomStringConvertible {
    public var description: String { "(\(c0) + \(c1)·u)" }
}
