import ConstraintSystem
import FieldArithmetic

/// The part of a circuit the verifier needs (docs/protocol.md §2–§11): sizes, columns and phases, gates,
/// lookups, the permuted columns and the challenge-column definitions with their fold matrices. Fixed
/// values and the copy constraints themselves are not here: the verifying key carries their commitments
/// ([f_i] and [σ_i]) instead.
///
/// Made from a `Circuit` at key generation, or decoded (and validated) from a verifying key.
public struct VerifierCircuit: Sendable, Equatable {
    public let log2Rows: Int
    public let adviceNames: [String]
    public let advicePhases: [Int]
    public let instanceNames: [String]
    public let instanceLengths: [Int]
    public let fixedNames: [String]
    public let challengeNames: [String]
    public let challengePhases: [Int]
    public let challengeColumnNames: [String]
    public let challengeSegments: [[ChallengeSegment]]
    public let gates: [Gate]
    public let lookups: [LookupArgument]
    /// Columns of the permutation argument, advice then instance then fixed, each by index (§2).
    public let permutationColumns: [Column]

    public init(_ circuit: Circuit) {
        log2Rows = circuit.log2Rows
        adviceNames = circuit.adviceNames
        advicePhases = circuit.advicePhases
        instanceNames = circuit.instanceNames
        instanceLengths = circuit.instanceLengths
        fixedNames = circuit.fixedNames
        challengeNames = circuit.challengeNames
        challengePhases = circuit.challengePhases
        challengeColumnNames = circuit.challengeColumnNames
        challengeSegments = circuit.challengeSegments
        gates = circuit.gates
        lookups = circuit.lookups
        permutationColumns = circuit.permutationColumns
    }

    init(
        log2Rows: Int, adviceNames: [String], advicePhases: [Int], instanceNames: [String], instanceLengths: [Int],
        fixedNames: [String], challengeNames: [String], challengePhases: [Int], challengeColumnNames: [String],
        challengeSegments: [[ChallengeSegment]], gates: [Gate], lookups: [LookupArgument], permutationColumns: [Column]
    ) {
        self.log2Rows = log2Rows
        self.adviceNames = adviceNames
        self.advicePhases = advicePhases
        self.instanceNames = instanceNames
        self.instanceLengths = instanceLengths
        self.fixedNames = fixedNames
        self.challengeNames = challengeNames
        self.challengePhases = challengePhases
        self.challengeColumnNames = challengeColumnNames
        self.challengeSegments = challengeSegments
        self.gates = gates
        self.lookups = lookups
        self.permutationColumns = permutationColumns
    }

    // MARK: Layout (§3)

    public var rowCount: Int { 1 << log2Rows }
    public var usableRows: Int { rowCount - Circuit.reservedRows }
    public var lastRow: Int { usableRows }

    public var adviceCount: Int { adviceNames.count }
    public var fixedCount: Int { fixedNames.count }
    public var instanceCount: Int { instanceNames.count }

    /// The distinct phases of advice columns and challenges, in commitment order (§5).
    public var phases: [Int] { Array(Set(advicePhases + challengePhases)).sorted() }

    /// Advice column indices in commitment order: phase by phase, by index within a phase (§5, §14).
    public var adviceCommitmentOrder: [Int] {
        phases.flatMap { p in advicePhases.indices.filter { advicePhases[$0] == p } }
    }

    // MARK: Degrees and chunks (§7, §8)

    public var quotientDegree: Int {
        max(3, gates.map(\.degree).max() ?? 0, lookups.map(\.degree).max() ?? 0)
    }

    public var quotientChunks: Int { quotientDegree - 1 }
    public var permutationChunkSize: Int { quotientDegree - 2 }

    public var permutationChunks: Int {
        let p = permutationColumns.count
        return p == 0 ? 0 : (p + permutationChunkSize - 1) / permutationChunkSize
    }

    /// Columns of chunk j (0-based here; §8 numbers them from 1) as indices into `permutationColumns`.
    public func permutationChunk(_ j: Int) -> Range<Int> {
        let s = permutationChunkSize
        return (j * s)..<min((j + 1) * s, permutationColumns.count)
    }

    /// Every query of a gate or lookup (selectors and tables included), sorted.
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

    /// Indices of the columns of `kind` read at the next row, ascending.
    public func queriedAtNext(_ kind: ColumnKind) -> [Int] {
        allQueries.filter { $0.column.kind == kind && $0.rotation == .next }.map(\.column.index)
    }

    // MARK: Proof size (§14)

    /// Evaluations at ζ: advice, fixed, σ, permutation accumulators, then m and φ of each lookup.
    public var evaluationsAtZeta: Int {
        adviceCount + fixedCount + permutationColumns.count + permutationChunks + 2 * lookups.count
    }

    /// Evaluations at ωζ: next-row advice and fixed, z, then φ of each lookup.
    public var evaluationsAtOmegaZeta: Int {
        queriedAtNext(.advice).count + queriedAtNext(.fixed).count + (permutationChunks > 0 ? 1 : 0) + lookups.count
    }

    public var proofCommitments: Int {
        adviceCount + 2 * lookups.count + permutationChunks + quotientChunks + 2
    }

    /// Bytes of the proof body: 32 per compressed point and per scalar.
    public var proofBodyBytes: Int { 32 * (proofCommitments + evaluationsAtZeta + evaluationsAtOmegaZeta) }

    public func name(of column: Column) -> String {
        switch column.kind {
        case .advice: return adviceNames[column.index]
        case .instance: return instanceNames[column.index]
        case .fixed: return fixedNames[column.index]
        case .challenge: return challengeColumnNames[column.index]
        }
    }
}
