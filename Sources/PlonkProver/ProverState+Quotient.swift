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
        // The terms of degree ≤ ratio/2 + 1 have a quotient of fewer than (ratio/2)·n coefficients: they are summed
        // on the half-size coset, the rest on the full one, and the two quotients added (`Numerator.Terms`). A column
        // only the low terms read is extended to the half-size coset alone; one both read is taken at every other
        // point of its full extension (the same shift g, so the half-size coset is the even points).
        let lowBound = ratio / 2 + 1
        let split = ratio >= 4 && !c.hasPrivateWeights && splitsQuotient
        let half = split ? try EvaluationDomain(log2Size: key.extensionLog2Size - 1) : extended
        let highReads = NumeratorReads(c, terms: split ? .degreeAbove(lowBound) : .all)
        let lowReads = split ? NumeratorReads(c, terms: .degreeAtMost(lowBound)) : NumeratorReads()
        let accumulators = productPolynomials + multiplicityPolynomials + runningSumPolynomials
        let accumulatorsOnFull = highReads.accumulators || !lowReads.accumulators
        let full = proverColumns.filter { highReads.columns.contains($0) }
        let halfOnly = proverColumns.filter { lowReads.columns.contains($0) && !highReads.columns.contains($0) }
        let polynomial = { (column: Column) in neededPolynomials[proverColumns.firstIndex(of: column)!] }
        let toExtend = full.map(polynomial) + (accumulatorsOnFull ? accumulators : [])
        let toExtendHalf = halfOnly.map(polynomial) + (accumulatorsOnFull ? [] : accumulators)
        let extendedAll = timings.measure("ntt") {
            Self.concurrentMap(toExtend.map { (extended, $0) } + toExtendHalf.map { (half, $0) }) {
                try! $0.0.cosetNTT($0.1.coefficients)
            }
        }
        let onFull = extendedAll[..<toExtend.count], onHalf = extendedAll[toExtend.count...]
        // Every source with its values on the full coset (stride 1 there) or the half one.
        var columns: [Column: CosetValues] = [:]
        for (column, values) in zip(full, onFull) { columns[column] = CosetValues(values, onFull: true) }
        for (column, values) in zip(halfOnly, onHalf) { columns[column] = CosetValues(values, onFull: false) }
        let accumulatorSources = (accumulatorsOnFull ? onFull.dropFirst(full.count) : onHalf.dropFirst(halfOnly.count))
            .map { CosetValues($0, onFull: accumulatorsOnFull) }
        for (index, values) in keyColumns.fixed { columns[Column(kind: .fixed, index: index)] = CosetValues(values, onFull: true) }
        let sigma = keyColumns.sigma.map { CosetValues($0, onFull: true) }
        let productsExtended = Array(accumulatorSources.prefix(productPolynomials.count))
        let multiplicitiesExtended = Array(accumulatorSources.dropFirst(productPolynomials.count).prefix(multiplicityPolynomials.count))
        let sumsExtended = Array(accumulatorSources.suffix(runningSumPolynomials.count))
        let selectors = keyColumns.selectors.map { CosetValues($0, onFull: true) }

        // N on the coset, block by block.
        var deltaPowers = [Fr.one]
        for _ in 0..<max(0, c.permutationColumns.count - 1) { deltaPowers.append(deltaPowers.last! * Fr.multiplicativeGenerator) }
        let scalars = Numerator.Scalars(
            challenges: rho, theta: theta, beta: beta, gamma: gamma, alpha: alpha, linearClaim: linearClaim)
        let circuit = c
        let maskColumn = c.hasPrivateWeights ? c.privateWeights?.maskColumn : nil
        let (claim, xi) = (linearClaim, self.xi)
        let rows = n
        /// h of the selected terms: N on `domain`'s coset, divided by Z_H, interpolated.
        func quotient(on domain: EvaluationDomain, terms: Numerator.Terms) -> [Fr] {
            let size = domain.size
            let stride = extended.size / size
            let shift = domain.cosetShift
            let generator = domain.generator
            var numerator = [Fr](repeating: .zero, count: size)
            timings.measure("quotient") {
                numerator.withUnsafeMutableBufferPointer { out in
                    Parallel.forEachChunk(of: size, minimumChunk: 1024, oversubscription: 4) { range in
                        func current(_ source: CosetValues) -> Lane { .vector(source.block(range, stride: stride)) }
                        func next(_ source: CosetValues) -> Lane {
                            .vector(source.block(range, stride: stride, shiftedBy: size / rows, wrappingAt: size))
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
                        let block = Numerator.evaluate(
                            circuit, scalars: scalars, inputs: inputs, algebra: Lane.algebra, terms: terms
                        ).values(count: range.count)
                        for (offset, value) in block.enumerated() { out[range.lowerBound + offset] = value }
                    }
                    domain.divideByVanishingOnCoset(out, vanishingLog2Size: circuit.log2Rows)
                }
            }
            timings.measure("ntt") { numerator.withUnsafeMutableBufferPointer { domain.inverseCosetNTTInPlace($0) } }
            return numerator
        }
        var numerator = quotient(on: extended, terms: split ? .degreeAbove(lowBound) : .all)
        if split {
            for (i, v) in quotient(on: half, terms: .degreeAtMost(lowBound)).enumerated() { numerator[i] += v }
        }

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
