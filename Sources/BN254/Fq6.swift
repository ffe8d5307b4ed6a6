import FieldArithmetic

/// Fq6 = Fq2[v]/(v³ − ξ), ξ = 9 + u.
@frozen
public struct Fq6: Sendable, Hashable {
    public var c0: Fq2
    public var c1: Fq2
    public var c2: Fq2

    @inlinable @inline(__always)
    public init(_ c0: Fq2, _ c1: Fq2, _ c2: Fq2) {
        self.c0 = c0
        self.c1 = c1
        self.c2 = c2
    }

    public static var zero: Fq6 { Fq6(.zero, .zero, .zero) }
    public static var one: Fq6 { Fq6(.one, .zero, .zero) }

    @inlinable public var isZero: Bool { c0.isZero && c1.isZero && c2.isZero }

    @inlinable @inline(__always)
    public static func + (a: Fq6, b: Fq6) -> Fq6 { Fq6(a.c0 + b.c0, a.c1 + b.c1, a.c2 + b.c2) }

    @inlinable @inline(__always)
    public static func - (a: Fq6, b: Fq6) -> Fq6 { Fq6(a.c0 - b.c0, a.c1 - b.c1, a.c2 - b.c2) }

    @inlinable @inline(__always)
    public static prefix func - (a: Fq6) -> Fq6 { Fq6(-a.c0, -a.c1, -a.c2) }

    @inlinable @inline(__always)
    public func doubled() -> Fq6 { Fq6(c0.doubled(), c1.doubled(), c2.doubled()) }

    /// Karatsuba over three coefficients: six Fq2 multiplications.
    @inlinable
    public static func * (a: Fq6, b: Fq6) -> Fq6 {
        let v0 = a.c0 * b.c0
        let v1 = a.c1 * b.c1
        let v2 = a.c2 * b.c2
        let r0 = v0 + ((a.c1 + a.c2) * (b.c1 + b.c2) - v1 - v2).timesNonResidue()
        let r1 = (a.c0 + a.c1) * (b.c0 + b.c1) - v0 - v1 + v2.timesNonResidue()
        let r2 = (a.c0 + a.c2) * (b.c0 + b.c2) - v0 - v2 + v1
        return Fq6(r0, r1, r2)
    }

    /// Chung–Hasan SQR2.
    @inlinable
    public func squared() -> Fq6 {
        let s0 = c0.squared()
        let ab = c0 * c1
        let s1 = ab.doubled()
        let s2 = (c0 - c1 + c2).squared()
        let bc = c1 * c2
        let s3 = bc.doubled()
        let s4 = c2.squared()
        return Fq6(s0 + s3.timesNonResidue(), s1 + s4.timesNonResidue(), s1 + s2 + s3 - s0 - s4)
    }

    /// Multiplication by v: (c0, c1, c2) ↦ (ξ·c2, c0, c1).
    @inlinable @inline(__always)
    public func timesV() -> Fq6 { Fq6(c2.timesNonResidue(), c0, c1) }

    /// Multiplication by an Fq2 scalar.
    @inlinable @inline(__always)
    public func scaled(by k: Fq2) -> Fq6 { Fq6(c0 * k, c1 * k, c2 * k) }

    /// Multiplication by the sparse element b0 + b1·v (the shape of Miller-loop lines).
    @inlinable
    public func times(_ b0: Fq2, _ b1: Fq2) -> Fq6 {
        let v0 = c0 * b0
        let v1 = c1 * b1
        let r0 = v0 + (c2 * b1).timesNonResidue()
        let r1 = (c0 + c1) * (b0 + b1) - v0 - v1
        let r2 = v1 + c2 * b0
        return Fq6(r0, r1, r2)
    }

    public func inverse() -> Fq6 {
        let t0 = c0.squared() - (c1 * c2).timesNonResidue()
        let t1 = c2.squared().timesNonResidue() - c0 * c1
        let t2 = c1.squared() - c0 * c2
        let denominator = c0 * t0 + (c2 * t1 + c1 * t2).timesNonResidue()
        let inv = denominator.inverse()
        return Fq6(t0 * inv, t1 * inv, t2 * inv)
    }

    /// x^(p^k) for k = 1, 2, 3: conjugate coefficients k times and multiply by ξ^((p^k−1)/3) powers.
    public func frobenius(_ k: Int) -> Fq6 {
        let odd = k % 2 == 1
        let a0 = odd ? c0.conjugated() : c0
        let a1 = odd ? c1.conjugated() : c1
        let a2 = odd ? c2.conjugated() : c2
        let constants = FrobeniusConstants.shared
        return Fq6(a0, a1 * constants.v[k], a2 * constants.v2[k])
    }
}

extension Fq6: CustomStringConvertible {
    public var description: String { "[\(c0), \(c1), \(c2)]" }
}
