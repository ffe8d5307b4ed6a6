/// Errors in building a circuit or filling its assignment. Failures of a *witness* are not errors of this
/// kind but `ConstraintFailure`s reported by `ConstraintChecker`.
public enum ConstraintSystemError: Error, Equatable, CustomStringConvertible {
    /// The circuit needs `rowsNeeded` usable rows; 2^log2Rows rows leave only `usableRows` after the
    /// `reservedRows` kept for the last-row check and blinding. `minimumLog2Rows` is the size that fits.
    case tooManyRows(rowsNeeded: Int, log2Rows: Int, usableRows: Int, reservedRows: Int, minimumLog2Rows: Int)
    /// log2 of the row count outside what the field's roots of unity (and the reserved rows) allow.
    case unsupportedSize(log2Rows: Int, supported: ClosedRange<Int>)
    /// A handle that does not belong to this circuit (index out of range), with where it was used.
    case unknownColumn(Column, context: String)
    case unknownChallenge(Challenge, context: String)
    /// Two gates or two lookups with the same name: failures would be ambiguous.
    case duplicateName(String)
    case emptyGate(String)
    case invalidLookup(name: String, reason: String)
    case invalidPhase(name: String, phase: Int)
    /// A row index below zero or beyond the usable rows.
    case rowOutOfRange(Cell, usableRows: Int)
    case invalidFoldMatrix(String)
    /// Two challenge-column segments that define the same cell.
    case overlappingSegments(ChallengeColumn, row: Int)
    case instanceOutOfRange(InstanceColumn, row: Int, length: Int)
    /// An instance column's bound is not in 0...PublicValueBound.maximumBits.
    case invalidInstanceBound(InstanceColumn, bits: Int)
    case copyOfChallengeColumn(Cell)
    /// A committed linear relation (docs/protocol.md §19) that is out of range or inconsistent.
    case invalidLinearRelation(String)

    public var description: String {
        switch self {
        case .tooManyRows(let needed, let k, let usable, let reserved, let minimum):
            return "the circuit needs \(needed) usable rows but 2^\(k) rows leave \(usable) "
                + "(\(reserved) are reserved for the last-row check and blinding); "
                + "use log2 rows ≥ \(minimum)"
        case .unsupportedSize(let k, let supported):
            return "2^\(k) rows is not supported (log2 rows must be in \(supported.lowerBound)...\(supported.upperBound))"
        case .unknownColumn(let c, let context): return "unknown column \(c) in \(context)"
        case .unknownChallenge(let c, let context): return "unknown \(c) in \(context)"
        case .duplicateName(let name): return "two gates or lookups are named \"\(name)\""
        case .emptyGate(let name): return "gate \"\(name)\" has no constraints"
        case .invalidLookup(let name, let reason): return "lookup \"\(name)\": \(reason)"
        case .invalidPhase(let name, let phase): return "\(name): phase \(phase) (phases are \(Circuit.supportedPhases))"
        case .rowOutOfRange(let cell, let usable):
            return "cell \(cell) is outside the usable rows 0..<\(usable)"
        case .invalidFoldMatrix(let reason): return "fold matrix: \(reason)"
        case .overlappingSegments(let column, let row):
            return "two segments of challenge column \(column.index) define row \(row)"
        case .instanceOutOfRange(let column, let row, let length):
            return "instance column \(column.index) has \(length) public rows; row \(row) is outside"
        case .invalidInstanceBound(let column, let bits):
            return "instance column \(column.index): a bound of \(bits) bits is not in 0...\(PublicValueBound.maximumBits)"
        case .copyOfChallengeColumn(let cell):
            return "copy constraint on \(cell): challenge columns cannot take part in copies"
        case .invalidLinearRelation(let reason): return "linear relation: \(reason)"
        }
    }
}
