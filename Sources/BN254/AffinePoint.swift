import FieldArithmetic

/// A point in affine coordinates; the point at infinity is flagged (its coordinates are zero).
@frozen
public struct AffinePoint<Curve: CurveParameters>: Sendable, Equatable {
    public var x: Curve.Field
    public var y: Curve.Field
    public var isInfinity: Bool

    /// No curve check: for kernels and decoders that have already validated the coordinates.
    @inlinable
    public init(uncheckedX x: Curve.Field, y: Curve.Field) {
        self.x = x
        self.y = y
        self.isInfinity = false
    }

    /// A point from coordinates, checked to be on the curve.
    public init(x: Curve.Field, y: Curve.Field) throws {
        self.init(uncheckedX: x, y: y)
        guard isOnCurve else { throw CurveError.notOnCurve(group: Curve.name) }
    }

    public static var infinity: Self {
        var point = Self(uncheckedX: .zero, y: .zero)
        point.isInfinity = true
        return point
    }

    public static var generator: Self { Self(uncheckedX: Curve.generatorX, y: Curve.generatorY) }

    /// y² = x³ + b, or the point at infinity.
    public var isOnCurve: Bool {
        isInfinity || y.squared() == x.squared() * x + Curve.b
    }

    @inlinable
    public func negated() -> Self {
        isInfinity ? self : Self(uncheckedX: x, y: -y)
    }

    @inlinable
    public static prefix func - (point: Self) -> Self { point.negated() }

    public static func == (a: Self, b: Self) -> Bool {
        if a.isInfinity || b.isInfinity { return a.isInfinity == b.isInfinity }
        return a.x == b.x && a.y == b.y
    }

    /// Scalar multiplication through Jacobian coordinates.
    public static func * (point: Self, scalar: Fr) -> JacobianPoint<Curve> {
        JacobianPoint(point) * scalar
    }
}
