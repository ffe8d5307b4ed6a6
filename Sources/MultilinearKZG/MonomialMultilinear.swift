import FieldArithmetic

/// A coefficient vector a_0 … a_(2^ℓ − 1) read as a multilinear polynomial in the *monomial* basis:
///
///     f(X_0, …, X_(ℓ−1)) = Σ_k a_k · Π_t X_t^(bit t of k)
///
/// which is also the univariate polynomial Σ a_k·Z^k with X_t = Z^(2^t). The weight matrices of the
/// committed linear argument (docs/protocol.md §19) are committed as such vectors with plain KZG, and the
/// argument needs f at points whose low coordinates are powers of one challenge and whose high ones are
/// powers of another: Σ_(i,j) W[i][j]·ρ^i·s^j.
public enum MonomialMultilinear {
    /// One fold: g_k = f_(2k) + r·f_(2k+1), so that f(r, X_1, …) = g(X_1, …).
    @inlinable
    public static func fold(_ f: [Fr], at r: Fr) -> [Fr] {
        let half = f.count / 2
        var g = [Fr](repeating: .zero, count: half)
        f.withUnsafeBufferPointer { src in
            g.withUnsafeMutableBufferPointer { dst in
                for k in 0..<half { dst[k] = src[2 * k] + r * src[2 * k + 1] }
            }
        }
        return g
    }

    /// f(point) for a vector of length 2^point.count, by folding the low coordinate first.
    public static func evaluate(_ coefficients: [Fr], at point: [Fr]) -> Fr {
        precondition(coefficients.count == 1 << point.count, "2^ℓ coefficients for ℓ coordinates")
        var f = coefficients
        for r in point { f = fold(f, at: r) }
        return f[0]
    }

    /// The point whose coordinate t is x^(2^t): f there is the univariate Σ a_k·x^k.
    public static func powerPoint(_ x: Fr, count: Int) -> [Fr] {
        var point: [Fr] = []
        point.reserveCapacity(count)
        var p = x
        for _ in 0..<count {
            point.append(p)
            p = p.squared()
        }
        return point
    }
}
