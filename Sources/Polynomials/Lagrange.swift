import FieldArithmetic
import Parallelism

/// A polynomial of degree < n given by its values on a domain H: values[i] = p(ω^i). The form the prover's
/// columns live in; `interpolate()` turns it into coefficients with one inverse NTT.
public struct Evaluations: Sendable {
    public let domain: EvaluationDomain
    public var values: [Fr]

    public init(values: [Fr], domain: EvaluationDomain) throws {
        guard values.count == domain.size else {
            throw PolynomialError.sizeMismatch(expected: domain.size, actual: values.count)
        }
        self.values = values
        self.domain = domain
    }

    public func interpolate() -> Polynomial {
        Polynomial(coefficients: try! domain.inverseNTT(values))  // sizes agree by construction
    }

    /// p(z) = Σ values[i]·L_i(z), without interpolating.
    public func evaluate(at z: Fr) -> Fr {
        let basis = domain.lagrangeBasis(at: z)
        var sum = Fr.zero
        for i in 0..<values.count { sum += values[i] * basis[i] }
        return sum
    }
}

extension Polynomial {
    /// Evaluations on H (degree must be below n).
    public func evaluations(on domain: EvaluationDomain) throws -> Evaluations {
        let d = degree
        guard d < domain.size else { throw PolynomialError.sizeMismatch(expected: domain.size, actual: d + 1) }
        return try Evaluations(values: domain.ntt(Array(coefficients.prefix(max(0, d + 1)))), domain: domain)
    }

    /// The polynomial of degree < k through (points[i], values[i]), by Lagrange's formula in O(k²) with the
    /// barycentric weights w_j = 1/Π_{m≠j}(x_j − x_m). For the small sets of opening points; domains use
    /// `Evaluations.interpolate()`.
    public static func interpolate(points: [Fr], values: [Fr]) throws -> Polynomial {
        guard points.count == values.count else {
            throw PolynomialError.sizeMismatch(expected: points.count, actual: values.count)
        }
        let k = points.count
        if k == 0 { return .zero }
        // Π (X − x_m), degree k.
        var full = [Fr](repeating: .zero, count: k + 1)
        full[0] = .one
        for (m, x) in points.enumerated() {
            for i in stride(from: m + 1, through: 1, by: -1) { full[i] = full[i - 1] - x * full[i] }
            full[0] = -x * full[0]
        }
        var weights = [Fr](repeating: .one, count: k)
        for j in 0..<k {
            for m in 0..<k where m != j {
                let difference = points[j] - points[m]
                if difference.isZero { throw PolynomialError.repeatedPoint(index: max(j, m)) }
                weights[j] *= difference
            }
        }
        Fr.batchInvert(&weights)
        var result = [Fr](repeating: .zero, count: k)
        let fullPolynomial = Polynomial(coefficients: full)
        for j in 0..<k where !values[j].isZero {
            // Π_{m≠j}(X − x_m) = Π(X − x_m)/(X − x_j), exact.
            let (basis, _) = fullPolynomial.dividedByLinear(at: points[j])
            let factor = values[j] * weights[j]
            for i in 0..<k { result[i] += factor * basis.coefficients[i] }
        }
        return Polynomial(coefficients: result)
    }
}

extension EvaluationDomain {
    /// L_0(z) … L_(n−1)(z), the Lagrange basis of H at z: L_i(z) = ω^i·(z^n − 1) / (n·(z − ω^i)), one batch
    /// inversion for all n. At z = ω^j the basis is the unit vector e_j.
    public func lagrangeBasis(at z: Fr) -> [Fr] {
        let n = size
        let vanishing = evaluateVanishing(at: z)
        var out = [Fr](repeating: .zero, count: n)
        if vanishing.isZero {
            for i in 0..<n where element(i) == z {
                out[i] = .one
                return out
            }
        }
        let common = vanishing * sizeInverse
        out.withUnsafeMutableBufferPointer { basis in
            Parallel.forEachChunk(of: n, minimumChunk: 1 << 12) { range in
                var omega = generator.power(UInt64(range.lowerBound))
                for i in range {
                    basis[i] = z - omega
                    omega *= generator
                }
                // Each chunk inverts its own slice: the same values for any split.
                Fr.batchInvert(UnsafeMutableBufferPointer(rebasing: basis[range]))
                omega = generator.power(UInt64(range.lowerBound))
                for i in range {
                    basis[i] *= common * omega
                    omega *= generator
                }
            }
        }
        return out
    }
}
