import ConstraintSystem
import FieldArithmetic

/// The part of a circuit the verifier needs (docs/protocol.md §2–§11): sizes, columns and phases, gates,
/// lookups, the permuted columns and the challenge-column definitions with their fold matrices. Fixed
/// values and the copy constraints themselves are not here: the verifying key carries their commitments
/// ([f_i] and [σ_i]) instead.
///
/// Made from a `Circuit` at key generation, or decoded (and validated) from a verifying key.
public struct VerifierCircuit: Sendable, Equatable, CircuitShape {
    public let log2Rows: Int
    public let adviceNames: [String]
    public let advicePhases: [Int]
    public let instanceNames: [String]
    public let instanceLengths: [Int]
    /// Bound of each instance column in bits (0 = unbounded), checked before any algebra (§15 step 1).
    public let instanceBits: [Int]
    public let fixedNames: [String]
    public let challengeNames: [String]
    public let challengePhases: [Int]
    public let challengeColumnNames: [String]
    public let challengeSegments: [[ChallengeSegment]]
    public let gates: [Gate]
    public let lookups: [LookupArgument]
    /// Columns of the permutation argument, advice then instance then fixed, each by index (§2).
    public let permutationColumns: [Column]
    /// The committed linear relation's terms and block sizes (§19; no weights): the verifying key's
    /// optional section (VerifierCircuit+LinearRelation.swift).
    public let linearRelationShape: LinearRelationShape?
    /// Set when the key's weights are private (§19.10): the relation's blocks are committed with blinding and
    /// opened by a masked Gemini proof. Never part of a `Circuit`: `setup --private-weights` chooses it.
    public let privateWeights: PrivateWeights?

    public init(_ circuit: Circuit) {
        log2Rows = circuit.log2Rows
        adviceNames = circuit.adviceNames
        advicePhases = circuit.advicePhases
        instanceNames = circuit.instanceNames
        instanceLengths = circuit.instanceLengths
        instanceBits = circuit.instanceBits
        fixedNames = circuit.fixedNames
        challengeNames = circuit.challengeNames
        challengePhases = circuit.challengePhases
        challengeColumnNames = circuit.challengeColumnNames
        challengeSegments = circuit.challengeSegments
        gates = circuit.gates
        lookups = circuit.lookups
        permutationColumns = circuit.permutationColumns
        linearRelationShape = circuit.linearRelationShape
        privateWeights = nil
    }

    init(
        log2Rows: Int, adviceNames: [String], advicePhases: [Int], instanceNames: [String], instanceLengths: [Int],
        instanceBits: [Int], fixedNames: [String], challengeNames: [String], challengePhases: [Int],
        challengeColumnNames: [String], challengeSegments: [[ChallengeSegment]], gates: [Gate], lookups: [LookupArgument],
        permutationColumns: [Column], linearRelationShape: LinearRelationShape? = nil, privateWeights: PrivateWeights? = nil
    ) {
        self.log2Rows = log2Rows
        self.adviceNames = adviceNames
        self.advicePhases = advicePhases
        self.instanceNames = instanceNames
        self.instanceLengths = instanceLengths
        self.instanceBits = instanceBits
        self.fixedNames = fixedNames
        self.challengeNames = challengeNames
        self.challengePhases = challengePhases
        self.challengeColumnNames = challengeColumnNames
        self.challengeSegments = challengeSegments
        self.gates = gates
        self.lookups = lookups
        self.permutationColumns = permutationColumns
        self.linearRelationShape = linearRelationShape
        self.privateWeights = privateWeights
    }

    /// Test-only (internal, reached through `@testable import`): the same circuit with other public-value
    /// bounds (e.g. out of range, to test the decoder).
    func withInstanceBits(_ bits: [Int]) -> VerifierCircuit {
        VerifierCircuit(
            log2Rows: log2Rows, adviceNames: adviceNames, advicePhases: advicePhases, instanceNames: instanceNames,
            instanceLengths: instanceLengths, instanceBits: bits, fixedNames: fixedNames, challengeNames: challengeNames,
            challengePhases: challengePhases, challengeColumnNames: challengeColumnNames,
            challengeSegments: challengeSegments, gates: gates, lookups: lookups, permutationColumns: permutationColumns)
    }

    // Layout, degrees, chunks and queries: `CircuitShape`.

    // MARK: Proof size (§14)

    /// Evaluations at ζ: advice, fixed, σ, permutation accumulators, then m of each lookup table and φ of each
    /// running sum (§9's batching).
    public var evaluationsAtZeta: Int {
        adviceCount + fixedCount + permutationColumns.count + permutationChunks + lookupTableGroups.count
            + lookupSums.count
    }

    /// Evaluations at ωζ: next-row advice and fixed, z, then φ of each running sum.
    public var evaluationsAtOmegaZeta: Int {
        queriedAtNext(.advice).count + queriedAtNext(.fixed).count + (permutationChunks > 0 ? 1 : 0) + lookupSums.count
    }

    public var proofCommitments: Int {
        adviceCount + lookupTableGroups.count + lookupSums.count + permutationChunks + quotientChunks + 2
    }

    /// Bytes of the proof body: 32 per compressed point and per scalar, with the committed relation's v_com
    /// and Gemini proof when it has blocks (§14); with private weights, [g] and one more Gemini variable
    /// (one fold, two values: §19.10), 128 bytes more.
    public var proofBodyBytes: Int {
        32 * (proofCommitments + evaluationsAtZeta + evaluationsAtOmegaZeta + weightOpeningPoints + weightOpeningScalars)
            + (hasPrivateWeights ? 128 : 0)
    }
}
