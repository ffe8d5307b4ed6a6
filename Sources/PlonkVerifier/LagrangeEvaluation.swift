import FieldArithmetic

/// Lagrange polynomials of H at one point x ∉ H, for a few rows (docs/protocol.md §10):
/// L_r(x) = ω^r·(x^n − 1) / (n·(x − ω^r)). ω^r by stepping between nearby rows (a power for far ones),
/// one batch inversion for all rows plus any extra values the caller needs inverted.
struct LagrangeEvaluation {
    /// L_r(x) for each requested row.
    private(set) var basis: [Int: Fr] = [:]
    /// The inverses of `extra`, in order.
    private(set) var inverses: [Fr] = []

    /// `vanishing` is x^n − 1 (non-zero: the caller rejects x ∈ H first).
    init(rows: Set<Int>, at x: Fr, vanishing: Fr, log2Size: Int, omega: Fr, invertAlso extra: [Fr] = []) {
        let sorted = rows.sorted()
        var powers: [Fr] = []
        powers.reserveCapacity(sorted.count)
        var previousRow = -1
        var previousPower = Fr.one
        for r in sorted {
            if previousRow >= 0 && r - previousRow <= 64 {
                for _ in previousRow..<r { previousPower *= omega }
            } else {
                previousPower = omega.power(UInt64(r))
            }
            previousRow = r
            powers.append(previousPower)
        }
        var denominators = powers.map { x - $0 } + extra
        denominators.append(Fr(UInt64(1) << UInt64(log2Size)))
        Fr.batchInvert(&denominators)
        let nInverse = denominators.removeLast()
        let common = vanishing * nInverse
        for (i, r) in sorted.enumerated() { basis[r] = powers[i] * common * denominators[i] }
        inverses = Array(denominators[sorted.count...])
    }

    /// Σ value·L_row(x) over the given (row, value) pairs, whose rows were all requested.
    func combine(_ entries: [(row: Int, value: Fr)]) -> Fr {
        var sum = Fr.zero
        for e in entries where !e.value.isZero { sum += e.value * basis[e.row]! }
        return sum
    }
}
