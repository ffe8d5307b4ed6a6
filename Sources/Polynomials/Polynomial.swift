import FieldArithmetic
import Parallelism

/// A polynomial over Fr in coefficient form: coefficients[i] is the coefficient of X^i. Trailing zeros are
/// allowed (a commitment key cares about the stored length, not the degree); `degree` ignores them.
public struct Polynomial: Equatable, Sendable {
    public var coefficients: [Fr]

    public init(coefficients: [Fr]) { self.coefficients = coefficients }

    public static var zero: Polynomial { Polynomial(coefficients: []) }

    /// The degree, or −1 for the zero polynomial.
    public var degree: Int {
        var d = coefficients.count - 1
        while d >= 0 && coefficients[d].isZero { d -= 1 }
        return d
    }

    public var isZero: Bool { degree < 0 }

    /// Without trailing zero coefficients.
    public var trimmed: Polynomial { Polynomial(coefficients: Array(coefficients.prefix(degree + 1))) }

    /// Equality as polynomials: trailing zeros do not matter.
    public static func == (a: Polynomial, b: Polynomial) -> Bool {
        let d = a.degree
        guard d == b.degree else { return false }
        for i in 0..<(d + 1) where a.coefficients[i] != b.coefficients[i] { return false }
        return true
    }

    // MARK: Linear operations

    public static func + (a: Polynomial, b: Polynomial) -> Polynomial {
        combine(a, b) { $0 + $1 }
    }

    public static func - (a: Polynomial, b: Polynomial) -> Polynomial {
        combine(a, b) { $0 - $1 }
    }

    static func combine(_ a: Polynomial, _ b: Polynomial, _ op: (Fr, Fr) -> Fr) -> Polynomial {
        let n = max(a.coefficients.count, b.coefficients.count)
        var out = [Fr](repeating: .zero, count: n)
        for i in 0..<n {
            let x = i < a.coefficients.count ? a.coefficients[i] : .zero
            let y = i < b.coefficients.count ? b.coefficients[i] : .zero
            out[i] = op(x, y)
        }
        return Polynomial(coefficients: out)
    }

    public func scaled(by factor: Fr) -> Polynomial {
        var out = coefficients
        out.withUnsafeMutableBufferPointer { buffer in
            Parallel.forEachChunk(of: buffer.count, minimumChunk: 1 << 14) { range in
                for i in range { buffer[i] *= factor }
            }
        }
        return Polynomial(coefficients: out)
    }

    /// self + factor·other, the step of every random linear combination.
    public func adding(_ other: Polynomial, scaledBy factor: Fr) -> Polynomial {
        var out = coefficients
        if out.count < other.coefficients.count {
            out += [Fr](repeating: .zero, count: other.coefficients.count - out.count)
        }
        for i in 0..<other.coefficients.count { out[i] += factor * other.coefficients[i] }
        return Polynomial(coefficients: out)
    }

    // MARK: Multiplication

    /// The product: schoolbook for small operands, otherwise through the NTT on the smallest domain that
    /// holds the product's deg(a) + deg(b) + 1 coefficients.
    public static func * (a: Polynomial, b: Polynomial) -> Polynomial {
        let da = a.degree, db = b.degree
        if da < 0 || db < 0 { return .zero }
        if min(da, db) < 32 { return schoolbook(a.trimmed, b.trimmed) }
        // Products beyond 2^28 coefficients do not fit any Fr domain; such sizes are far beyond memory.
        let domain = try! EvaluationDomain(atLeast: da + db + 1)
        var x = try! domain.ntt(Array(a.coefficients.prefix(da + 1)))
        let y = try! domain.ntt(Array(b.coefficients.prefix(db + 1)))
        x.withUnsafeMutableBufferPointer { xs in
            y.withUnsafeBufferPointer { ys in
                Parallel.forEachChunk(of: xs.count, minimumChunk: 1 << 14) { range in
                    for i in range { xs[i] *= ys[i] }
                }
            }
        }
        let product = try! domain.inverseNTT(x)
        return Polynomial(coefficients: Array(product.prefix(da + db + 1)))
    }

    /// O(n·m) product; also the reference the NTT product is tested against.
    public static func schoolbook(_ a: Polynomial, _ b: Polynomial) -> Polynomial {
        if a.coefficients.isEmpty || b.coefficients.isEmpty { return .zero }
        var out = [Fr](repeating: .zero, count: a.coefficients.count + b.coefficients.count - 1)
        for (i, x) in a.coefficients.enumerated() where !x.isZero {
            for (j, y) in b.coefficients.enumerated() { out[i + j] += x * y }
        }
        return Polynomial(coefficients: out)
    }

    // MARK: Evaluation

    /// p(z) by Horner's rule; long polynomials are split into chunks evaluated in parallel and joined with
    /// the powers z^start (the result does not depend on the split).
    public func evaluate(at z: Fr) -> Fr {
        let n = coefficients.count
        if n < 1 << 14 || Parallel.availableThreads == 1 { return Self.horner(coefficients[...], at: z) }
        let chunks = Parallel.availableThreads * 2
        let size = (n + chunks - 1) / chunks
        var partial = [Fr](repeating: .zero, count: chunks)
        partial.withUnsafeMutableBufferPointer { out in
            coefficients.withUnsafeBufferPointer { c in
                Parallel.forEach(tasks: chunks) { k in
                    let start = k * size
                    let end = min(n, start + size)
                    if start >= end { return }
                    var acc = Fr.zero
                    for i in stride(from: end - 1, through: start, by: -1) { acc = acc * z + c[i] }
                    out[k] = acc * z.power(UInt64(start))
                }
            }
        }
        return partial.reduce(.zero, +)
    }

    static func horner(_ c: ArraySlice<Fr>, at z: Fr) -> Fr {
        var acc = Fr.zero
        for x in c.reversed() { acc = acc * z + x }
        return acc
    }

    /// p at every point, the points split over the threads.
    public func evaluate(at points: [Fr]) -> [Fr] {
        var out = [Fr](repeating: .zero, count: points.count)
        out.withUnsafeMutableBufferPointer { values in
            Parallel.forEachChunk(of: points.count, minimumChunk: 1) { range in
                for i in range { values[i] = Self.horner(coefficients[...], at: points[i]) }
            }
        }
        return out
    }

    // MARK: Division

    /// (p(X) − p(z)) / (X − z) by synthetic division: the KZG opening quotient. Also returns p(z).
    public func dividedByLinear(at z: Fr) -> (quotient: Polynomial, remainder: Fr) {
        let n = coefficients.count
        if n == 0 { return (.zero, .zero) }
        var quotient = [Fr](repeating: .zero, count: max(0, n - 1))
        var carry = Fr.zero
        for i in stride(from: n - 1, through: 1, by: -1) {
            carry = carry * z + coefficients[i]
            quotient[i - 1] = carry
        }
        let remainder = carry * z + coefficients[0]
        return (Polynomial(coefficients: quotient), remainder)
    }

    /// p / (X^n − 1) for the domain's n, computed on a coset of a larger domain (where X^n − 1 never
    /// vanishes). Throws `notDivisible` when there is a remainder.
    public func dividedByVanishing(of domain: EvaluationDomain) throws -> Polynomial {
        let d = degree
        if d < 0 { return .zero }
        if d < domain.size { throw PolynomialError.notDivisible }
        let extended = try EvaluationDomain(atLeast: d + 1)  // size > d ≥ n, so a multiple of n
        var values = try extended.cosetNTT(Array(coefficients.prefix(d + 1)))
        values.withUnsafeMutableBufferPointer { extended.divideByVanishingOnCoset($0, vanishingLog2Size: domain.log2Size) }
        let quotient = try extended.inverseCosetNTT(values)
        // The division was exact iff the interpolated quotient has degree ≤ d − n (see the README).
        let top = d - domain.size
        for i in (top + 1)..<quotient.count where !quotient[i].isZero { throw PolynomialError.notDivisible }
        return Polynomial(coefficients: Array(quotient.prefix(top + 1)))
    }

    /// Division with remainder by X^n − 1 by folding the top coefficients down: the O(deg) reference.
    public func dividedByVanishingNaive(size n: Int) -> (quotient: Polynomial, remainder: Polynomial) {
        var r = trimmed.coefficients
        if r.count <= n { return (.zero, Polynomial(coefficients: r)) }
        var q = [Fr](repeating: .zero, count: r.count - n)
        for i in stride(from: r.count - 1, through: n, by: -1) {
            // X^i = X^(i−n)·(X^n − 1) + X^(i−n)
            q[i - n] += r[i]
            r[i - n] += r[i]
            r[i] = .zero
        }
        return (Polynomial(coefficients: q), Polynomial(coefficients: Array(r.prefix(n))))
    }
}

extension EvaluationDomain {
    /// Divides evaluations on the coset g·D (D this domain, size m) by Z_H(X) = X^n − 1 with n = 2^vanishingLog2Size
    /// ≤ m. At x = g·ω_m^i, x^n = g^n·ω_(m/n)^i, so Z_H takes only m/n distinct values there: invert those
    /// once and multiply.
    public func divideByVanishingOnCoset(_ values: UnsafeMutableBufferPointer<Fr>, vanishingLog2Size: Int) {
        precondition(values.count == size && vanishingLog2Size <= log2Size, "coset values must fill this domain")
        let ratio = 1 << (log2Size - vanishingLog2Size)
        let shiftPower = cosetShift.power(UInt64(1) << UInt64(vanishingLog2Size))
        let root = Fr.rootOfUnity(log2Size: log2Size - vanishingLog2Size)
        var inverses = [Fr](repeating: .zero, count: ratio)
        var rootPower = Fr.one
        for i in 0..<ratio {
            inverses[i] = shiftPower * rootPower - .one
            rootPower *= root
        }
        Fr.batchInvert(&inverses)
        inverses.withUnsafeBufferPointer { inv in
            Parallel.forEachChunk(of: size, minimumChunk: 1 << 13) { range in
                for i in range { values[i] *= inv[i & (ratio - 1)] }
            }
        }
    }
}
