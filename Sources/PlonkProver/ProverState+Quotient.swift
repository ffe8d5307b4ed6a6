import BN254
import ConstraintSystem
import FieldArithmetic
import Parallelism
import PlonkVerifier
import Polynomials

/// The quotient round (§7): every polynomial the constraints read is extended to a coset of a domain of
/// 2^(k + ⌈log2 D⌉) points, the numerator is evaluated there block by block (in parallel, with the same
/// `Numerator.evaluate` the verifier runs at ζ), divided by Z_H, interpolated, split into D − 1 chunks
/// and blinded.
extension ProverState {
    func commitQuotient() throws -> [G1Affine] {
        let d = c.quotientDegree
        var extraLog = 0
        while (1 << extraLog) < d { extraLog += 1 }
        let extended = try EvaluationDomain(log2Size: c.log2Rows + extraLog)
        let size = extended.size
        let ratio = size / n

        // Coefficients of every prover polynomial (also needed for the openings).
        advicePolynomials = advice.map(interpolate)
        productPolynomials = products.map(interpolate)
        multiplicityPolynomials = multiplicities.map(interpolate)
        runningSumPolynomials = runningSums.map(interpolate)

        func extend(_ p: Polynomial) -> [Fr] {
            timings.measure("ntt") { try! extended.cosetNTT(p.coefficients) }
        }
        // Columns the constraints read (queries and permuted columns), extended once each.
        var needed = Set(c.allQueries.map(\.column))
        needed.formUnion(c.permutationColumns)
        var columns: [Column: [Fr]] = [:]
        for column in needed.sorted() {
            switch column.kind {
            case .advice: columns[column] = extend(advicePolynomials[column.index])
            case .fixed: columns[column] = extend(key.fixedPolynomials[column.index])
            case .instance: columns[column] = extend(interpolate(instanceValues[column.index]))
            case .challenge: columns[column] = extend(interpolate(challengeValues[column.index]))
            }
        }
        let sigma = key.sigmaPolynomials.map(extend)
        let productsExtended = productPolynomials.map(extend)
        let multiplicitiesExtended = multiplicityPolynomials.map(extend)
        let sumsExtended = runningSumPolynomials.map(extend)
        var selectorValues = [[Fr]](repeating: [Fr](repeating: .zero, count: n), count: 3)
        selectorValues[0][0] = .one
        selectorValues[1][u] = .one
        for r in 0..<u { selectorValues[2][r] = .one }
        let selectors = selectorValues.map { extend(interpolate($0)) }

        // N on the coset, block by block.
        var deltaPowers = [Fr.one]
        for _ in 0..<max(0, c.permutationColumns.count - 1) { deltaPowers.append(deltaPowers.last! * Fr.multiplicativeGenerator) }
        let scalars = Numerator.Scalars(challenges: rho, theta: theta, beta: beta, gamma: gamma, alpha: alpha)
        var numerator = [Fr](repeating: .zero, count: size)
        let circuit = c
        let shift = extended.cosetShift
        let generator = extended.generator
        timings.measure("quotient") {
            numerator.withUnsafeMutableBufferPointer { out in
                Parallel.forEachChunk(of: size, minimumChunk: 1024, oversubscription: 4) { range in
                    func current(_ values: [Fr]) -> Lane { .vector(Array(values[range])) }
                    func next(_ values: [Fr]) -> Lane {
                        .vector(range.map { values[($0 + ratio) & (size - 1)] })
                    }
                    // X on this block: g·ω_e^i.
                    var x = shift * generator.power(UInt64(range.lowerBound))
                    var xs = [Fr]()
                    xs.reserveCapacity(range.count)
                    for _ in range {
                        xs.append(x)
                        x *= generator
                    }
                    let inputs = Numerator.Inputs<Lane>(
                        query: { q in
                            let values = columns[q.column]!
                            return q.rotation == .current ? current(values) : next(values)
                        },
                        firstRow: current(selectors[0]), lastRow: current(selectors[1]), active: current(selectors[2]),
                        identity: { i in Lane.scale(.vector(xs), deltaPowers[i]) },
                        sigma: { current(sigma[$0]) },
                        products: { current(productsExtended[$0]) },
                        productNext: productsExtended.isEmpty ? .scalar(.zero) : next(productsExtended[0]),
                        multiplicity: { current(multiplicitiesExtended[$0]) },
                        runningSum: { current(sumsExtended[$0]) },
                        runningSumNext: { next(sumsExtended[$0]) })
                    let block = Numerator.evaluate(circuit, scalars: scalars, inputs: inputs, algebra: Lane.algebra)
                        .values(count: range.count)
                    for (offset, value) in block.enumerated() { out[range.lowerBound + offset] = value }
                }
                extended.divideByVanishingOnCoset(out, vanishingLog2Size: c.log2Rows)
            }
        }
        timings.measure("ntt") { numerator.withUnsafeMutableBufferPointer { extended.inverseCosetNTTInPlace($0) } }

        // h has at most (D−1)(n−1) coefficients: D − 1 chunks of n − 1, each blinded (§7).
        let blinds = try random.elements(d - 2)
        quotientChunks = (0..<(d - 1)).map { i in
            var coefficients = Array(numerator[(i * (n - 1))..<((i + 1) * (n - 1))]) + [.zero]
            if i < d - 2 { coefficients[n - 1] = blinds[i] }
            if i > 0 { coefficients[0] -= blinds[i - 1] }
            return Polynomial(coefficients: coefficients)
        }
        return commitCoefficients(quotientChunks)
    }
}
