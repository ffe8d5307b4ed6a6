import FieldArithmetic

/// Fq12 = Fq6[w]/(w² − v): the target group of the pairing lives here.
@frozen
public struct Fq12: Sendable, Hashable {
    public var c0: Fq6
    public var c1: Fq6

    @inlinable @inline(__always)
    public init(_ c0: Fq6, _ c1: Fq6) {
        self.c0 = c0
        self.c1 = c1
    }

    public static var one: Fq12 { Fq12(.one, .zero) }
    public static var zero: Fq12 { Fq12(.zero, .zero) }

    @inlinable public var isZero: Bool { c0.isZero && c1.isZero }

    @inlinable
    public static func + (a: Fq12, b: Fq12) -> Fq12 { Fq12(a.c0 + b.c0, a.c1 + b.c1) }

    @inlinable
    public static func - (a: Fq12, b: Fq12) -> Fq12 { Fq12(a.c0 - b.c0, a.c1 - b.c1) }

    @inlinable
    public static func * (a: Fq12, b: Fq12) -> Fq12 {
        let v0 = a.c0 * b.c0
        let v1 = a.c1 * b.c1
        return Fq12(v0 + v1.timesV(), (a.c0 + a.c1) * (b.c0 + b.c1) - v0 - v1)
    }

    /// Complex squaring: two Fq6 multiplications.
    @inlinable
    public func squared() -> Fq12 {
        let ab = c0 * c1
        let r0 = (c0 + c1) * (c0 + c1.timesV()) - ab - ab.timesV()
        return Fq12(r0, ab.doubled())
    }

    /// Multiplication by the sparse line value a + b·w + c·w³ (a, b, c ∈ Fq2), i.e. c0 = (a, 0, 0),
    /// c1 = (b, c, 0) in this tower.
    @inlinable
    public func timesLine(_ a: Fq2, _ b: Fq2, _ c: Fq2) -> Fq12 {
        let aa = c0.scaled(by: a)
        let bb = c1.times(b, c)
        let cross = (c0 + c1).times(a + b, c)
        return Fq12(aa + bb.timesV(), cross - aa - bb)
    }

    /// The conjugate c0 − c1·w, which is x^(p^6); on the cyclotomic subgroup it is the inverse.
    @inlinable
    public func conjugated() -> Fq12 { Fq12(c0, -c1) }

    public func inverse() -> Fq12 {
        let denominator = (c0.squared() - c1.squared().timesV()).inverse()
        return Fq12(c0 * denominator, -(c1 * denominator))
    }

    /// x^(p^k) for k = 1, 2, 3.
    public func frobenius(_ k: Int) -> Fq12 {
        Fq12(c0.frobenius(k), c1.frobenius(k).scaled(by: FrobeniusConstants.shared.w[k]))
    }

    /// x^e for an exponent given as little-endian limbs (plain square-and-multiply; tests and tools only).
    public func power(limbs exponent: [UInt64]) -> Fq12 {
        var result = Fq12.one
        for limb in exponent.reversed() {
            for bit in stride(from: 63, through: 0, by: -1) {
                result = result.squared()
                if (limb >> UInt64(bit)) & 1 == 1 { result = result * self }
            }
        }
        return result
    }

    /// The 12 coefficients in the flat basis 1, w, …, w^11 of Fq[w]/(w^12 − 18w^6 + 82) (where u = w^6 − 9),
    /// which is how independent implementations such as py_ecc print Fq12 values.
    public var flatCoefficients: [Fq] {
        var out = [Fq](repeating: .zero, count: 12)
        let parts = [[c0.c0, c0.c1, c0.c2], [c1.c0, c1.c1, c1.c2]]
        for i in 0..<2 {
            for j in 0..<3 {
                let e = 2 * j + i
                let x = parts[i][j]
                out[e] = x.c0 - Fq(9) * x.c1
                out[e + 6] = x.c1
            }
        }
        return out
    }

    /// Inverse of `flatCoefficients`.
    public init(flatCoefficients f: [Fq]) {
        precondition(f.count == 12)
        var parts = [[Fq2]](repeating: [Fq2](repeating: .zero, count: 3), count: 2)
        for i in 0..<2 {
            for j in 0..<3 {
                let e = 2 * j + i
                parts[i][j] = Fq2(f[e] + Fq(9) * f[e + 6], f[e + 6])
            }
        }
        self.init(Fq6(parts[0][0], parts[0][1], parts[0][2]), Fq6(parts[1][0], parts[1][1], parts[1][2]))
    }
}

extension Fq12: CustomStringConvertible {
    public var description: String { "{\(c0); \(c1)}" }
}
