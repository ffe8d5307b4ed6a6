import FieldArithmetic

/// A cell with its column's name and value, as printed in failure reports.
public struct CellValue: Hashable, Sendable, CustomStringConvertible {
    public let cell: Cell
    public let name: String
    public let value: Fr

    public init(cell: Cell, name: String, value: Fr) {
        self.cell = cell
        self.name = name
        self.value = value
    }

    public var description: String { "\(name)[\(cell.row)] = \(FieldFormatting.signed(value))" }
}

/// One way a witness fails its circuit. The checker returns every one, never a bare "unsatisfied".
public enum ConstraintFailure: Hashable, Sendable, CustomStringConvertible {
    /// Constraint number `constraint` of gate `gate`, enabled on `row`, evaluates to `value` ≠ 0
    /// (selector factor included). `cells` are the cells it reads.
    case gate(gate: String, constraint: Int, row: Int, value: Fr, cells: [CellValue])
    /// The input tuple of lookup `lookup` on `row` is not a row of its table.
    case lookup(lookup: String, row: Int, input: [Fr], cells: [CellValue])
    /// Two copy-constrained cells differ.
    case copy(left: CellValue, right: CellValue)
    /// A cell read by `usedBy` (a gate, lookup, copy, or the public values) was never assigned.
    case unassigned(cell: Cell, name: String, usedBy: String)
    /// A challenge that a challenge column or expression needs has no value in the assignment.
    case missingChallenge(challenge: Challenge, name: String)
    /// A public value outside its instance column's bound (`PublicValueBound`).
    case publicValueOutOfRange(cell: Cell, name: String, value: Fr, bits: Int)

    /// The gate or lookup name, if the failure belongs to one.
    public var constraintName: String? {
        switch self {
        case .gate(let name, _, _, _, _), .lookup(let name, _, _, _): return name
        case .copy, .unassigned, .missingChallenge, .publicValueOutOfRange: return nil
        }
    }

    /// The row of a gate or lookup failure.
    public var row: Int? {
        switch self {
        case .gate(_, _, let row, _, _), .lookup(_, let row, _, _): return row
        case .publicValueOutOfRange(let cell, _, _, _): return cell.row
        case .copy, .unassigned, .missingChallenge: return nil
        }
    }

    public var description: String {
        switch self {
        case .gate(let gate, let constraint, let row, let value, let cells):
            return "gate \"\(gate)\" constraint \(constraint) fails at row \(row) "
                + "(evaluates to \(FieldFormatting.signed(value))): "
                + cells.map(\.description).joined(separator: ", ")
        case .lookup(let lookup, let row, let input, let cells):
            return "lookup \"\(lookup)\" at row \(row): input (\(input.map(FieldFormatting.signed).joined(separator: ", "))) "
                + "is not in the table; cells: " + cells.map(\.description).joined(separator: ", ")
        case .copy(let left, let right):
            return "copy constraint fails: \(left) but \(right)"
        case .unassigned(let cell, let name, let usedBy):
            return "cell \(name)[\(cell.row)] (\(cell.column)) is read by \(usedBy) but never assigned"
        case .missingChallenge(let challenge, let name):
            return "challenge \"\(name)\" (\(challenge)) has no value in the assignment"
        case .publicValueOutOfRange(let cell, let name, let value, let bits):
            return "public value \(name)[\(cell.row)] = \(FieldFormatting.signed(value)) is outside its column's bound "
                + PublicValueBound(bits: bits).description
        }
    }
}

/// Thrown by `ConstraintChecker.requireSatisfied`: every failure, for the prover to refuse a bad witness.
public struct UnsatisfiedConstraints: Error, CustomStringConvertible {
    public let failures: [ConstraintFailure]

    public init(failures: [ConstraintFailure]) { self.failures = failures }

    /// The first failures in full, then a count of the rest, so a broken model does not print 10^5 lines.
    public var description: String {
        let shown = 20
        var lines = ["\(failures.count) constraint failure\(failures.count == 1 ? "" : "s"):"]
        lines += failures.prefix(shown).map { "  " + $0.description }
        if failures.count > shown { lines.append("  … and \(failures.count - shown) more") }
        return lines.joined(separator: "\n")
    }
}
