import FieldArithmetic

/// A witness for one circuit: advice values, public (instance) values and the challenge values the
/// phase-2 advice was computed with. Unset cells stay unassigned (the checker reports any that a gate,
/// lookup or copy reads); the prover treats them as zero.
public struct Assignment: Sendable {
    public let usableRows: Int
    public let instanceLengths: [Int]
    /// advice[column][row] for rows 0..<usableRows.
    public private(set) var advice: [[Fr]]
    private(set) var adviceAssigned: [[Bool]]
    /// instance[column][row] for rows 0..<length of that column.
    public private(set) var instance: [[Fr]]
    private var instanceAssigned: [[Bool]]
    /// The value of each declared challenge, once known (in a real proof: drawn from the transcript).
    public private(set) var challenges: [Fr?]

    public init(circuit: Circuit) {
        usableRows = circuit.usableRows
        instanceLengths = circuit.instanceLengths
        advice = Array(repeating: Array(repeating: .zero, count: circuit.usableRows), count: circuit.adviceNames.count)
        adviceAssigned = Array(repeating: Array(repeating: false, count: circuit.usableRows), count: circuit.adviceNames.count)
        instance = circuit.instanceLengths.map { Array(repeating: .zero, count: $0) }
        instanceAssigned = circuit.instanceLengths.map { Array(repeating: false, count: $0) }
        challenges = Array(repeating: nil, count: circuit.challengeNames.count)
    }

    public mutating func set(_ column: AdviceColumn, row: Int, _ value: Fr) throws {
        guard advice.indices.contains(column.index) else {
            throw ConstraintSystemError.unknownColumn(column.column, context: "assignment")
        }
        guard (0..<usableRows).contains(row) else {
            throw ConstraintSystemError.rowOutOfRange(Cell(column, row), usableRows: usableRows)
        }
        advice[column.index][row] = value
        adviceAssigned[column.index][row] = true
    }

    /// `value` in every row of `rows` of each column: one range check per column, not one per cell (the
    /// witness builder starts every lane cell at 0 this way).
    public mutating func fill(_ columns: [AdviceColumn], rows: Range<Int>, _ value: Fr) throws {
        for column in columns {
            guard advice.indices.contains(column.index) else {
                throw ConstraintSystemError.unknownColumn(column.column, context: "assignment")
            }
            guard rows.isEmpty || (rows.lowerBound >= 0 && rows.upperBound <= usableRows) else {
                // The first row outside, as `set` would have named it.
                let row = rows.lowerBound < 0 ? rows.lowerBound : max(rows.lowerBound, usableRows)
                throw ConstraintSystemError.rowOutOfRange(Cell(column, row), usableRows: usableRows)
            }
            advice[column.index].replaceSubrange(rows, with: repeatElement(value, count: rows.count))
            adviceAssigned[column.index].replaceSubrange(rows, with: repeatElement(true, count: rows.count))
        }
    }

    public mutating func set(_ column: AdviceColumn, row: Int, _ value: Int64) throws {
        try set(column, row: row, Fr(signed: value))
    }

    public mutating func set(_ column: InstanceColumn, row: Int, _ value: Fr) throws {
        guard instance.indices.contains(column.index) else {
            throw ConstraintSystemError.unknownColumn(column.column, context: "assignment")
        }
        guard (0..<instanceLengths[column.index]).contains(row) else {
            throw ConstraintSystemError.instanceOutOfRange(column, row: row, length: instanceLengths[column.index])
        }
        instance[column.index][row] = value
        instanceAssigned[column.index][row] = true
    }

    public mutating func set(_ column: InstanceColumn, row: Int, _ value: Int64) throws {
        try set(column, row: row, Fr(signed: value))
    }

    public mutating func setChallenge(_ challenge: Challenge, _ value: Fr) throws {
        guard challenges.indices.contains(challenge.index) else {
            throw ConstraintSystemError.unknownChallenge(challenge, context: "assignment")
        }
        challenges[challenge.index] = value
    }

    /// The advice value, or nil if the cell was never assigned.
    public func value(_ column: AdviceColumn, row: Int) -> Fr? {
        guard advice.indices.contains(column.index), (0..<usableRows).contains(row),
            adviceAssigned[column.index][row]
        else { return nil }
        return advice[column.index][row]
    }

    /// The public value, or nil if it was never assigned (or lies outside the column's length).
    public func value(_ column: InstanceColumn, row: Int) -> Fr? {
        guard instance.indices.contains(column.index), (0..<instanceLengths[column.index]).contains(row),
            instanceAssigned[column.index][row]
        else { return nil }
        return instance[column.index][row]
    }

    public func isAssigned(_ column: AdviceColumn, row: Int) -> Bool { value(column, row: row) != nil }

    /// Number of advice cells given a value (for statistics).
    public var assignedAdviceCells: Int {
        adviceAssigned.reduce(0) { total, column in total + column.reduce(0) { $0 + ($1 ? 1 : 0) } }
    }
}
