import FieldArithmetic

/// A point in Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the point at infinity.
/// Formulas for a = 0 from the Explicit-Formulas Database (dbl-2009-l, add-2007-bl, madd-2007-bl).
@frozen
public struct JacobianPoint<Curve: CurveParameters>: Sendable {
    public var x: Curve.Field
    public var y: Curve.Field
    public var z: Curve.Field

    @inlinable @inline(__always)
    public init(x: Curve.Field, y: Curve.Field, z: Curve.Field) {
        self.x = x
        self.y = y
        self.z = z
    }

    @inlinable
    public init(_ affine: AffinePoint<Curve>) {
        if affine.isInfinity {
            self = .infinity
        } else {
            self.init(x: affine.x, y: affine.y, z: .one)
        }
    }

    public static var infinity: Self { Self(x: .one, y: .one, z: .zero) }
    public static var generator: Self { Self(AffinePoint<Curve>.generator) }

    @inlinable public var isInfinity: Bool { z.isZero }

    @inlinable
    public func negated() -> Self { Self(x: x, y: -y, z: z) }

    @inlinable
    public static prefix func - (point: Self) -> Self { point.negated() }

    @inlinable
    public func doubled() -> Self {
        if isInfinity { return self }
        let a = x.squared()
        let b = y.squared()
        let c = b.squared()
        let d = ((x + b).squared() - a - c).doubled()
        let e = a.doubled() + a
        let f = e.squared()
        let x3 = f - d.doubled()
        let eightC = c.doubled().doubled().doubled()
        let y3 = e * (d - x3) - eightC
        let z3 = (y * z).doubled()
        return Self(x: x3, y: y3, z: z3)
    }

    @inlinable
    public static func + (p: Self, q: Self) -> Self {
        if p.isInfinity { return q }
        if q.isInfinity { return p }
        let z1z1 = p.z.squared()
        let z2z2 = q.z.squared()
        let u1 = p.x * z2z2
        let u2 = q.x * z1z1
        let s1 = p.y * q.z * z2z2
        let s2 = q.y * p.z * z1z1
        let h = u2 - u1
        let rr = (s2 - s1).doubled()
        if h.isZero {
            return rr.isZero ? p.doubled() : .infinity
        }
        let i = h.doubled().squared()
        let j = h * i
        let v = u1 * i
        let x3 = rr.squared() - j - v.doubled()
        let y3 = rr * (v - x3) - (s1 * j).doubled()
        let z3 = ((p.z + q.z).squared() - z1z1 - z2z2) * h
        return Self(x: x3, y: y3, z: z3)
    }

    /// Mixed addition with an affine point (Z2 = 1).
    @inlinable
    public func adding(_ q: AffinePoint<Curve>) -> Self {
        if q.isInfinity { return self }
        if isInfinity { return Self(q) }
        let z1z1 = z.squared()
        let u2 = q.x * z1z1
        let s2 = q.y * z * z1z1
        let h = u2 - x
        let rr = (s2 - y).doubled()
        if h.isZero {
            return rr.isZero ? doubled() : .infinity
        }
        let hh = h.squared()
        let i = hh.doubled().doubled()
        let j = h * i
        let v = x * i
        let x3 = rr.squared() - j - v.doubled()
        let y3 = rr * (v - x3) - (y * j).doubled()
        let z3 = (z + h).squared() - z1z1 - hh
        return Self(x: x3, y: y3, z: z3)
    }

    @inlinable
    public static func - (p: Self, q: Self) -> Self { p + q.negated() }

    @inlinable
    public static func += (p: inout Self, q: Self) { p = p + q }

    public func toAffine() -> AffinePoint<Curve> {
        if isInfinity { return .infinity }
        let zInv = z.inverse()
        let zInv2 = zInv.squared()
        return AffinePoint(uncheckedX: x * zInv2, y: y * zInv2 * zInv)
    }

    /// Converts many points with one field inversion.
    public static func batchToAffine(_ points: [Self]) -> [AffinePoint<Curve>] {
        var zs = points.map { $0.z }
        zs.withUnsafeMutableBufferPointer { Curve.Field.batchInvert($0) }
        return zip(points, zs).map { point, zInv in
            if point.isInfinity { return .infinity }
            let zInv2 = zInv.squared()
            return AffinePoint(uncheckedX: point.x * zInv2, y: point.y * zInv2 * zInv)
        }
    }
}

extension JacobianPoint: Equatable {
    /// Projective equality: X1·Z2² = X2·Z1² and Y1·Z2³ = Y2·Z1³.
    public static func == (p: Self, q: Self) -> Bool {
        if p.isInfinity || q.isInfinity { return p.isInfinity == q.isInfinity }
        let z1z1 = p.z.squared()
        let z2z2 = q.z.squared()
        return p.x * z2z2 == q.x * z1z1 && p.y * z2z2 * q.z == q.y * z1z1 * p.z
    }
}
