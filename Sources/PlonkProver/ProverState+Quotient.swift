import BN254
import ConstraintSystem
import FieldArithmetic
import Parallelism
import PlonkVerifier
import Polynomials

/// The quotient round (§7): every polynomial the constraints read is extended to a coset of a domain of
/// 2^(k + ⌈log2 (D−1)⌉) points, the numerator is evaluated there block by block (in parallel, with the same
/// `Numerator.evaluate` the verifier runs at ζ), divided by Z_H, interpolated, split into D − 1 chunks
/// and blinded.
///
/// The coset is sized for h, not for N: N is only ever evaluated point by point (from columns of degree
/// < n, exact on any coset), and what is interpolated is h = N/Z_H, which has at most (D−1)(n−1)
/// coefficients (§7). So 2^⌈log2 (D−1)⌉·n points suffice — half of 2^⌈log2 D⌉·n whenever D − 1 is a power
/// of two (D = 3, 5, 9: every NTT and numerator evaluation of this round on half the points), and the
/// same h, so the same proof.
extension ProverState {
    /// Fills `quotientChunks`, the D − 1 blinded chunks h'_i (§7); the caller commits them.
    func computeQuotient() throws {
        let d = c.quotientDegree
        let extended = try EvaluationDomain(log2Size: key.extensionLog2Size)
        let size = extended.size
        let ratio = size / n

        // Coefficients of every prover polynomial (also needed for the openings).
        // Columns the constraints read (queries and permuted columns), extended once each.
        let needed = Set(c.allQueries.map(\.column)).union(c.permutationColumns).sorted()

        // Every interpolation in one concurrent batch, then every coset extension in another.
        let verifierColumns = needed.filter { $0.kind == .instance || $0.kind == .challenge }
        var toInterpolate = advice + products + multiplicities + runningSums
        toInterpolate += verifierColumns.map { $0.kind == .instance ? instanceValues[$0.index] : challengeValues[$0.index] }
        var interpolated = interpolateAll(toInterpolate)[...]
        func take(_ count: Int) -> [Polynomial] {
            defer { interpolated = interpolated.dropFirst(count) }
            return Array(interpolated.prefix(count))
        }
        advicePolynomials = take(advice.count)
        productPolynomials = take(products.count)
        multiplicityPolynomials = take(multiplicities.count)
        runningSumPolynomials = take(runningSums.count)
        let verifierPolynomials = take(verifierColumns.count)

        // The key's own columns (fixed, σ, selectors): read from the key file, or extended by the first proof with
        // this key (`ProvingKey.storesExtensions`), then reused.
        let keyColumns = timings.measure("ntt") { key.extensionColumns() }
        let proverColumns = needed.filter { $0.kind != .fixed }
        let neededPolynomials: [Polynomial] = proverColumns.map { column in
            switch column.kind {
            case .advice: return advicePolynomials[column.index]
            case .fixed: preconditionFailure("fixed columns come from the key's extensions")
            case .instance, .challenge: return verifierPolynomials[verifierColumns.firstIndex(of: column)!]
            }
        }
        let toExtend = neededPolynomials + productPolynomials + multiplicityPolynomials + runningSumPolynomials
        var extendedAll = timings.measure("ntt") {
            Self.concurrentMap(toExtend) { try! extended.cosetNTT($0.coefficients) }
        }[...]
        func takeExtended(_ count: Int) -> [[Fr]] {
            defer { extendedAll = extendedAll.dropFirst(count) }
            return Array(extendedAll.prefix(count))
        }
        var columns: [Column: [Fr]] = [:]
        for (column, values) in zip(proverColumns, takeExtended(proverColumns.count)) { columns[column] = values }
        for (index, values) in keyColumns.fixed { columns[Column(kind: .fixed, index: index)] = values }
        let sigma = keyColumns.sigma
        let productsExtended = takeExtended(productPolynomials.count)
        let multiplicitiesExtended = takeExtended(multiplicityPolynomials.count)
        let sumsExtended = takeExtended(runningSumPolynomials.count)
        let selectors = keyColumns.selectors

        // N on the coset, block by block.
        var deltaPowers = [Fr.one]
        for _ in 0..<max(0, c.permutationColumns.count - 1) { deltaPowers.append(deltaPowers.last! * Fr.multiplicativeGenerator) }
        let scalars = Numerator.Scalars(
            challenges: rho, theta: theta, beta: beta, gamma: gamma, alpha: alpha, linearClaim: linearClaim)
        var numerator = [Fr](repeating: .zero, count: size)
        let circuit = c
        let maskColumn = c.hasPrivateWeights ? c.privateWeights?.maskColumn : nil
        let (claim, xi) = (linearClaim, self.xi)
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
                    var inputs = Numerator.Inputs<Lane>(
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
                    // §19.10: Ω(X) = constant + ω̂ − ξ·M(ωX) with private weights.
                    if let mask = maskColumn {
                        inputs.linearClaimValue = Lane.algebra.subtract(
                            .scalar(claim), Lane.scale(next(columns[Column(kind: .advice, index: mask)]!), xi))
                    }
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
    }
}
