import CGMP

extension BigInteger {
    public static func + (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
        make { __gmpz_add($0, lhs.pointer, rhs.pointer) }
    }

    public static func - (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
        make { __gmpz_sub($0, lhs.pointer, rhs.pointer) }
    }

    public static func * (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
        make { __gmpz_mul($0, lhs.pointer, rhs.pointer) }
    }

    public static prefix func - (value: BigInteger) -> BigInteger {
        make { __gmpz_neg($0, value.pointer) }
    }

    /// Truncating division (rounds toward zero), like Swift's `Int`.
    public static func / (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
        precondition(!rhs.isZero, "division by zero")
        return make { __gmpz_tdiv_q($0, lhs.pointer, rhs.pointer) }
    }

    /// Remainder with the sign of the dividend, like Swift's `Int`.
    public static func % (lhs: BigInteger, rhs: BigInteger) -> BigInteger {
        precondition(!rhs.isZero, "division by zero")
        return make { __gmpz_tdiv_r($0, lhs.pointer, rhs.pointer) }
    }

    /// Floor division: the quotient rounded toward −∞ (the rounding the fixed-point spec uses).
    public func floorDivided(by divisor: BigInteger) -> BigInteger {
        precondition(!divisor.isZero, "division by zero")
        return BigInteger.make { __gmpz_fdiv_q($0, pointer, divisor.pointer) }
    }

    /// The least non-negative residue modulo a positive `modulus`.
    public func modulo(_ modulus: BigInteger) -> BigInteger {
        precondition(modulus.signum > 0, "modulus must be positive")
        return BigInteger.make { __gmpz_mod($0, pointer, modulus.pointer) }
    }

    public static func << (lhs: BigInteger, rhs: Int) -> BigInteger {
        make { __gmpz_mul_2exp($0, lhs.pointer, UInt(rhs)) }
    }

    /// Arithmetic shift right (floor division by 2^rhs).
    public static func >> (lhs: BigInteger, rhs: Int) -> BigInteger {
        make { __gmpz_fdiv_q_2exp($0, lhs.pointer, UInt(rhs)) }
    }

    public static func += (lhs: inout BigInteger, rhs: BigInteger) { lhs = lhs + rhs }
    public static func -= (lhs: inout BigInteger, rhs: BigInteger) { lhs = lhs - rhs }
    public static func *= (lhs: inout BigInteger, rhs: BigInteger) { lhs = lhs * rhs }

    public func power(_ exponent: UInt) -> BigInteger {
        BigInteger.make { __gmpz_pow_ui($0, pointer, exponent) }
    }
}

extension BigInteger {
    /// self^exponent mod modulus, for non-negative exponent and positive modulus.
    public func powMod(_ exponent: BigInteger, _ modulus: BigInteger) -> BigInteger {
        precondition(!exponent.isNegative && modulus.signum > 0)
        return BigInteger.make { __gmpz_powm($0, pointer, exponent.pointer, modulus.pointer) }
    }

    /// The inverse modulo `modulus`, or nil when gcd(self, modulus) ≠ 1.
    public func inverse(modulo modulus: BigInteger) -> BigInteger? {
        let storage = MPZStorage()
        let ok = __gmpz_invert(storage.pointer, pointer, modulus.pointer)
        return ok != 0 ? BigInteger(storage: storage) : nil
    }

    /// Legendre symbol (self / p) for an odd prime p: 1, −1, or 0.
    public func legendre(_ prime: BigInteger) -> Int {
        // mpz_legendre is a macro for mpz_jacobi.
        Int(__gmpz_jacobi(pointer, prime.pointer))
    }

    public func gcd(_ other: BigInteger) -> BigInteger {
        BigInteger.make { __gmpz_gcd($0, pointer, other.pointer) }
    }

    /// A square root modulo an odd prime p (Tonelli–Shanks), or nil for a non-residue. The root returned
    /// is the smaller of the two (r ≤ p − r).
    public func squareRoot(modulo prime: BigInteger) -> BigInteger? {
        let a = modulo(prime)
        if a.isZero { return .zero }
        guard a.legendre(prime) == 1 else { return nil }
        // p − 1 = q·2^s with q odd.
        var q = prime - .one
        var s = 0
        while !q.bit(0) { q = q >> 1; s += 1 }
        var z = BigInteger(2)
        while z.legendre(prime) != -1 { z += .one }
        var m = s
        var c = z.powMod(q, prime)
        var t = a.powMod(q, prime)
        var r = a.powMod((q + .one) >> 1, prime)
        while t != .one {
            var i = 0
            var t2i = t
            while t2i != .one {
                t2i = (t2i * t2i).modulo(prime)
                i += 1
            }
            let b = c.powMod(BigInteger.one << (m - i - 1), prime)
            m = i
            c = (b * b).modulo(prime)
            t = (t * c).modulo(prime)
            r = (r * b).modulo(prime)
        }
        let other = prime - r
        return other < r ? other : r
    }
}
