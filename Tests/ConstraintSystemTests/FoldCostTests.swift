import FieldArithmetic
import TestSupport
import Testing

@testable import ConstraintSystem

/// The fold the verifier recomputes from a key (`ChallengeSegment.values`) costs O(stored entries), never
/// O(powers) or O(outputs): both are counts in an untrusted key (docs/proof-format.md, "Decoder bounds").
/// These tests check it against the definition Σ_i ρ^i·M[i][j] (`fold(powersOfChallenge:)`) on sparse
/// matrices with long gaps between powers, and on matrices whose declared size would need gigabytes.
struct FoldCostTests {
    /// Random sparse matrices whose powers jump by up to 5000 (the power walk's square-and-multiply path)
    /// and by 1 (its stepping path), folded as a column and as a public fold, against the definition.
    @Test func sparseFoldWithGapsMatchesTheDefinition() throws {
        var rng = SeededRandom(seed: 0xF01D)
        for round in 0..<20 {
            let outputs = 1 + Int(rng.next() % 40)
            var power = 0
            var entries: [FoldMatrix.Entry] = []
            for _ in 0..<(1 + Int(rng.next() % 30)) {
                power += rng.next() % 3 == 0 ? Int(rng.next() % 5000) : Int(rng.next() % 3)
                for j in 0..<outputs where rng.next() % 3 == 0 {
                    entries.append(.init(power: power, output: j, value: Int64(rng.next() % 41) - 20))
                }
                power += 1
            }
            let matrix = try FoldMatrix(powers: power + Int(rng.next() % 5), outputs: outputs, entries: entries)
            let rho = rng.element()
            // The definition with every power written out (fine at these sizes).
            var powers = [Fr](repeating: .one, count: matrix.powers)
            for i in 1..<max(1, matrix.powers) { powers[i] = powers[i - 1] * rho }
            let u = matrix.fold(powersOfChallenge: powers)

            let column = ChallengeSegment(challenge: Challenge(index: 0), startRow: 3, source: .fold(matrix))
            let values = column.values(challenge: rho) { _, _ in .zero }
            let expected = u.enumerated().filter { !$0.element.isZero }.map { (row: 3 + $0.offset, value: $0.element) }
            #expect(values.map(\.row) == expected.map(\.row), "round \(round)")
            #expect(values.map(\.value) == expected.map(\.value), "round \(round)")

            // Public values: small integers (exact Int64 path), one of 2^40 and one field element (field path).
            let x: [Fr] = (0..<outputs).map { j in
                j == 1 ? Fr(UInt64(1) << 40) : j == 2 ? rng.element() : Fr(signed: Int64(rng.next() % 2001) - 1000)
            }
            let publicFold = ChallengeSegment(
                challenge: Challenge(index: 0), startRow: 0,
                source: .publicFold(matrix, instance: InstanceColumn(index: 0), instanceStart: 0))
            let total = zip(u, x).reduce(Fr.zero) { $0 + $1.0 * $1.1 }
            let got = publicFold.values(challenge: rho) { _, row in x[row] }
            #expect(got.map(\.value) == (total.isZero ? [] : [total]), "round \(round)")
        }
    }

    /// More outputs than entries: the fold merges sorted contributions instead of allocating every output,
    /// and gives the same rows.
    @Test func manyOutputsFewEntriesMergesContributions() throws {
        let entries: [FoldMatrix.Entry] = [
            .init(power: 0, output: 900, value: 3), .init(power: 0, output: 10_000, value: -1),
            .init(power: 5, output: 900, value: 2), .init(power: 70, output: 10, value: 7),
            .init(power: 70, output: 900, value: -2),
        ]
        let matrix = try FoldMatrix(powers: 100, outputs: 20_000, entries: entries)
        let rho = Fr(UInt64(11))
        var powers = [Fr](repeating: .one, count: 100)
        for i in 1..<100 { powers[i] = powers[i - 1] * rho }
        let u = matrix.fold(powersOfChallenge: powers)
        let folded = matrix.foldNonZero(challenge: rho)
        #expect(folded.map(\.output) == [10, 900, 10_000])
        #expect(folded.map(\.value) == [u[10], u[900], u[10_000]])
    }

    /// A matrix declaring 2^28 powers and 2^28 outputs with one entry at the last power: a few bytes of
    /// key. Folding it must not allocate either size (the old fold wrote out all 2^28 powers: 8 GiB); it
    /// returns the single non-zero value ρ^(2^28 − 1)·5.
    @Test func hugeDeclaredSizesFoldInConstantMemory() throws {
        let last = (1 << 28) - 1
        let matrix = try FoldMatrix(
            powers: 1 << 28, outputs: 1 << 28, entries: [.init(power: last, output: last, value: 5)])
        let rho = Fr(UInt64(3))
        let column = ChallengeSegment(challenge: Challenge(index: 0), startRow: 0, source: .fold(matrix))
        let values = column.values(challenge: rho) { _, _ in .zero }
        #expect(values.count == 1 && values[0].row == last)
        #expect(values.first?.value == rho.power(UInt64(last)) * Fr(UInt64(5)))
        let empty = try FoldMatrix(powers: 1 << 28, outputs: 1 << 28, entries: [])
        #expect(ChallengeSegment(challenge: Challenge(index: 0), startRow: 0, source: .fold(empty))
            .values(challenge: rho) { _, _ in .zero }.isEmpty)
        let publicFold = ChallengeSegment(
            challenge: Challenge(index: 0), startRow: 0,
            source: .publicFold(matrix, instance: InstanceColumn(index: 0), instanceStart: 0))
        let total = publicFold.values(challenge: rho) { _, row in Fr(UInt64(row == last ? 2 : 0)) }
        #expect(total.first?.value == rho.power(UInt64(last)) * Fr(UInt64(10)))
    }
}
