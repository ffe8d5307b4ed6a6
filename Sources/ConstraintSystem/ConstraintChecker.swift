import FieldArithmetic

/// Checks a witness directly against its circuit, the way the proof would but without any cryptography
/// (like halo2's MockProver): every gate on every enabled row, every lookup input, every copy, every public
/// value. Returns *all* failures with names, rows and cell values.
///
/// What it checks is exactly what the protocol enforces on the usable rows (docs/protocol.md §6–§9), so a
/// witness it accepts gives a proof that verifies, and one it rejects cannot (except with the protocol's
/// soundness error). Challenge columns and challenge scalars take the values stored in the assignment; the
/// linear claim Ω (§19.6) is computed exactly from the circuit's linear relation and weights at the
/// assignment's ρ and s (`LinearRelation.claim`), so a witness whose committed relation does not hold fails a
/// gate that reads Ω or a running sum that must close.
///
/// `linearClaim`: Ω when the caller has already computed it from the same weights at the assignment's ρ and s
/// (the prover evaluates f = Σ c_b·k_b at the opening point anyway, §19.6), so that the weights are not
/// evaluated a second time; nil computes it here.
public enum ConstraintChecker {
    public static func check(_ circuit: Circuit, _ assignment: Assignment, linearClaim: Fr? = nil) -> [ConstraintFailure] {
        var run = CheckRun(circuit: circuit, assignment: assignment, linearClaim: linearClaim)
        run.checkChallenges()
        run.checkPublicValues()
        for gate in circuit.gates { run.check(gate) }
        for lookup in circuit.lookups { run.check(lookup) }
        for copy in circuit.copies { run.check(copy) }
        return run.failures
    }

    /// Throws every failure at once when the witness does not satisfy the circuit. The fast screen
    /// (`quicklySatisfied`) clears good witnesses; anything it does not clear gets the full check's report.
    public static func requireSatisfied(_ circuit: Circuit, _ assignment: Assignment, linearClaim: Fr? = nil) throws {
        if quicklySatisfied(circuit, assignment, linearClaim: linearClaim) { return }
        let failures = check(circuit, assignment, linearClaim: linearClaim)
        if !failures.isEmpty { throw UnsatisfiedConstraints(failures: failures) }
    }
}

/// State of one check: cell reads and the failures found so far.
private struct CheckRun {
    let circuit: Circuit
    let assignment: Assignment
    let challengeColumns: [[Fr]?]
    /// Ω of the committed linear relation at the assignment's ρ and s, computed exactly from the weights
    /// (`LinearRelation.claim`); nil without a relation or while ρ or s has no value.
    let linearClaim: Fr?
    var failures: [ConstraintFailure] = []
    private var reportedUnassigned = Set<String>()
    /// The rows of each looked-up table, by (table selector or −1, table columns): many lookups share one
    /// table (a range table per limb column), which is read once.
    private var tables: [[Int]: Set<[Fr]>] = [:]

    init(circuit: Circuit, assignment: Assignment, linearClaim known: Fr?) {
        self.circuit = circuit
        self.assignment = assignment
        // Public values that were never set read as zero here; they are reported separately.
        challengeColumns = circuit.challengeColumnValues(challenges: assignment.challenges) { column, row in
            assignment.value(column, row: row) ?? .zero
        }
        if let relation = circuit.linearRelation, let rho = assignment.challenges[relation.shape.rho.index],
            let s = assignment.challenges[relation.shape.s.index]
        {
            linearClaim = known ?? relation.claim(rho: rho, s: s)
        } else {
            linearClaim = nil
        }
    }

    /// The value of a query applied at `row`, or nil when it cannot be known (unassigned advice or public
    /// value, or a challenge column whose challenge has no value).
    func value(_ query: Query, at row: Int) -> Fr? {
        let r = row + query.rotation.rawValue
        let index = query.column.index
        switch query.column.kind {
        case .advice: return assignment.value(AdviceColumn(index: index), row: r)
        case .instance:
            return r < circuit.instanceLengths[index] ? assignment.value(InstanceColumn(index: index), row: r) : .zero
        case .fixed: return circuit.fixedValue(FixedColumn(index: index), row: r)
        case .challenge:
            guard let column = challengeColumns[index] else { return nil }
            return r < column.count ? column[r] : .zero
        }
    }

    func cellValue(_ query: Query, at row: Int) -> CellValue {
        CellValue(
            cell: Cell(query.column, row + query.rotation.rawValue), name: circuit.name(of: query.column),
            value: value(query, at: row) ?? .zero)
    }

    /// Reports each unassigned advice/instance cell among `queries`; true when all values are known.
    mutating func allKnown(_ queries: [Query], _ challenges: [Challenge], at row: Int, usedBy: String) -> Bool {
        var known = true
        for q in queries where value(q, at: row) == nil {
            known = false
            if q.column.kind == .advice || q.column.kind == .instance {
                reportUnassigned(Cell(q.column, row + q.rotation.rawValue), usedBy: usedBy)
            }
        }
        // Missing challenges are reported once by checkChallenges.
        return known && challenges.allSatisfy { assignment.challenges[$0.index] != nil }
    }

    /// Whether Ω is known, when `e` reads it (ρ and s missing are reported by checkChallenges).
    func claimKnown(_ e: Expression) -> Bool { linearClaim != nil || !e.usesLinearClaim }

    mutating func reportUnassigned(_ cell: Cell, usedBy: String) {
        guard reportedUnassigned.insert("\(cell)|\(usedBy)").inserted else { return }
        failures.append(.unassigned(cell: cell, name: circuit.name(of: cell.column), usedBy: usedBy))
    }

    func evaluate(_ e: Expression, at row: Int) -> Fr {
        e.evaluate(
            query: { value($0, at: row) ?? .zero },
            challenge: { assignment.challenges[$0.index] ?? .zero }, linearClaim: linearClaim ?? .zero)
    }

    // MARK: Checks

    mutating func checkChallenges() {
        var needed = Set<Challenge>()
        for segments in circuit.challengeSegments { for s in segments { needed.insert(s.challenge) } }
        for gate in circuit.gates { for c in gate.constraints { needed.formUnion(c.challenges) } }
        for lookup in circuit.lookups { for e in lookup.inputs { needed.formUnion(e.challenges) } }
        // Ω is a function of ρ and s.
        if let shape = circuit.linearRelation?.shape, circuit.usesLinearClaim { needed.formUnion([shape.rho, shape.s]) }
        for c in needed.sorted() where assignment.challenges[c.index] == nil {
            failures.append(.missingChallenge(challenge: c, name: circuit.challengeNames[c.index]))
        }
    }

    /// Every public value is assigned and inside its column's bound (docs/protocol.md §10, §15 step 1).
    mutating func checkPublicValues() {
        for (index, length) in circuit.instanceLengths.enumerated() {
            let column = InstanceColumn(index: index)
            let bound = PublicValueBound(bits: circuit.instanceBits[index])
            for row in 0..<length {
                guard let value = assignment.value(column, row: row) else {
                    reportUnassigned(Cell(column, row), usedBy: "the public values")
                    continue
                }
                if !bound.contains(value) {
                    failures.append(.publicValueOutOfRange(
                        cell: Cell(column, row), name: circuit.instanceNames[index], value: value, bits: bound.bits))
                }
            }
        }
    }

    mutating func check(_ gate: Gate) {
        let selector = circuit.fixedValues[gate.selector.index]
        let queries = gate.constraints.map(\.queries)
        let challenges = gate.constraints.map(\.challenges)
        let usedBy = "gate \"\(gate.name)\""
        for row in 0..<circuit.usableRows where !selector[row].isZero {
            for (index, constraint) in gate.constraints.enumerated() {
                guard allKnown(queries[index], challenges[index], at: row, usedBy: usedBy), claimKnown(constraint) else {
                    continue
                }
                let value = selector[row] * evaluate(constraint, at: row)
                if !value.isZero {
                    failures.append(
                        .gate(
                            gate: gate.name, constraint: index, row: row, value: value,
                            cells: queries[index].map { cellValue($0, at: row) }))
                }
            }
        }
    }

    mutating func check(_ lookup: LookupArgument) {
        let tableKey = [lookup.tableSelector?.index ?? -1] + lookup.table.map(\.index)
        let table: Set<[Fr]>
        if let known = tables[tableKey] {
            table = known
        } else {
            var rows = Set<[Fr]>()
            for row in 0..<circuit.usableRows {
                if let s = lookup.tableSelector, circuit.fixedValues[s.index][row].isZero { continue }
                rows.insert(lookup.table.map { circuit.fixedValues[$0.index][row] })
            }
            tables[tableKey] = rows
            table = rows
        }
        let selector = circuit.fixedValues[lookup.selector.index]
        var queries = Set<Query>()
        var challenges = Set<Challenge>()
        for e in lookup.inputs {
            queries.formUnion(e.queries)
            challenges.formUnion(e.challenges)
        }
        let sortedQueries = queries.sorted()
        let sortedChallenges = challenges.sorted()
        let usedBy = "lookup \"\(lookup.name)\""
        for row in 0..<circuit.usableRows where !selector[row].isZero {
            guard allKnown(sortedQueries, sortedChallenges, at: row, usedBy: usedBy),
                lookup.inputs.allSatisfy(claimKnown)
            else { continue }
            let input = lookup.inputs.map { evaluate($0, at: row) }
            if !table.contains(input) {
                failures.append(
                    .lookup(
                        lookup: lookup.name, row: row, input: input,
                        cells: sortedQueries.map { cellValue($0, at: row) }))
            }
        }
    }

    mutating func check(_ copy: CopyConstraint) {
        let left = Query(copy.left.column, .current)
        let right = Query(copy.right.column, .current)
        let leftValue = value(left, at: copy.left.row)
        let rightValue = value(right, at: copy.right.row)
        if leftValue == nil { reportUnassigned(copy.left, usedBy: "copy \(copy)") }
        if rightValue == nil { reportUnassigned(copy.right, usedBy: "copy \(copy)") }
        guard let l = leftValue, let r = rightValue, l != r else { return }
        failures.append(.copy(left: cellValue(left, at: copy.left.row), right: cellValue(right, at: copy.right.row)))
    }
}
