import FieldArithmetic

/// A named custom gate: on every row where `selector` is non-zero, `selector · constraint` must vanish for
/// each constraint. The selector is a fixed column, so a gate can never be active on the rows reserved for
/// blinding (fixed columns are zero there), which the zero-knowledge argument relies on.
public struct Gate: Hashable, Sendable {
    public let name: String
    public let selector: FixedColumn
    public let constraints: [Expression]

    public init(name: String, selector: FixedColumn, constraints: [Expression]) {
        self.name = name
        self.selector = selector
        self.constraints = constraints
    }

    /// Degree of the gate's polynomials including the selector factor: what the quotient must absorb.
    public var degree: Int { 1 + (constraints.map(\.degree).max() ?? 0) }

    /// Whether any constraint reads the next row (the gate then needs row r + 1 to be a usable row).
    public var readsNextRow: Bool {
        constraints.contains { $0.queries.contains { $0.rotation == .next } }
    }
}

/// A logUp lookup: on every row where `selector` is non-zero, the tuple `inputs` must equal the tuple of
/// `table` columns on some usable row where `tableSelector` is non-zero (every usable row when it is nil).
///
/// Several tables share columns through a tag column: put the tag column in `table` and the tag constant in
/// `inputs` (`LookupArgument(name: "range8", selector: q, inputs: [1, x.cur], table: [tag, value])`).
/// A table whose unused rows (zeros) must not match — e.g. a function table where (0, 0) is wrong — needs
/// a tag or a table selector.
public struct LookupArgument: Hashable, Sendable {
    public let name: String
    public let selector: FixedColumn
    public let inputs: [Expression]
    public let table: [FixedColumn]
    public let tableSelector: FixedColumn?

    public init(
        name: String, selector: FixedColumn, inputs: [Expression], table: [FixedColumn],
        tableSelector: FixedColumn? = nil
    ) {
        self.name = name
        self.selector = selector
        self.inputs = inputs
        self.table = table
        self.tableSelector = tableSelector
    }

    /// Degree of the compressed input A = β + Σ θ^j·input_j.
    public var inputDegree: Int { inputs.map(\.degree).max() ?? 0 }

    /// Degree of the logUp transition constraint
    /// q_active · [(φ(ωX) − φ(X))·A·T − q·T + m·q_t·A] (docs/protocol.md §9): its first term has
    /// degree 1 + 1 + deg A + 1, and the other two never exceed it.
    public var degree: Int { 3 + inputDegree }

    public var readsNextRow: Bool {
        inputs.contains { $0.queries.contains { $0.rotation == .next } }
    }
}

/// A copy (equality) constraint between two cells.
public struct CopyConstraint: Hashable, Sendable, CustomStringConvertible {
    public let left: Cell
    public let right: Cell

    public init(_ left: Cell, _ right: Cell) {
        self.left = left
        self.right = right
    }

    public var description: String { "\(left) == \(right)" }
}
