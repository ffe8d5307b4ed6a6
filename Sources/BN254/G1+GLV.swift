import FieldArithmetic

/// GLV scalar multiplication on G1 (Gallant–Lambert–Vanstone 2001): the endomorphism φ(x, y) = (β·x, y)
/// acts as multiplication by λ (λ² + λ + 1 ≡ 0 mod r), so [k]P = [k1]P + [k2]φ(P) with |k1|, |k2| < 2^128,
/// halving the doublings. The constants were derived with the extended Euclidean algorithm on (r, λ) and
/// are checked by the tests (φ(G) = [λ]G, and the lattice vectors lie in the kernel).
enum G1Endomorphism {
    /// A primitive cube root of unity in Fq.
    static let beta: Fq = try! Fq(parsing: "0x59e26bcea0d48bacd4f263f1acdb5c4f5763473177fffffe")
    /// The matching cube root of unity in Fr.
    static let lambda = BigInteger("0xb3c4d79d41a917585bfc41088d8daaa78b17ea66b99c90dd")!
    /// Short lattice basis v1 = (a1, b1), v2 = (a2, b2) of {(x, y) : x + y·λ ≡ 0 mod r}.
    static let a1 = BigInteger("9931322734385697763")!
    static let b1 = BigInteger("-147946756881789319000765030803803410728")!
    static let a2 = BigInteger("147946756881789319010696353538189108491")!
    static let b2 = BigInteger("9931322734385697763")!

    /// Splits k into (k1, k2) with k ≡ k1 + k2·λ (mod r), both about 128 bits, by rounding k onto the
    /// lattice (Babai). Done with GMP: a few µs against tens of µs saved.
    static func decompose(_ k: BigInteger) -> (BigInteger, BigInteger) {
        let r = Fr.modulus
        let half = r >> 1
        let c1 = (b2 * k + half).floorDivided(by: r)
        let c2 = (-b1 * k + half).floorDivided(by: r)
        let k1 = k - c1 * a1 - c2 * a2
        let k2 = -(c1 * b1) - c2 * b2
        return (k1, k2)
    }

    static func apply(_ point: G1Affine) -> G1Affine {
        point.isInfinity ? point : G1Affine(uncheckedX: point.x * beta, y: point.y)
    }
}

extension JacobianPoint where Curve == G1Curve {
    /// [k]P through the GLV split, interleaving two width-5 wNAF expansions.
    public func multipliedGLV(_ scalar: Fr) -> Self {
        if isInfinity || scalar.isZero { return .infinity }
        let (k1, k2) = G1Endomorphism.decompose(scalar.bigInteger)
        let base = toAffine()
        let p1 = k1.isNegative ? base.negated() : base
        let p2 = k2.isNegative ? G1Endomorphism.apply(base).negated() : G1Endomorphism.apply(base)
        let digits1 = wNAF(k1.magnitude.limbs(count: 3), width: 5)
        let digits2 = wNAF(k2.magnitude.limbs(count: 3), width: 5)
        let table1 = Self.oddMultiples(p1)
        let table2 = Self.oddMultiples(p2)
        var result = Self.infinity
        for i in stride(from: max(digits1.count, digits2.count) - 1, through: 0, by: -1) {
            result = result.doubled()
            if i < digits1.count { result = result.addingDigit(digits1[i], table1) }
            if i < digits2.count { result = result.addingDigit(digits2[i], table2) }
        }
        return result
    }

    /// P, 3P, …, 15P in affine form.
    static func oddMultiples(_ point: G1Affine) -> [G1Affine] {
        let start = Self(point)
        let twice = start.doubled()
        var odd = [start]
        for _ in 1..<8 { odd.append(odd[odd.count - 1] + twice) }
        return batchToAffine(odd)
    }
}

extension JacobianPoint {
    @inline(__always)
    func addingDigit(_ digit: Int8, _ table: [AffinePoint<Curve>]) -> Self {
        if digit > 0 { return adding(table[Int(digit) >> 1]) }
        if digit < 0 { return adding(table[Int(-digit) >> 1].negated()) }
        return self
    }
}
