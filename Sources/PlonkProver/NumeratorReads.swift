import ConstraintSystem
import FieldArithmetic
import PlonkVerifier

/// What the numerator's selected terms read, found by running `Numerator.evaluate` itself on a recording
/// algebra (a term left out reads nothing): the columns, and whether any accumulator (z, π_j, m_g, φ_s).
/// The prover extends to a coset only what each part of the quotient needs.
struct NumeratorReads {
    private(set) var columns: Set<Column> = []
    private(set) var accumulators = false

    init() {}

    init(_ circuit: VerifierCircuit, terms: Numerator.Terms) {
        final class Record {
            var columns: Set<Column> = []
            var accumulators = false
        }
        let record = Record()
        let touch = { (_: Int) -> Int in
            record.accumulators = true
            return 0
        }
        let inputs = Numerator.Inputs<Int>(
            query: { q in
                record.columns.insert(q.column)
                return 0
            },
            firstRow: 0, lastRow: 0, active: 0, identity: { _ in 0 }, sigma: { _ in 0 },
            products: touch, productNext: 0, multiplicity: touch, runningSum: touch, runningSumNext: touch)
        let algebra = Numerator.Algebra<Int>(
            constant: { _ in 0 }, add: { _, _ in 0 }, subtract: { _, _ in 0 }, multiply: { _, _ in 0 }, negate: { _ in 0 },
            scale: { _, _ in 0 })
        _ = Numerator.evaluate(
            circuit, scalars: Numerator.Scalars(challenges: [Fr](repeating: .zero, count: circuit.challengePhases.count),
                                                theta: .zero, beta: .zero, gamma: .zero, alpha: .one),
            inputs: inputs, algebra: algebra, terms: terms)
        columns = record.columns
        accumulators = record.accumulators
    }
}
