import FieldArithmetic

/// Collects columns, gates, lookups, copies and fixed values; `build` validates them and fixes the size.
///
///     var cs = ConstraintSystemBuilder()
///     let q = cs.fixedColumn("q_mul")
///     let a = cs.adviceColumn("a"), b = cs.adviceColumn("b"), c = cs.adviceColumn("c")
///     cs.addGate(name: "mul", selector: q, constraints: [a.cur * b.cur - c.cur])
///     cs.enable(q, row: 0)
///     let circuit = try cs.build()
///
/// Mistakes (unknown handles, bad rows, duplicate names) are collected and reported by `build`, so a
/// compiler can lay out a whole model without a `try` on every cell.
public struct ConstraintSystemBuilder: Sendable {
    private var adviceNames: [String] = []
    private var advicePhases: [Int] = []
    private var instanceNames: [String] = []
    private var instanceLengths: [Int] = []
    private var instanceBits: [Int] = []
    private var fixedNames: [String] = []
    private var fixedValues: [[Fr]] = []
    private var challengeNames: [String] = []
    private var challengePhases: [Int] = []
    private var challengeColumnNames: [String] = []
    private var segments: [[ChallengeSegment]] = []
    private var gates: [Gate] = []
    private var lookups: [LookupArgument] = []
    private var copies: [CopyConstraint] = []
    private var linearRelation: LinearRelation?
    private var requiredRows = 0
    private var errors: [ConstraintSystemError] = []

    public init() {}

    // MARK: Columns and challenges

    /// An advice (witness) column committed in `phase` (1 unless it depends on a challenge).
    public mutating func adviceColumn(_ name: String, phase: Int = 1) -> AdviceColumn {
        if !Circuit.supportedPhases.contains(phase) { errors.append(.invalidPhase(name: name, phase: phase)) }
        adviceNames.append(name)
        advicePhases.append(phase)
        return AdviceColumn(index: adviceNames.count - 1)
    }

    /// An instance column holding `length` public values at rows 0..<length, each (read as a signed integer)
    /// in [−2^(bits−1), 2^(bits−1)); `bits` = 0 leaves them unbounded (`PublicValueBound`, docs/protocol.md §10).
    public mutating func instanceColumn(_ name: String, length: Int, bits: Int = 0) -> InstanceColumn {
        instanceNames.append(name)
        instanceLengths.append(max(length, 0))
        let column = InstanceColumn(index: instanceNames.count - 1)
        if length < 0 { errors.append(.instanceOutOfRange(column, row: length, length: 0)) }
        if !(0...PublicValueBound.maximumBits).contains(bits) {
            errors.append(.invalidInstanceBound(column, bits: bits))
        }
        instanceBits.append(min(max(bits, 0), PublicValueBound.maximumBits))
        return column
    }

    public mutating func fixedColumn(_ name: String) -> FixedColumn {
        fixedNames.append(name)
        fixedValues.append([])
        return FixedColumn(index: fixedNames.count - 1)
    }

    /// A column the verifier computes from challenges and verifying-key data; define its rows with
    /// `defineChallengeValues`.
    public mutating func challengeColumn(_ name: String) -> ChallengeColumn {
        challengeColumnNames.append(name)
        segments.append([])
        return ChallengeColumn(index: challengeColumnNames.count - 1)
    }

    /// A challenge drawn after the advice of `afterPhase` is committed; advice that depends on it must have
    /// a later phase.
    public mutating func challenge(_ name: String, afterPhase: Int = 1) -> Challenge {
        if !Circuit.supportedPhases.contains(afterPhase) { errors.append(.invalidPhase(name: name, phase: afterPhase)) }
        challengeNames.append(name)
        challengePhases.append(afterPhase)
        return Challenge(index: challengeNames.count - 1)
    }

    /// The phase of a declared advice column or challenge (nil for a handle of another builder).
    public func phase(of column: AdviceColumn) -> Int? {
        advicePhases.indices.contains(column.index) ? advicePhases[column.index] : nil
    }

    public func phase(of challenge: Challenge) -> Int? {
        challengePhases.indices.contains(challenge.index) ? challengePhases[challenge.index] : nil
    }

    // MARK: Committed linear relation (docs/protocol.md §19)

    /// Gives the circuit its committed linear relation (at most one). `build` checks that its ρ and s are
    /// declared challenges with phase(ρ) < phase(s). Gates read its claim Ω as `Expression.linearClaim`;
    /// `CommittedRelationLayout` declares the columns and gates that tie it to cells.
    public mutating func setLinearRelation(_ relation: LinearRelation) {
        if linearRelation != nil {
            errors.append(.invalidLinearRelation("a circuit carries at most one committed linear relation"))
        }
        linearRelation = relation
    }

    // MARK: Constraints

    public mutating func addGate(_ gate: Gate) { gates.append(gate) }

    public mutating func addGate(name: String, selector: FixedColumn, constraints: [Expression]) {
        gates.append(Gate(name: name, selector: selector, constraints: constraints))
    }

    public mutating func addLookup(_ lookup: LookupArgument) { lookups.append(lookup) }

    /// Requires two cells to hold equal values.
    public mutating func copy(_ a: Cell, _ b: Cell) { copies.append(CopyConstraint(a, b)) }

    public mutating func setFixed(_ column: FixedColumn, row: Int, _ value: Fr) {
        guard fixedNames.indices.contains(column.index) else {
            errors.append(.unknownColumn(column.column, context: "setFixed"))
            return
        }
        guard row >= 0 else {
            errors.append(.rowOutOfRange(Cell(column, row), usableRows: 0))
            return
        }
        if fixedValues[column.index].count <= row {
            fixedValues[column.index].append(
                contentsOf: repeatElement(.zero, count: row + 1 - fixedValues[column.index].count))
        }
        fixedValues[column.index][row] = value
    }

    public mutating func setFixed(_ column: FixedColumn, row: Int, _ value: Int64) {
        setFixed(column, row: row, Fr(signed: value))
    }

    /// Sets a selector to 1 on `row`.
    public mutating func enable(_ selector: FixedColumn, row: Int) { setFixed(selector, row: row, .one) }

    /// Sets a selector to 1 on every row of `rows`.
    public mutating func enable(_ selector: FixedColumn, rows: Range<Int>) {
        for row in rows { enable(selector, row: row) }
    }

    /// Defines rows of a challenge column (see `ChallengeSegment`).
    public mutating func defineChallengeValues(_ column: ChallengeColumn, _ segment: ChallengeSegment) {
        guard segments.indices.contains(column.index) else {
            errors.append(.unknownColumn(column.column, context: "defineChallengeValues"))
            return
        }
        segments[column.index].append(segment)
    }

    /// Declares that the layout needs at least `rows` usable rows (rows advice alone occupies).
    public mutating func requireRows(_ rows: Int) { requiredRows = max(requiredRows, rows) }

    // MARK: Build

    /// Validates the circuit and fixes its size: the smallest that fits when `log2Rows` is nil, else
    /// exactly 2^log2Rows (an error names the size needed when it is too small).
    public func build(log2Rows: Int? = nil) throws -> Circuit {
        if let first = errors.first { throw first }
        try validateNames()
        for gate in gates { try validate(gate) }
        for lookup in lookups { try validate(lookup) }
        for copy in copies { try validate(copy.left); try validate(copy.right) }
        try validateSegments()
        try validateLinearRelation()

        let needed = rowsNeeded()
        // The weight blocks are committed against [τ^0 … τ^(M·N − 1)]₁: the circuit's n powers must hold them.
        let minimum = max(Circuit.minimumLog2Rows(forRows: needed), linearRelation?.shape.openingVariables ?? 0)
        let k = log2Rows ?? minimum
        guard Circuit.supportedLog2Rows.contains(k) else {
            throw ConstraintSystemError.unsupportedSize(log2Rows: k, supported: Circuit.supportedLog2Rows)
        }
        let usable = (1 << k) - Circuit.reservedRows
        if let shape = linearRelation?.shape, shape.openingVariables > k {
            throw ConstraintSystemError.invalidLinearRelation(
                "blocks of 2^\(shape.openingVariables) weights need at least 2^\(shape.openingVariables) rows; use log2 rows ≥ \(minimum)")
        }
        guard needed <= usable else {
            throw ConstraintSystemError.tooManyRows(
                rowsNeeded: needed, log2Rows: k, usableRows: usable, reservedRows: Circuit.reservedRows,
                minimumLog2Rows: minimum)
        }
        let paddedFixed = fixedValues.map { $0 + repeatElement(Fr.zero, count: usable - $0.count) }
        return Circuit(
            log2Rows: k, rowsUsed: needed, adviceNames: adviceNames, advicePhases: advicePhases,
            instanceNames: instanceNames, instanceLengths: instanceLengths, instanceBits: instanceBits,
            fixedNames: fixedNames, fixedValues: paddedFixed, challengeNames: challengeNames, challengePhases: challengePhases,
            challengeColumnNames: challengeColumnNames,
            challengeSegments: segments.map { $0.sorted { $0.startRow < $1.startRow } },
            gates: gates, lookups: lookups, copies: copies, linearRelation: linearRelation)
    }

    /// Usable rows the circuit needs: every row it touches, and for a gate or lookup that reads the next
    /// row, one more row after each row it is enabled on (that row must be usable, not the last row).
    private func rowsNeeded() -> Int {
        var needed = requiredRows
        for values in fixedValues { needed = max(needed, values.count) }
        for length in instanceLengths { needed = max(needed, length) }
        for copy in copies { needed = max(needed, copy.left.row + 1, copy.right.row + 1) }
        for column in segments {
            for s in column { needed = max(needed, s.startRow + s.rowCount) }
        }
        let nextReaders = gates.filter(\.readsNextRow).map(\.selector) + lookups.filter(\.readsNextRow).map(\.selector)
        for selector in nextReaders {
            if let last = fixedValues[selector.index].lastIndex(where: { !$0.isZero }) {
                needed = max(needed, last + 2)
            }
        }
        return needed
    }

    private func validateNames() throws {
        var seen = Set<String>()
        for name in gates.map(\.name) + lookups.map(\.name) {
            guard seen.insert(name).inserted else { throw ConstraintSystemError.duplicateName(name) }
        }
    }

    private func validate(_ column: Column, _ context: String) throws {
        let count: Int
        switch column.kind {
        case .advice: count = adviceNames.count
        case .instance: count = instanceNames.count
        case .fixed: count = fixedNames.count
        case .challenge: count = challengeColumnNames.count
        }
        guard (0..<count).contains(column.index) else {
            throw ConstraintSystemError.unknownColumn(column, context: context)
        }
    }

    private func validate(_ expression: Expression, _ context: String) throws {
        for q in expression.queries { try validate(q.column, context) }
        for c in expression.challenges where !challengeNames.indices.contains(c.index) {
            throw ConstraintSystemError.unknownChallenge(c, context: context)
        }
    }

    private func validate(_ gate: Gate) throws {
        let context = "gate \"\(gate.name)\""
        guard !gate.constraints.isEmpty else { throw ConstraintSystemError.emptyGate(gate.name) }
        try validate(gate.selector.column, context)
        for c in gate.constraints { try validate(c, context) }
    }

    private func validate(_ lookup: LookupArgument) throws {
        let context = "lookup \"\(lookup.name)\""
        guard !lookup.inputs.isEmpty, lookup.inputs.count == lookup.table.count else {
            throw ConstraintSystemError.invalidLookup(
                name: lookup.name,
                reason: "\(lookup.inputs.count) inputs for \(lookup.table.count) table columns")
        }
        try validate(lookup.selector.column, context)
        for t in lookup.table { try validate(t.column, context) }
        if let s = lookup.tableSelector { try validate(s.column, context) }
        for e in lookup.inputs { try validate(e, context) }
    }

    private func validate(_ cell: Cell) throws {
        try validate(cell.column, "copy constraint")
        guard cell.column.kind != .challenge else { throw ConstraintSystemError.copyOfChallengeColumn(cell) }
        guard cell.row >= 0 else { throw ConstraintSystemError.rowOutOfRange(cell, usableRows: 0) }
        if cell.column.kind == .instance {
            let length = instanceLengths[cell.column.index]
            guard cell.row < length else {
                throw ConstraintSystemError.instanceOutOfRange(
                    InstanceColumn(index: cell.column.index), row: cell.row, length: length)
            }
        }
    }

    private func validateLinearRelation() throws {
        let usesClaim = gates.contains { $0.constraints.contains(where: \.usesLinearClaim) }
            || lookups.contains { $0.inputs.contains(where: \.usesLinearClaim) }
        guard let shape = linearRelation?.shape else {
            if usesClaim { throw ConstraintSystemError.invalidLinearRelation("a constraint reads Ω but the circuit has no linear relation") }
            return
        }
        guard let rhoPhase = phase(of: shape.rho), let sPhase = phase(of: shape.s) else {
            throw ConstraintSystemError.invalidLinearRelation("ρ and s must be challenges declared by this circuit")
        }
        guard rhoPhase < sPhase else {
            throw ConstraintSystemError.invalidLinearRelation(
                "s (phase \(sPhase)) must be drawn after ρ (phase \(rhoPhase)) and the fold vector that depends on ρ")
        }
    }

    private func validateSegments() throws {
        for (index, column) in segments.enumerated() {
            let handle = ChallengeColumn(index: index)
            var defined = Set<Int>()
            for s in column {
                guard challengeNames.indices.contains(s.challenge.index) else {
                    throw ConstraintSystemError.unknownChallenge(s.challenge, context: "challenge column \(index)")
                }
                guard s.startRow >= 0 else {
                    throw ConstraintSystemError.rowOutOfRange(Cell(handle, s.startRow), usableRows: 0)
                }
                if case .publicFold(let m, let instance, let start) = s.source {
                    try validate(instance.column, "public fold of challenge column \(index)")
                    let length = instanceLengths[instance.index]
                    guard start >= 0, start + m.outputs <= length else {
                        throw ConstraintSystemError.instanceOutOfRange(
                            instance, row: start + m.outputs - 1, length: length)
                    }
                }
                for row in s.startRow..<(s.startRow + s.rowCount) {
                    guard defined.insert(row).inserted else {
                        throw ConstraintSystemError.overlappingSegments(handle, row: row)
                    }
                }
            }
        }
    }
}
