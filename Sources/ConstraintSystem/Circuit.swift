import FieldArithmetic

/// A finished circuit: columns, gates, lookups, copies, fixed values, challenge-column definitions and the
/// row layout (docs/protocol.md §3). Made by `ConstraintSystemBuilder.build`, which validates everything,
/// so the checker, key generation and the verifier can rely on every index being in range.
///
/// Row layout for n = 2^log2Rows: rows 0..<usableRows hold the circuit; row `lastRow` (= usableRows) is
/// where the permutation product and the logUp sums close; the `blindingRows` rows after it hold random
/// values in every prover-committed column.
public struct Circuit: Sendable, CircuitShape {
    /// Random rows per committed column: it is committed once, opened at ≤ 2 points and enters the
    /// quotient's commitment, so 4 random values hide it (docs/protocol.md §12).
    public static let blindingRows = 4
    /// The blinding rows plus the last row.
    public static let reservedRows = blindingRows + 1
    /// 2^3 rows leave 3 usable; 2^28 is the largest power-of-two domain of Fr.
    public static let supportedLog2Rows: ClosedRange<Int> = 3...28
    /// Phases are 1…64: rounds of the transcript, walked one by one by prover and verifier (a key from
    /// untrusted bytes with thousands of phases would cost phases × columns; real circuits use 1 and 2).
    public static let supportedPhases: ClosedRange<Int> = 1...64

    public let log2Rows: Int
    /// The highest row index the circuit touches, plus one (≤ usableRows).
    public let rowsUsed: Int

    public let adviceNames: [String]
    /// Phase of each advice column (1 = committed first).
    public let advicePhases: [Int]
    public let instanceNames: [String]
    /// Number of public values in each instance column; they occupy rows 0..<length.
    public let instanceLengths: [Int]
    /// Bound of each instance column in bits (`PublicValueBound`; 0 = unbounded).
    public let instanceBits: [Int]
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
    /// The committed linear relation (docs/protocol.md §19), if the circuit has one: its terms and the
    /// weights of its blocks. Gates read its claim Ω through `Expression.linearClaim`.
    public let linearRelation: LinearRelation?

    public var linearRelationShape: LinearRelationShape? { linearRelation?.shape }

    init(
        log2Rows: Int, rowsUsed: Int, adviceNames: [String], advicePhases: [Int], instanceNames: [String],
        instanceLengths: [Int], instanceBits: [Int], fixedNames: [String], fixedValues: [[Fr]], challengeNames: [String],
        challengePhases: [Int], challengeColumnNames: [String], challengeSegments: [[ChallengeSegment]],
        gates: [Gate], lookups: [LookupArgument], copies: [CopyConstraint], linearRelation: LinearRelation? = nil
    ) {
        self.log2Rows = log2Rows
        self.rowsUsed = rowsUsed
        self.adviceNames = adviceNames
        self.advicePhases = advicePhases
        self.instanceNames = instanceNames
        self.instanceLengths = instanceLengths
        self.instanceBits = instanceBits
        self.fixedNames = fixedNames
        self.fixedValues = fixedValues
        self.challengeNames = challengeNames
        self.challengePhases = challengePhases
        self.challengeColumnNames = challengeColumnNames
        self.challengeSegments = challengeSegments
        self.gates = gates
        self.lookups = lookups
        self.copies = copies
        self.linearRelation = linearRelation
    }

    /// Test-only (internal, reached through `@testable import`): the same circuit with other public-value
    /// bounds, e.g. none, to show in a test what the bounds prevent.
    func withInstanceBits(_ bits: [Int]) -> Circuit {
        precondition(bits.count == instanceNames.count)
        return Circuit(
            log2Rows: log2Rows, rowsUsed: rowsUsed, adviceNames: adviceNames, advicePhases: advicePhases,
            instanceNames: instanceNames, instanceLengths: instanceLengths, instanceBits: bits, fixedNames: fixedNames,
            fixedValues: fixedValues, challengeNames: challengeNames, challengePhases: challengePhases,
            challengeColumnNames: challengeColumnNames, challengeSegments: challengeSegments, gates: gates,
            lookups: lookups, copies: copies, linearRelation: linearRelation)
    }

    /// Test-only (internal, reached through `@testable import`): the same circuit with another linear relation,
    /// e.g. a key's relation with one term edited, to show that the verifier rejects a witness of the true one.
    func withLinearRelation(_ relation: LinearRelation?) -> Circuit {
        Circuit(
            log2Rows: log2Rows, rowsUsed: rowsUsed, adviceNames: adviceNames, advicePhases: advicePhases,
            instanceNames: instanceNames, instanceLengths: instanceLengths, instanceBits: instanceBits, fixedNames: fixedNames,
            fixedValues: fixedValues, challengeNames: challengeNames, challengePhases: challengePhases,
            challengeColumnNames: challengeColumnNames, challengeSegments: challengeSegments, gates: gates,
            lookups: lookups, copies: copies, linearRelation: relation)
    }

    // MARK: Layout (rows, degrees, chunks, queries: `CircuitShape`)

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

    /// Columns that take part in copy constraints, in the order of the permutation argument: advice, then
    /// instance, then fixed, each by index.
    public var permutationColumns: [Column] {
        Array(Set(copies.flatMap { [$0.left.column, $0.right.column] })).sorted()
    }

    /// Advice columns opened at ωζ (queried at the next row), by index.
    public var adviceQueriedAtNext: [AdviceColumn] { queriedAtNext(.advice).map(AdviceColumn.init(index:)) }

    /// Fixed columns opened at ωζ, by index.
    public var fixedQueriedAtNext: [FixedColumn] { queriedAtNext(.fixed).map(FixedColumn.init(index:)) }

    // MARK: Values

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
