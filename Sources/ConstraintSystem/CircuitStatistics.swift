/// What a proof for a circuit contains, counted as in docs/protocol.md §14. The prover and verifier
/// implement the format; this is the same arithmetic for statistics and for their tests to agree with.
public struct ProofShape: Hashable, Sendable {
    public let adviceCommitments: Int
    public let multiplicityCommitments: Int
    public let permutationCommitments: Int
    public let logUpCommitments: Int
    public let quotientCommitments: Int
    public let openingCommitments: Int
    /// Evaluations at ζ: advice, fixed, σ, permutation accumulators, m of each lookup table, φ of each running sum.
    public let evaluationsAtZeta: Int
    /// Evaluations at ωζ: next-row advice and fixed columns, z, φ of each running sum.
    public let evaluationsAtOmegaZeta: Int
    /// The committed linear relation's opening (§19): v_com and the Gemini proof (0 without blocks); with private
    /// weights (§19.10) [g] and ω̂ instead of v_com and one more Gemini variable: 2 points and 2 scalars more.
    public let weightOpeningPoints: Int
    public let weightOpeningScalars: Int

    /// `privateWeights`: the proof of a key made by `zkinfer setup --private-weights` (docs/protocol.md §19.10).
    public init(_ circuit: Circuit, privateWeights: Bool = false) {
        let tables = circuit.lookupTableGroups.count, sums = circuit.lookupSums.count
        let chunks = circuit.permutationChunks
        adviceCommitments = circuit.adviceNames.count
        multiplicityCommitments = tables
        permutationCommitments = chunks
        logUpCommitments = sums
        quotientCommitments = circuit.quotientDegree - 1
        openingCommitments = 2
        evaluationsAtZeta =
            circuit.adviceNames.count + circuit.fixedNames.count + circuit.permutationColumns.count + chunks
            + tables + sums
        evaluationsAtOmegaZeta =
            circuit.adviceQueriedAtNext.count + circuit.fixedQueriedAtNext.count + (chunks > 0 ? 1 : 0) + sums
        let hidden = privateWeights && circuit.hasWeightOpening ? 2 : 0
        weightOpeningPoints = circuit.weightOpeningPoints + hidden
        weightOpeningScalars = circuit.weightOpeningScalars + hidden
    }

    /// Bytes a private-weights proof (§19.10) adds to a public one: [g] and one more Gemini fold, two values.
    public static let privateWeightsExtraBytes = 128

    public var commitments: Int {
        adviceCommitments + multiplicityCommitments + permutationCommitments + logUpCommitments
            + quotientCommitments + openingCommitments + weightOpeningPoints
    }

    public var evaluations: Int { evaluationsAtZeta + evaluationsAtOmegaZeta + weightOpeningScalars }

    /// Compressed G1 points and scalars are 32 bytes each (docs/encodings.md).
    public var bytes: Int { 32 * (commitments + evaluations) }
}

/// Size and shape of a circuit, for researchers and for the compiler's `stats` command.
public struct CircuitStatistics: Hashable, Sendable {
    public let log2Rows: Int
    public let rowCount: Int
    public let usableRows: Int
    public let reservedRows: Int
    public let rowsUsed: Int
    public let adviceColumns: Int
    public let phases: Int
    public let instanceColumns: Int
    public let publicValues: Int
    public let fixedColumns: Int
    public let challengeColumns: Int
    public let challenges: Int
    public let gates: Int
    public let maxGateDegree: Int
    public let quotientDegree: Int
    public let copies: Int
    public let permutationColumns: Int
    public let lookups: Int
    /// Non-zero integers the verifier folds at its challenges (weights, biases, ±1 power entries).
    public let foldEntries: Int
    /// Advice cells the assignment set, when one was given.
    public let assignedAdviceCells: Int?
    /// Advice cells available: columns × usable rows.
    public let adviceCellCapacity: Int
    public let proof: ProofShape
    /// G1 points of the SRS the circuit needs (τ^0 … τ^(n−1)); docs/protocol.md §12.
    public let srsPoints: Int

    public init(_ circuit: Circuit, assignment: Assignment? = nil) {
        log2Rows = circuit.log2Rows
        rowCount = circuit.rowCount
        usableRows = circuit.usableRows
        reservedRows = Circuit.reservedRows
        rowsUsed = circuit.rowsUsed
        adviceColumns = circuit.adviceNames.count
        phases = circuit.phases.count
        instanceColumns = circuit.instanceNames.count
        publicValues = circuit.instanceLengths.reduce(0, +)
        fixedColumns = circuit.fixedNames.count
        challengeColumns = circuit.challengeColumnNames.count
        challenges = circuit.challengeNames.count
        gates = circuit.gates.count
        maxGateDegree = circuit.maxGateDegree
        quotientDegree = circuit.quotientDegree
        copies = circuit.copies.count
        permutationColumns = circuit.permutationColumns.count
        lookups = circuit.lookups.count
        foldEntries = circuit.challengeSegments.joined().reduce(0) { $0 + $1.matrix.nonZeroCount }
        assignedAdviceCells = assignment?.assignedAdviceCells
        adviceCellCapacity = circuit.adviceNames.count * circuit.usableRows
        proof = ProofShape(circuit)
        srsPoints = circuit.rowCount
    }
}
