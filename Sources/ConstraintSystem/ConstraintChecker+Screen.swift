import FieldArithmetic
import Parallelism

/// The prover's fast pass over a witness: true only when `ConstraintChecker.check` would report no failure.
///
/// `check` walks each constraint's expression tree once per row, through optional cell reads, so that it can
/// name every failing cell; at 2^14 rows and ~100 columns that was most of a second per proof. This pass
/// walks each tree once per block of rows on value vectors instead, reads cells without optionals, and
/// answers only yes or no. It is deliberately conservative: anything the full check might report — an
/// unassigned cell read by an enabled row, a read past the usable rows, a missing challenge, an unknown Ω, a
/// public value out of bound — makes it answer no, and the caller then runs the full check for the report.
/// So a bad witness still gets the same named failures; a good one costs a fraction of the time.
extension ConstraintChecker {
    public static func quicklySatisfied(_ circuit: Circuit, _ assignment: Assignment, linearClaim: Fr? = nil) -> Bool {
        WitnessScreen(circuit: circuit, assignment: assignment, linearClaim: linearClaim)?.passes() ?? false
    }
}

/// A value on a block of rows: a constant or one value per row.
private enum RowValues {
    case scalar(Fr)
    case vector([Fr])

    static func combine(_ x: RowValues, _ y: RowValues, _ f: (Fr, Fr) -> Fr) -> RowValues {
        switch (x, y) {
        case (.scalar(let a), .scalar(let b)): return .scalar(f(a, b))
        case (.vector(let a), .scalar(let b)): return .vector(a.map { f($0, b) })
        case (.scalar(let a), .vector(let b)): return .vector(b.map { f(a, $0) })
        case (.vector(let a), .vector(let b)):
            return .vector([Fr](unsafeUninitializedCapacity: a.count) { out, count in
                for i in 0..<a.count { (out.baseAddress! + i).initialize(to: f(a[i], b[i])) }
                count = a.count
            })
        }
    }

    func map(_ f: (Fr) -> Fr) -> RowValues {
        switch self {
        case .scalar(let a): return .scalar(f(a))
        case .vector(let a): return .vector(a.map(f))
        }
    }

    func value(_ i: Int) -> Fr {
        switch self {
        case .scalar(let a): return a
        case .vector(let a): return a[i]
        }
    }
}

/// A table's selected rows: values of a one-column table (no array per lookup), or tuples.
private enum LookupTableRows {
    case single(Set<Fr>)
    case tuples(Set<[Fr]>)
}

private struct WitnessScreen {
    let circuit: Circuit
    let assignment: Assignment
    let u: Int
    let challengeColumns: [[Fr]]
    let challenges: [Fr]
    let linearClaim: Fr?
    static let block = 1024

    /// nil when a challenge that anything reads has no value (the full check reports it).
    init?(circuit: Circuit, assignment: Assignment, linearClaim knownClaim: Fr?) {
        self.circuit = circuit
        self.assignment = assignment
        u = circuit.usableRows
        var needed = Set<Challenge>()
        for segments in circuit.challengeSegments { for s in segments { needed.insert(s.challenge) } }
        for gate in circuit.gates { for c in gate.constraints { needed.formUnion(c.challenges) } }
        for lookup in circuit.lookups { for e in lookup.inputs { needed.formUnion(e.challenges) } }
        if let shape = circuit.linearRelation?.shape, circuit.usesLinearClaim { needed.formUnion([shape.rho, shape.s]) }
        for c in needed where assignment.challenges[c.index] == nil { return nil }
        let columns = circuit.challengeColumnValues(challenges: assignment.challenges) { column, row in
            assignment.value(column, row: row) ?? .zero
        }
        var known: [[Fr]] = []
        for column in columns {
            guard let column else { return nil }
            known.append(column)
        }
        challengeColumns = known
        challenges = assignment.challenges.map { $0 ?? .zero }
        if let relation = circuit.linearRelation, let rho = assignment.challenges[relation.shape.rho.index],
            let s = assignment.challenges[relation.shape.s.index]
        {
            linearClaim = knownClaim ?? relation.claim(rho: rho, s: s)
        } else {
            linearClaim = nil
        }
    }

    func passes() -> Bool {
        publicValuesPass() && allPass(circuit.gates.count) { gatePasses(circuit.gates[$0]) } && lookupsPass()
            && circuit.copies.allSatisfy(copyPasses)
    }

    /// Whether `passes` holds for 0..<count, the items checked one per task (gates and tables are independent;
    /// the prover runs this screen before every proof).
    func allPass(_ count: Int, _ passes: (Int) -> Bool) -> Bool {
        var results = [Bool](repeating: true, count: count)
        results.withUnsafeMutableBufferPointer { out in Parallel.forEach(tasks: count) { out[$0] = passes($0) } }
        return !results.contains(false)
    }

    /// Every public value assigned and inside its bound (after this, instance reads are always known).
    func publicValuesPass() -> Bool {
        for (index, length) in circuit.instanceLengths.enumerated() {
            let bound = PublicValueBound(bits: circuit.instanceBits[index])
            for row in 0..<length {
                guard let value = assignment.value(InstanceColumn(index: index), row: row), bound.contains(value) else {
                    return false
                }
            }
        }
        return true
    }

    /// The rows of `selector` that are enabled.
    func enabledRows(_ selector: FixedColumn) -> [Int] {
        let values = circuit.fixedValues[selector.index]
        return (0..<u).filter { !values[$0].isZero }
    }

    /// Every cell the queries read on `rows` is known to the full check: advice assigned and inside the
    /// usable rows (it reports anything else); other kinds always are once public values and challenges are.
    func readable(_ queries: [Query], on rows: [Int]) -> Bool {
        for q in queries where q.column.kind == .advice {
            let assigned = assignment.adviceAssigned[q.column.index]
            let shift = q.rotation.rawValue
            for r in rows {
                let row = r + shift
                if row < 0 || row >= u || !assigned[row] { return false }
            }
        }
        return true
    }

    /// The expression on `rows` (a block).
    func evaluate(_ e: Expression, on rows: ArraySlice<Int>) -> RowValues {
        e.evaluate(
            constant: { .scalar($0) },
            query: { q in .vector(values(q, on: rows)) },
            challenge: { .scalar(challenges[$0.index]) },
            linearClaim: { .scalar(linearClaim ?? .zero) },
            sum: { RowValues.combine($0, $1, +) },
            product: { RowValues.combine($0, $1, *) },
            negated: { $0.map { -$0 } },
            scaled: { x, c in x.map { $0 * c } })
    }

    /// The values the full check reads for `q` on `rows` (fixed, instance and challenge cells past their
    /// length read as zero there too).
    func values(_ q: Query, on rows: ArraySlice<Int>) -> [Fr] {
        let shift = q.rotation.rawValue
        let index = q.column.index
        switch q.column.kind {
        case .advice:
            let column = assignment.advice[index]
            return rows.map { column[$0 + shift] }
        case .fixed:
            let column = circuit.fixedValues[index]
            return rows.map { $0 + shift < u ? column[$0 + shift] : .zero }
        case .instance:
            let column = assignment.instance[index]
            return rows.map { $0 + shift < column.count ? column[$0 + shift] : .zero }
        case .challenge:
            let column = challengeColumns[index]
            return rows.map { $0 + shift < column.count ? column[$0 + shift] : .zero }
        }
    }

    func gatePasses(_ gate: Gate) -> Bool {
        let rows = enabledRows(gate.selector)
        if rows.isEmpty { return true }
        for constraint in gate.constraints {
            if linearClaim == nil && constraint.usesLinearClaim { return false }
            guard readable(constraint.queries, on: rows) else { return false }
            for start in stride(from: 0, to: rows.count, by: Self.block) {
                let slice = rows[start..<min(rows.count, start + Self.block)]
                // The selector is non-zero on these rows: selector·value = 0 iff value = 0.
                switch evaluate(constraint, on: slice) {
                case .scalar(let value): if !value.isZero { return false }
                case .vector(let values): if values.contains(where: { !$0.isZero }) { return false }
                }
            }
        }
        return true
    }

    /// Each table's rows are read once (many lookups share a table: a range table per limb column), one table
    /// per task; then every lookup is checked against its table, one lookup per task.
    func lookupsPass() -> Bool {
        let groups = circuit.lookupTableGroups
        var tables = [LookupTableRows?](repeating: nil, count: groups.count)
        tables.withUnsafeMutableBufferPointer { out in
            Parallel.forEach(tasks: groups.count) { out[$0] = tableRows(circuit.lookups[groups[$0][0]]) }
        }
        let checks = groups.indices.flatMap { g in groups[g].map { (lookup: $0, table: g) } }
        return allPass(checks.count) { lookupPasses(circuit.lookups[checks[$0].lookup], table: tables[checks[$0].table]!) }
    }

    func tableRows(_ lookup: LookupArgument) -> LookupTableRows {
        let selected = (0..<u).filter { row in lookup.tableSelector.map { !circuit.fixedValues[$0.index][row].isZero } ?? true }
        if lookup.table.count == 1 {
            let column = circuit.fixedValues[lookup.table[0].index]
            return .single(Set(selected.map { column[$0] }))
        }
        return .tuples(Set(selected.map { row in lookup.table.map { circuit.fixedValues[$0.index][row] } }))
    }

    func lookupPasses(_ lookup: LookupArgument, table: LookupTableRows) -> Bool {
        let rows = enabledRows(lookup.selector)
        if rows.isEmpty { return true }
        if linearClaim == nil && lookup.inputs.contains(where: \.usesLinearClaim) { return false }
        guard readable(lookup.inputs.flatMap(\.queries), on: rows) else { return false }
        for start in stride(from: 0, to: rows.count, by: Self.block) {
            let slice = rows[start..<min(rows.count, start + Self.block)]
            let inputs = lookup.inputs.map { evaluate($0, on: slice) }
            switch table {
            case .single(let values):
                guard inputs.count == 1 else { return false }
                for i in 0..<slice.count where !values.contains(inputs[0].value(i)) { return false }
            case .tuples(let tuples):
                for i in 0..<slice.count where !tuples.contains(inputs.map { $0.value(i) }) { return false }
            }
        }
        return true
    }

    func copyPasses(_ copy: CopyConstraint) -> Bool {
        guard let left = cellValue(copy.left), let right = cellValue(copy.right) else { return false }
        return left == right
    }

    /// A copied cell's value as the full check reads it, nil where it would report the cell.
    func cellValue(_ cell: Cell) -> Fr? {
        let index = cell.column.index
        switch cell.column.kind {
        case .advice: return assignment.value(AdviceColumn(index: index), row: cell.row)
        case .instance:
            return cell.row < circuit.instanceLengths[index] ? assignment.value(InstanceColumn(index: index), row: cell.row) : .zero
        case .fixed: return circuit.fixedValue(FixedColumn(index: index), row: cell.row)
        case .challenge:
            let column = challengeColumns[index]
            return cell.row < column.count ? column[cell.row] : .zero
        }
    }
}
