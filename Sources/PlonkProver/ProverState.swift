import BN254
import ConstraintSystem
import FieldArithmetic
import MSM
import Parallelism
import PlonkVerifier
import Polynomials

/// The prover's working state across rounds: column values on H (n rows, blinded), then coefficients and
/// coset evaluations for the quotient, and the challenges drawn so far.
final class ProverState {
    /// Whether the quotient round sums the numerator's low-degree terms on the half-size coset: the same h
    /// whenever every constraint vanishes on H by itself (tests switch it off to compare proofs byte for byte).
    static var splitsQuotient = true
    /// This proof's choice: off for the out-of-order provers of the transcript tests, whose forged witnesses
    /// make only the α-combination of the constraints vanish on H, not each part.
    var splitsQuotient = ProverState.splitsQuotient

    let key: ProvingKey
    let c: VerifierCircuit
    let n: Int
    let u: Int
    let domain: EvaluationDomain
    let random: ProverRandomness
    let timings: ProverTimings
    let publicValues: [[Fr]]
    /// The four blinding rows' Lagrange points, tabulated once: every committed column's random rows.
    let blindingBases: SharedBasesCombination

    var rho: [Fr]
    var theta = Fr.zero, beta = Fr.zero, gamma = Fr.zero, alpha = Fr.zero, zeta = Fr.zero, v = Fr.zero, mu = Fr.zero
    var eta = Fr.zero

    /// The committed linear relation (§19.5–§19.6), after the advice phases: Ω, and with committed blocks
    /// v_com, the combined block vector f = Σ c_b·k_b and the opening point.
    var linearClaim = Fr.zero
    /// Ω from the weights (`prepareLinearClaim`), even when a test-only cheat changes `linearClaim`; nil
    /// without a relation.
    var honestLinearClaim: Fr?
    var committedValue: Fr?
    var combinedWeights: [Fr] = []
    var weightPoint: [Fr] = []
    /// The blocks' coefficients c_b at (ρ, s), for the blinding's combination Σ c_b·r_b.
    var blockCoefficients: [Fr] = []
    /// Private weights (§19.10): the masking polynomial g (2^ℓ + 1 coefficients), g(z), its commitment, ξ, and
    /// the mask column's value on the last row when the mask cell falls there.
    var weightMaskPolynomial: [Fr] = []
    var weightMaskValue = Fr.zero
    var weightMaskCommitment: G1Affine?
    var xi = Fr.zero
    var maskLastRow: Fr?
    /// The value placed in the mask cells (g(z) unless a test-only hook changed it).
    var maskCell = Fr.zero

    /// Values on all n rows.
    var advice: [[Fr]]
    var adviceCommitments: [G1Affine]
    var instanceValues: [[Fr]] = []
    var challengeValues: [[Fr]] = []
    var multiplicities: [[Fr]] = []
    /// Test-only: edits table t's multiplicities (usable rows) before they are blinded and committed.
    var multiplicityTamper: ((Int, inout [Fr]) -> Void)?
    /// θ-compressed lookup inputs (rows with a non-zero selector) and table rows, without β.
    var lookupInputs: [[Fr]] = []
    var lookupTables: [[Fr]] = []
    /// Per lookup and usable row: the first table row equal to its input (−1 without a selector, or for an
    /// input outside the table).
    var lookupHitRows: [[Int32]] = []
    /// Per table (after β): 1/(β + T) on the rows that lookups hit or that carry a multiplicity.
    var tableInverses: [TableInverses] = []
    /// The running sums whose values were read off `tableInverses` (every input in its table), which
    /// `RunningSumCommitment` may therefore commit from the same steps.
    var sumsFromTableSteps: Set<Int> = []
    var products: [[Fr]] = []
    var runningSums: [[Fr]] = []

    /// Coefficients, filled in the quotient round.
    var advicePolynomials: [Polynomial] = []
    var productPolynomials: [Polynomial] = []
    var multiplicityPolynomials: [Polynomial] = []
    var runningSumPolynomials: [Polynomial] = []
    var quotientChunks: [Polynomial] = []

    /// The evaluations the proof claims (§13.1 items 1–5, then 6–9) and the two opening proofs.
    var claimedAtZeta: [Fr] = []
    var claimedAtOmegaZeta: [Fr] = []
    var openingAtZeta = G1Affine.infinity
    var openingAtOmegaZeta = G1Affine.infinity

    init(key: ProvingKey, randomness: ProverRandomness, timings: ProverTimings, publicValues: [[Fr]]) {
        self.key = key
        c = key.circuit
        n = c.rowCount
        u = c.usableRows
        domain = key.domain
        random = randomness
        self.timings = timings
        self.publicValues = publicValues
        blindingBases = SharedBasesCombination(bases: Array(key.lagrangeG1[(c.usableRows + 1)...]))
        rho = [Fr](repeating: .zero, count: c.challengeNames.count)
        advice = [[Fr]](repeating: [], count: c.adviceCount)
        adviceCommitments = [G1Affine](repeating: .infinity, count: c.adviceCount)
    }

    // MARK: Helpers

    /// n values: the usable rows, the last row's value, then 4 random rows (§3, §12).
    func blinded(_ usable: ArraySlice<Fr>, lastRow: Fr = .zero) throws -> [Fr] {
        precondition(usable.count == u, "one value per usable row")
        return Array(usable) + [lastRow] + (try random.elements(Circuit.blindingRows))
    }

    /// Commitments of columns given by their values on H: Σ v_i·[L_i(τ)]₁. The usable and last rows go
    /// through one batch of MSMs (small values take their cheap path), the four random rows through
    /// `blindingBases`.
    func commitValues(_ columns: [[Fr]], category: String) -> [G1Affine] {
        let open = u + 1
        return timings.measure(category) {
            for values in columns { precondition(values.count == n, "one value per row") }
            var scalarSets = columns.map { Array($0[0..<open]) }
            let tails = scalarSets.indices.map { ConstantTail.cut(&scalarSets[$0]) }
            let rows = key.lagrangeG1.withUnsafeBufferPointer { points in
                msmBatch(points: UnsafeBufferPointer(rebasing: points[0..<open]), table: key.lagrangeTable, scalarSets: scalarSets)
            }
            let tailSums = ConstantTail.baseSums(starts: tails.compactMap { $0?.start }, end: open, bases: key.lagrangeG1)
            let blinding = Self.concurrentMap(columns) { blindingBases.combine($0[open...]) }
            return G1Projective.batchToAffine(zip(zip(rows, tails), blinding).map { row, blind in
                guard let tail = row.1 else { return row.0 + blind }
                return row.0 + tailSums[tail.start]! * tail.value + blind
            })
        }
    }

    func commitCoefficients(_ polynomials: [Polynomial]) -> [G1Affine] {
        timings.measure("otherMSM") {
            G1Projective.batchToAffine(key.powersG1.withUnsafeBufferPointer { points in
                msmBatch(points: points, table: key.powersTable, scalarSets: polynomials.map(\.coefficients))
            })
        }
    }

    func interpolate(_ values: [Fr]) -> Polynomial {
        timings.measure("ntt") { Polynomial(coefficients: try! domain.inverseNTT(values)) }
    }

    /// Interpolates several columns at once, one column per task.
    func interpolateAll(_ columns: [[Fr]]) -> [Polynomial] {
        timings.measure("ntt") { Self.concurrentMap(columns) { Polynomial(coefficients: try! domain.inverseNTT($0)) } }
    }

    /// `items.map(transform)` with one item per task. The kernels are small at the circuits' sizes (2^9
    /// rows): running whole kernels concurrently, each on one thread, waits for the worker threads once
    /// per call instead of once per kernel stage (see `Parallel.forEach`). Results keep their order.
    static func concurrentMap<T, R>(_ items: [T], _ transform: (T) -> R) -> [R] {
        if items.count <= 1 { return items.map(transform) }
        var results = [R?](repeating: nil, count: items.count)
        results.withUnsafeMutableBufferPointer { out in
            Parallel.forEach(tasks: items.count) { out[$0] = transform(items[$0]) }
        }
        return results.map { $0! }
    }

    /// The value of column `column` at row `row` (rows wrap mod n) in the prover's current tables.
    func cell(_ column: Column, _ row: Int) -> Fr {
        let r = row & (n - 1)
        switch column.kind {
        case .advice: return advice[column.index][r]
        case .fixed: return key.fixedValues[column.index][r]
        case .instance: return instanceValues[column.index][r]
        case .challenge: return challengeValues[column.index][r]
        }
    }

    func evaluate(_ e: Expression, row: Int) -> Fr {
        e.evaluate(
            query: { q in self.cell(q.column, q.rotation == .current ? row : row + 1) },
            challenge: { self.rho[$0.index] }, linearClaim: linearClaim)
    }

    // MARK: Advice phases

    func commitAdvice(_ columns: [Int], from assignment: Assignment) throws -> [G1Affine] {
        let mask = c.hasPrivateWeights ? c.privateWeights?.maskColumn : nil
        for i in columns {
            advice[i] = try blinded(assignment.advice[i][...], lastRow: i == mask ? (maskLastRow ?? .zero) : .zero)
        }
        let commitments = commitValues(columns.map { advice[$0] }, category: "adviceMSM")
        for (i, commitment) in zip(columns, commitments) { adviceCommitments[i] = commitment }
        return commitments
    }

    /// A later phase's witness callback must not rewrite advice that was already committed.
    func requireUnchanged(_ assignment: Assignment) throws {
        for i in 0..<c.adviceCount {
            for r in 0..<u where assignment.advice[i][r] != advice[i][r] {
                throw ProverError.witnessChangedAfterCommitment(column: i, row: r)
            }
        }
    }

    var adviceCommitmentsInOrder: [G1Affine] { c.adviceCommitmentOrder.map { adviceCommitments[$0] } }

    /// Instance and challenge columns on H (the verifier evaluates the same values at ζ, §10).
    func computeVerifierColumns() {
        instanceValues = publicValues.map { $0 + [Fr](repeating: .zero, count: n - $0.count) }
        let entries = PlonkVerifier.challengeColumnEntries(c, rho: rho, publicValues: publicValues)
        challengeValues = entries.map { column in
            var values = [Fr](repeating: .zero, count: n)
            for e in column { values[e.row] = e.value }
            return values
        }
    }
}
