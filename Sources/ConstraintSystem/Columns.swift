import FieldArithmetic

/// The four kinds of column (docs/protocol.md §2). Only fixed and advice columns are committed; instance and
/// challenge columns are evaluated by the verifier itself from values it knows.
public enum ColumnKind: Int, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Advice (witness), committed by the prover in its phase.
    case advice = 0
    /// Instance (public values), known to the verifier.
    case instance = 1
    /// Fixed (circuit constants, selectors, tables), committed in the verifying key.
    case fixed = 2
    /// Verifier-computed from a transcript challenge and verifying-key data; never committed.
    case challenge = 3

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        switch self {
        case .advice: return "advice"
        case .instance: return "instance"
        case .fixed: return "fixed"
        case .challenge: return "challenge"
        }
    }
}

/// A column of any kind: its kind and its index among the columns of that kind.
/// Ordered by kind then index; the permutation argument lists its columns in this order.
public struct Column: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let kind: ColumnKind
    public let index: Int

    public init(kind: ColumnKind, index: Int) {
        self.kind = kind
        self.index = index
    }

    public static func < (a: Self, b: Self) -> Bool {
        (a.kind, a.index) < (b.kind, b.index)
    }

    public var description: String { "\(kind)[\(index)]" }
}

/// Rows a gate may look at relative to the row it is applied on. The protocol opens polynomials at ζ and ωζ
/// only, so these are the only two.
public enum Rotation: Int, Sendable, Hashable, Comparable {
    case current = 0
    case next = 1

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A column read at a rotation: a leaf of an `Expression`.
public struct Query: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let column: Column
    public let rotation: Rotation

    public init(_ column: Column, _ rotation: Rotation) {
        self.column = column
        self.rotation = rotation
    }

    public static func < (a: Self, b: Self) -> Bool {
        (a.column, a.rotation) < (b.column, b.rotation)
    }

    public var description: String { rotation == .current ? "\(column)" : "\(column)@next" }
}

/// One cell: a column and an absolute row.
public struct Cell: Hashable, Sendable, CustomStringConvertible {
    public let column: Column
    public let row: Int

    public init(_ column: Column, _ row: Int) {
        self.column = column
        self.row = row
    }

    public init(_ column: some ColumnHandle, _ row: Int) {
        self.init(column.column, row)
    }

    public var description: String { "\(column)@\(row)" }
}

/// A typed handle returned by `ConstraintSystemBuilder`; typed so that only advice can be assigned by a
/// witness and only fixed columns can serve as selectors or tables.
public protocol ColumnHandle: Hashable, Sendable {
    var column: Column { get }
}

extension ColumnHandle {
    /// This column at the row the constraint is applied on.
    public var cur: Expression { .query(Query(column, .current)) }
    /// This column at the following row.
    public var next: Expression { .query(Query(column, .next)) }
    /// The cell of this column at `row`.
    public func at(_ row: Int) -> Cell { Cell(column, row) }
}

public struct AdviceColumn: ColumnHandle {
    public let index: Int
    public init(index: Int) { self.index = index }
    public var column: Column { Column(kind: .advice, index: index) }
}

public struct InstanceColumn: ColumnHandle {
    public let index: Int
    public init(index: Int) { self.index = index }
    public var column: Column { Column(kind: .instance, index: index) }
}

public struct FixedColumn: ColumnHandle {
    public let index: Int
    public init(index: Int) { self.index = index }
    public var column: Column { Column(kind: .fixed, index: index) }
}

public struct ChallengeColumn: ColumnHandle {
    public let index: Int
    public init(index: Int) { self.index = index }
    public var column: Column { Column(kind: .challenge, index: index) }
}

/// A transcript challenge declared by the circuit (e.g. ρ of a folded linear layer). It is drawn after
/// the advice columns of phase `phase` are committed (docs/protocol.md §5).
public struct Challenge: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let index: Int
    public init(index: Int) { self.index = index }
    public static func < (a: Self, b: Self) -> Bool { a.index < b.index }
    public var description: String { "challenge[\(index)]" }
    /// The challenge as a scalar inside an expression.
    public var expression: Expression { .challenge(self) }
}
