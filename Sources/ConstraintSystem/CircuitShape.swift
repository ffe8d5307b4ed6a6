/// What the prover's circuit (`Circuit`) and the verifier's (`PlonkVerifier.VerifierCircuit`) share: sizes,
/// columns, phases, gates and lookups. The layout, degrees, chunks and queries of docs/protocol.md §3–§8
/// follow from these alone, so they are written once, here.
public protocol CircuitShape {
    var log2Rows: Int { get }
    var adviceNames: [String] { get }
    var advicePhases: [Int] { get }
    var instanceNames: [String] { get }
    /// Bound of each instance column's public values in bits (0 = unbounded; `PublicValueBound`).
    var instanceBits: [Int] { get }
    var fixedNames: [String] { get }
    var challengePhases: [Int] { get }
    var challengeColumnNames: [String] { get }
    var gates: [Gate] { get }
    var lookups: [LookupArgument] { get }
    /// Columns of the permutation argument, advice then instance then fixed, each by index (§2).
    var permutationColumns: [Column] { get }
    /// The committed linear relation's shape (§19), if any.
    var linearRelationShape: LinearRelationShape? { get }
}

extension CircuitShape {
    // MARK: Layout (§3)

    /// n.
    public var rowCount: Int { 1 << log2Rows }
    /// u = n − 5: rows 0..<u carry the circuit.
    public var usableRows: Int { rowCount - Circuit.reservedRows }
    /// Row u, where running products and sums close.
    public var lastRow: Int { usableRows }

    public var adviceCount: Int { adviceNames.count }
    public var fixedCount: Int { fixedNames.count }
    public var instanceCount: Int { instanceNames.count }
    /// The bound of each instance column's public values (§10).
    public var instanceBounds: [PublicValueBound] { instanceBits.map(PublicValueBound.init(bits:)) }

    /// The distinct phases of advice columns and challenges, in commitment order (§5), e.g. [1, 2].
    public var phases: [Int] { Array(Set(advicePhases + challengePhases)).sorted() }

    /// Advice column indices in commitment order: phase by phase, by index within a phase (§5, §14).
    public var adviceCommitmentOrder: [Int] {
        phases.flatMap { p in advicePhases.indices.filter { advicePhases[$0] == p } }
    }

    // MARK: Degrees and chunks (§7, §8)

    /// The largest gate degree, selector included.
    public var maxGateDegree: Int { gates.map(\.degree).max() ?? 0 }

    /// d₀: the largest constraint degree — gates, a lookup alone with its table (§9), and at least 3 so the
    /// permutation can take one column per chunk.
    public var constraintDegree: Int { max(3, maxGateDegree, lookups.map(\.degree).max() ?? 0) }

    /// D: the quotient's degree bound (§7), at least d₀; `LookupSum.quotientDegree(constraintDegree:tables:permutationColumns:)`
    /// picks it from d₀, the lookups' input degrees table by table and the permuted columns. The quotient has D − 1
    /// chunks.
    public var quotientDegree: Int {
        LookupSum.quotientDegree(constraintDegree: constraintDegree,
                            tables: lookupTableGroups.map { $0.map { lookups[$0].inputDegree } },
                            permutationColumns: permutationColumns.count)
    }

    public var quotientChunks: Int { quotientDegree - 1 }

    /// Columns per permutation chunk: a chunk's constraint q_active·(π_j·g_j − π_{j−1}·f_j) has degree
    /// chunk size + 2, which must not exceed D.
    public var permutationChunkSize: Int { quotientDegree - 2 }

    /// Number of permutation accumulators (z and the π_j), 0 without copies.
    public var permutationChunks: Int {
        let p = permutationColumns.count
        return p == 0 ? 0 : (p + permutationChunkSize - 1) / permutationChunkSize
    }

    /// Columns of chunk j (0-based here; §8 numbers them from 1) as indices into `permutationColumns`.
    public func permutationChunk(_ j: Int) -> Range<Int> {
        let s = permutationChunkSize
        return (j * s)..<min((j + 1) * s, permutationColumns.count)
    }

    // MARK: Queries

    /// Every query made by a gate or lookup (selectors and tables included), sorted.
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

    /// Indices of the columns of `kind` read at the next row (opened at ωζ), ascending.
    public func queriedAtNext(_ kind: ColumnKind) -> [Int] {
        allQueries.filter { $0.column.kind == kind && $0.rotation == .next }.map(\.column.index)
    }

    // MARK: Committed linear relation (§19)

    /// Whether proofs carry v_com and a Gemini opening: the relation has committed blocks. A relation of
    /// constant terms only needs neither (Ω is then computed from the terms alone).
    public var hasWeightOpening: Bool { !(linearRelationShape?.blockShapes.isEmpty ?? true) }

    /// ℓ of the weight opening (0 without one).
    public var weightOpeningVariables: Int { hasWeightOpening ? linearRelationShape!.openingVariables : 0 }

    /// Points and scalars the committed relation adds to a proof body (§14): v_com, then the Gemini proof's
    /// ℓ − 1 folds and 3 witnesses and its 2ℓ evaluations.
    public var weightOpeningPoints: Int { hasWeightOpening ? weightOpeningVariables + 2 : 0 }
    public var weightOpeningScalars: Int { hasWeightOpening ? 1 + 2 * weightOpeningVariables : 0 }

    /// Whether some gate or lookup reads the linear claim Ω.
    public var usesLinearClaim: Bool {
        gates.contains { $0.constraints.contains(where: \.usesLinearClaim) }
            || lookups.contains { $0.inputs.contains(where: \.usesLinearClaim) }
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
}
