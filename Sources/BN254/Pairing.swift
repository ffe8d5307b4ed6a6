import FieldArithmetic

/// The optimal ate pairing on BN254: e(P, Q) = f_{6x+2,Q}(P) · l_{T,π(Q)}(P) · l_{T',−π²(Q)}(P), raised to
/// (p^12 − 1)/r. The result equals the textbook definition exactly (not a fixed power of it), so values
/// agree with independent implementations.
public enum Pairing {
    /// The BN parameter x (the curve's seed); 6x + 2 drives the Miller loop.
    static let seed: UInt64 = 4_965_661_367_192_848_881

    /// 6x + 2 in non-adjacent form, most significant digit first.
    static let loopDigits: [Int8] = {
        let loopCount = BigInteger(seed) * BigInteger(6) + BigInteger(2)
        let digits = wNAF(loopCount.limbs(count: 2), width: 2)
        return digits.reversed()
    }()

    public static func pairing(_ p: G1Affine, _ q: G2Affine) -> Fq12 {
        finalExponentiation(millerLoop([(p, q)]))
    }

    /// ∏ e(P_i, Q_i) with shared squarings in the Miller loop and one final exponentiation.
    public static func multiPairing(_ pairs: [(G1Affine, G2Affine)]) -> Fq12 {
        finalExponentiation(millerLoop(pairs))
    }

    /// Whether ∏ e(P_i, Q_i) = 1: the form every KZG check takes.
    public static func productIsOne(_ pairs: [(G1Affine, G2Affine)]) -> Bool {
        multiPairing(pairs) == .one
    }

    // MARK: Miller loop

    /// A point of the twist in homogeneous projective coordinates (x = X/Z, y = Y/Z).
    struct TwistPoint {
        var x: Fq2
        var y: Fq2
        var z: Fq2
    }

    /// A line evaluated at P, as the sparse Fq12 element a + b·w + c·w³.
    struct Line {
        var a: Fq2
        var b: Fq2
        var c: Fq2
    }

    static let halfOfTwo: Fq = Fq(2).inverse()
    static let threeB: Fq2 = G2Curve.b.doubled() + G2Curve.b

    /// T ← 2T, returning the tangent line at T evaluated at P (Aranha–Karabina–Longa–Gebotys–López 2011,
    /// homogeneous coordinates, scaled by a factor in a proper subfield that the final exponentiation kills).
    @inline(__always)
    static func doublingStep(_ t: inout TwistPoint, _ px: Fq, _ py: Fq) -> Line {
        let a = (t.x * t.y).scaled(by: halfOfTwo)
        let b = t.y.squared()
        let c = t.z.squared()
        let e = threeB * c
        let f = e.doubled() + e
        let g = (b + f).scaled(by: halfOfTwo)
        let h = (t.y + t.z).squared() - (b + c)
        let i = e - b
        let j = t.x.squared()
        let eSquared = e.squared()
        t.x = a * (b - f)
        t.y = g.squared() - (eSquared.doubled() + eSquared)
        t.z = b * h
        return Line(a: -h.scaled(by: py), b: (j.doubled() + j).scaled(by: px), c: i)
    }

    /// T ← T + Q (Q affine), returning the line through T and Q evaluated at P.
    @inline(__always)
    static func additionStep(_ t: inout TwistPoint, _ qx: Fq2, _ qy: Fq2, _ px: Fq, _ py: Fq) -> Line {
        let theta = t.y - qy * t.z
        let lambda = t.x - qx * t.z
        let c = theta.squared()
        let d = lambda.squared()
        let e = lambda * d
        let f = t.z * c
        let g = t.x * d
        let h = e + f - g.doubled()
        t.x = lambda * h
        t.y = theta * (g - h) - e * t.y
        t.z = t.z * e
        return Line(a: lambda.scaled(by: py), b: -theta.scaled(by: px), c: theta * qx - lambda * qy)
    }

    public static func millerLoop(_ pairs: [(G1Affine, G2Affine)]) -> Fq12 {
        let active = pairs.filter { !$0.0.isInfinity && !$0.1.isInfinity }
        if active.isEmpty { return .one }
        var points = active.map { TwistPoint(x: $0.1.x, y: $0.1.y, z: .one) }
        var f = Fq12.one
        for digit in loopDigits.dropFirst() {
            f = f.squared()
            for k in 0..<active.count {
                let (p, q) = active[k]
                let line = doublingStep(&points[k], p.x, p.y)
                f = f.timesLine(line.a, line.b, line.c)
                if digit != 0 {
                    let qy = digit > 0 ? q.y : -q.y
                    let add = additionStep(&points[k], q.x, qy, p.x, p.y)
                    f = f.timesLine(add.a, add.b, add.c)
                }
            }
        }
        let constants = FrobeniusConstants.shared
        for k in 0..<active.count {
            let (p, q) = active[k]
            // π(Q) and −π²(Q) on the twist.
            let q1x = q.x.conjugated() * constants.v[1]
            let q1y = q.y.conjugated() * constants.twistY[1]
            let q2x = q.x * constants.v[2]
            let q2y = -(q.y * constants.twistY[2])
            let l1 = additionStep(&points[k], q1x, q1y, p.x, p.y)
            f = f.timesLine(l1.a, l1.b, l1.c)
            let l2 = additionStep(&points[k], q2x, q2y, p.x, p.y)
            f = f.timesLine(l2.a, l2.b, l2.c)
        }
        return f
    }

    // MARK: Final exponentiation

    /// f^((p^12 − 1)/r): the easy part (p^6 − 1)(p^2 + 1), then the hard part (p^4 − p^2 + 1)/r through
    /// three exponentiations by x, using the decomposition λ0 + λ1·p + λ2·p² + λ3·p³ of Scott et al.
    /// ("On the final exponentiation for calculating pairings on ordinary elliptic curves", 2009).
    public static func finalExponentiation(_ f: Fq12) -> Fq12 {
        var m = f.conjugated() * f.inverse()
        m = m.frobenius(2) * m
        let a = cyclotomicPowerBySeed(m)
        let b = cyclotomicPowerBySeed(a)
        let c = cyclotomicPowerBySeed(b)
        let y0 = m.frobenius(1) * m.frobenius(2) * m.frobenius(3)
        let y1 = m.conjugated()
        let y2 = b.frobenius(2)
        let y3 = a.frobenius(1).conjugated()
        let y4 = (a * b.frobenius(1)).conjugated()
        let y5 = b.conjugated()
        let y6 = (c * c.frobenius(1)).conjugated()
        var t0 = y6.cyclotomicSquared() * y4 * y5
        var t1 = y3 * y5 * t0
        t0 = t0 * y2
        t1 = (t1.cyclotomicSquared() * t0).cyclotomicSquared()
        t0 = t1 * y1
        t1 = t1 * y0
        return t0.cyclotomicSquared() * t1
    }

    /// m^x for m in the cyclotomic subgroup.
    static func cyclotomicPowerBySeed(_ m: Fq12) -> Fq12 {
        var result = m
        for bit in stride(from: 62 - seed.leadingZeroBitCount, through: 0, by: -1) {
            result = result.cyclotomicSquared()
            if (seed >> UInt64(bit)) & 1 == 1 { result = result * m }
        }
        return result
    }
}

extension Fq12 {
    /// Squaring in the cyclotomic subgroup (elements with f^(p^6+1)... after the easy part of the final
    /// exponentiation), by Granger–Scott ("Faster squaring in the cyclotomic subgroup of sixth degree
    /// extensions", PKC 2010): three Fq4 squarings instead of a full Fq12 squaring. Only valid on that
    /// subgroup; tests compare it with `squared()` there.
    @inlinable
    public func cyclotomicSquared() -> Fq12 {
        // View the element as three Fq4 = Fq2[y]/(y² − ξ) values (z0 + z1·y), (z2 + z3·y), (z4 + z5·y).
        let z0 = c0.c0, z4 = c0.c1, z3 = c0.c2
        let z2 = c1.c0, z1 = c1.c1, z5 = c1.c2
        @inline(__always) func fq4Square(_ a: Fq2, _ b: Fq2) -> (Fq2, Fq2) {
            let ab = a * b
            let real = (a + b) * (b.timesNonResidue() + a) - ab - ab.timesNonResidue()
            return (real, ab.doubled())
        }
        let (t0, t1) = fq4Square(z0, z1)
        let (t2, t3) = fq4Square(z2, z3)
        let (t4, t5) = fq4Square(z4, z5)
        // 3t − 2z or 3t + 2z per coordinate.
        @inline(__always) func threeMinusTwo(_ t: Fq2, _ z: Fq2) -> Fq2 { (t - z).doubled() + t }
        @inline(__always) func threePlusTwo(_ t: Fq2, _ z: Fq2) -> Fq2 { (t + z).doubled() + t }
        let r0 = threeMinusTwo(t0, z0)
        let r1 = threePlusTwo(t1, z1)
        let r2 = threePlusTwo(t5.timesNonResidue(), z2)
        let r3 = threeMinusTwo(t4, z3)
        let r4 = threeMinusTwo(t2, z4)
        let r5 = threePlusTwo(t3, z5)
        return Fq12(Fq6(r0, r4, r3), Fq6(r2, r1, r5))
    }
}
