import FieldArithmetic

/// A finished circuit: columns, gates, lookups, copies, fixed values, challenge-column definitions and the
/// row layout (docs/protocol.md §3). Made by `ConstraintSystemBuilder.build`, which validates everything,
/// so the checker, key generation and the verifier can rely on every index being in range.
///
/// Row layout for n = 2^log2Rows: rows 0..<usableRows hold the circuit; row `lastRow` (= usableRows) is
/// where the permutation product and the logUp sums close; the `blindingRows` rows after it hold random
/// values in every prover-committed column.
public struct Circuit: Sendable {
    /// Random rows per committed column: it is committed once, opened at ≤ 2 points and enters the
    /// quotient's commitment, so 4 random values hide it (docs/protocol.md §12).
    public static let blindingRows = 4
    /// The blinding rows plus the last row.
    public static let reservedRows = blindingRows + 1
    /// 2^3 rows leave 3 usable; 2^28 is the largest power-of-two domain of Fr.
    public static let supportedLog2Rows: ClosedRange<Int> = 3...28

    public let log2Rows: Int
    /// The highest row index the circuit touches, plus one (≤ usableRows).
    public let rowsUsed: Int

    public let adviceNames: [String]
    /// Phase of each advice column (1 = committed first).
    public let advicePhases: [Int]
    public let instanceNames: [String]
    /// Number of public values in each instance column; they occupy rows 0..<length.
    public let instanceLengths: [Int]
    public let fixedNames: [String]
    /// Fixed values, `usableRows` per column (zero on the reserved rows by construction).
    public let fixedValues: [[Fr]]
    public let challengeNames: [String]
    /// A challenge of phase p is drawn after the advice columns of phase p are committed.
    public let challengePhases: [Int]
    public let challengeColumnNames: [String]
    /// Segments of each challenge column, sorted by start row; rows outside every segment are zero.
    public let challengeSegments: [[ChallengeSegment]]
    public let gates: [Gate]
    public let lookups: [LookupArgument]
    public let copies: [CopyConstraint]

    init(
        log2Rows: Int, rowsUsed: Int, adviceNames: [String], advicePhases: [Int], instanceNames: [String],
        instanceLengths: [Int], fixedNames: [String], fixedValues: [[Fr]], challengeNames: [String],
        challengePhases: [Int], challengeColumnNames: [String], challengeSegments: [[ChallengeSegment]],
        gates: [Gate], lookups: [LookupArgument], copies: [CopyConstraint]
    ) {
        self.log2Rows = log2Rows
        self.rowsUsed = rowsUsed
        self.adviceNames = adviceNames
        self.advicePhases = advicePhases
        self.instanceNames = instanceNames
        self.instanceLengths = instanceLengths
        self.fixedNames = fixedNames
        self.fixedValues = fixedValues
        self.challengeNames = challengeNames
        self.challengePhases = challengePhases
        self.challengeColumnNames = challengeColumnNames
        self.challengeSegments = challengeSegments
        self.gates = gates
        self.lookups = lookups
        self.copies = copies
    }

    // MARK: Layout

    /// n.
    public var rowCount: Int { 1 << log2Rows }
    /// u = n − 5: rows 0..<u carry the circuit.
    public var usableRows: Int { rowCount - Self.reservedRows }
    /// Row u, where running products and sums close.
    public var lastRow: Int { usableRows }

    /// The smallest log2 size whose usable rows hold `rows` rows.
    public static func minimumLog2Rows(forRows rows: Int) -> Int {
        var k = supportedLog2Rows.lowerBound
        while (1 << k) - reservedRows < rows { k += 1 }
        return k
    }

    // MARK: Derived shape (docs/protocol.md §7–§10)

    public var adviceColumns: [AdviceColumn] { adviceNames.indices.map(AdviceColumn.init(index:)) }
    public var fixedColumns: [FixedColumn] { fixedNames.indices.map(FixedColumn.init(index:)) }
    public var instanceColumns: [InstanceColumn] { instanceNames.indices.map(InstanceColumn.init(index:)) }

    /// The distinct advice phases in commitment order, e.g. [1, 2].
    public var phases: [Int] { Array(Set(advicePhases + challengePhases)).sorted() }

    /// Columns that take part in copy constraints, in the order of the permutation argument: advice, then
    /// instance, then fixed, each by index.
    public var permutationColumns: [Column] {
        Array(Set(copies.flatMap { [$0.left.column, $0.right.column] })).sorted()
    }

    /// The largest gate degree, selector included.
    public var maxGateDegree: Int { gates.map(\.degree).max() ?? 0 }

    /// D: the maximum degree over all constraints of the quotient (gates, logUp, and at least 3 so the
    /// permutation can take one column per chunk). The quotient has D − 1 chunks.
    public var quotientDegree: Int {
        max(3, maxGateDegree, lookups.map(\.degree).max() ?? 0)
    }

    /// Columns per permutation chunk: a chunk's constraint q_active·(π_j·g_j − π_{j−1}·f_j) has degree
    /// chunk size + 2, which must not exceed D.
    public var permutationChunkSize: Int { quotientDegree - 2 }

    /// Number of permutation accumulators (z and the π_j), 0 without copies.
    public var permutationChunks: Int {
        let p = permutationColumns.count
        return p == 0 ? 0 : (p + permutationChunkSize - 1) / permutationChunkSize
    }

    /// Every query made by a gate or lookup (selectors included), sorted.
    public var allQueries: [Query] {
        var set = Set<Query>()
        for gate in gates {
            set.insert(Query(gate.selector.column, .current))
            for c in gate.constraints { set.formUnion(c.queries) }
        }
        for lookup in lookups {
            set.insert(Query(lookup.selector.column, .current))
            for e in lookup.inputs { set.formUnion(e.queries) }
            for t in lookup.table { set.insert(Query(t.column, .current)) }
            if let s = lookup.tableSelector { set.insert(Query(s.column, .current)) }
        }
        return set.sorted()
    }

    /// Advice columns opened at ωζ (queried at the next row), by index.
    public var adviceQueriedAtNext: [AdviceColumn] {
        allQueries.filter { $0.column.kind == .advice && $0.rotation == .next }.map { AdviceColumn(index: $0.column.index) }
    }

    /// Fixed columns opened at ωζ, by index.
    public var fixedQueriedAtNext: [FixedColumn] {
        allQueries.filter { $0.column.kind == .fixed && $0.rotation == .next }.map { FixedColumn(index: $0.column.index) }
    }

    // MARK: Names for reports

    public func name(of column: Column) -> String {
        switch column.kind {
        case .advice: return adviceNames[column.index]
        case .instance: return instanceNames[column.index]
        case .fixed: return fixedNames[column.index]
        case .challenge: return challengeColumnNames[column.index]
        }
    }

    /// The fixed value at `row` (zero on the reserved rows).
    public func fixedValue(_ column: FixedColumn, row: Int) -> Fr {
        row < usableRows ? fixedValues[column.index][row] : .zero
    }

    /// The values of every challenge column on rows 0..<usableRows, given the challenge values and the
    /// public values. Nil for a column one of whose challenges has no value. The prover interpolates these;
    /// the verifier evaluates the same values at ζ (docs/protocol.md §10).
    public func challengeColumnValues(
        challenges: [Fr?], instance: (InstanceColumn, Int) -> Fr
    ) -> [[Fr]?] {
        challengeSegments.map { segments in
            var column = [Fr](repeating: .zero, count: usableRows)
            for segment in segments {
                guard let rho = challenges[segment.challenge.index] else { return nil }
                for (row, value) in segment.values(challenge: rho, instance: instance) { column[row] = value }
            }
            return column
        }
    }
}
