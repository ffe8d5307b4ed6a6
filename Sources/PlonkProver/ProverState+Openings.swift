import BN254
import FieldArithmetic
import Parallelism
import PlonkVerifier
import Polynomials

/// The evaluation and opening rounds (§13): values at ζ and ωζ in §13.1's order, then one KZG opening
/// proof per point for the v-weighted sum of its polynomials (GWC19).
extension ProverState {
    /// The polynomials of S_ζ (items 1–5) and S_ωζ (items 6–9), in order.
    var openingSets: (zeta: [Polynomial], omegaZeta: [Polynomial]) {
        var atZeta = advicePolynomials + key.fixedPolynomials + key.sigmaPolynomials + productPolynomials
        atZeta += multiplicityPolynomials + runningSumPolynomials
        var atOmegaZeta = c.queriedAtNext(.advice).map { advicePolynomials[$0] }
        atOmegaZeta += c.queriedAtNext(.fixed).map { key.fixedPolynomials[$0] }
        if let z = productPolynomials.first { atOmegaZeta.append(z) }
        atOmegaZeta += runningSumPolynomials
        return (atZeta, atOmegaZeta)
    }

    func evaluations() -> (atZeta: [Fr], atOmegaZeta: [Fr]) {
        timings.measure("openings") {
            let sets = openingSets
            let omegaZeta = domain.generator * zeta
            func evaluateAll(_ polynomials: [Polynomial], at x: Fr) -> [Fr] {
                var out = [Fr](repeating: .zero, count: polynomials.count)
                out.withUnsafeMutableBufferPointer { out in
                    Parallel.forEach(tasks: polynomials.count) { out[$0] = polynomials[$0].evaluate(at: x) }
                }
                return out
            }
            return (evaluateAll(sets.zeta, at: zeta), evaluateAll(sets.omegaZeta, at: omegaZeta))
        }
    }

    /// F_ζ = Σ v^i·p_i over S_ζ, which ends with the combined quotient H = Σ_i ζ^{i(n−1)}·h'_i, and
    /// F_ωζ = Σ v^i·q_i over S_ωζ (§13.2).
    func openingPolynomials() -> (zeta: Polynomial, omegaZeta: Polynomial) {
        let sets = openingSets
        var combinedQuotient = [Fr](repeating: .zero, count: n)
        var power = Fr.one
        let step = zeta.power(UInt64(n - 1))
        for chunk in quotientChunks {
            accumulate(&combinedQuotient, chunk.coefficients, power)
            power *= step
        }
        return (batched(sets.zeta + [Polynomial(coefficients: combinedQuotient)]), batched(sets.omegaZeta))
    }

    /// W_ζ and W_ωζ: the quotients of F_ζ and F_ωζ by (X − ζ) and (X − ωζ), committed.
    func openings() -> (G1Affine, G1Affine) {
        let (wZeta, wOmegaZeta): (Polynomial, Polynomial) = timings.measure("openings") {
            let (fZeta, fOmegaZeta) = openingPolynomials()
            let omegaZeta = domain.generator * zeta
            return (fZeta.dividedByLinear(at: zeta).quotient, fOmegaZeta.dividedByLinear(at: omegaZeta).quotient)
        }
        let commitments = commitCoefficients([wZeta, wOmegaZeta])
        return (commitments[0], commitments[1])
    }

    /// Σ_i v^i·p_i: one pass per block of coefficients over all the polynomials, the blocks on all threads (a
    /// pass per polynomial over n = 2^13 coefficients is too short to split).
    private func batched(_ polynomials: [Polynomial]) -> Polynomial {
        var powers = [Fr]()
        powers.reserveCapacity(polynomials.count)
        var power = Fr.one
        for _ in polynomials {
            powers.append(power)
            power *= v
        }
        var sum = [Fr](repeating: .zero, count: n)
        sum.withUnsafeMutableBufferPointer { out in
            Parallel.forEachChunk(of: out.count, minimumChunk: 512) { range in
                for (p, factor) in zip(polynomials, powers) {
                    p.coefficients.withUnsafeBufferPointer { a in
                        for i in range where i < a.count { out[i] += factor * a[i] }
                    }
                }
            }
        }
        return Polynomial(coefficients: sum)
    }

    private func accumulate(_ sum: inout [Fr], _ coefficients: [Fr], _ factor: Fr) {
        sum.withUnsafeMutableBufferPointer { out in
            coefficients.withUnsafeBufferPointer { a in
                Parallel.forEachChunk(of: a.count, minimumChunk: 8192) { range in
                    for i in range { out[i] += factor * a[i] }
                }
            }
        }
    }
}
