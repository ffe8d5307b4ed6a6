/// Embedding lookups and type conversion: the operators that read or make integer-valued tensors.
public enum IndexingOp: Sendable, Equatable, OperatorFamily {
    /// out[..., j, ...] = table[index[j]] along axis 0 of a constant table, indices from an integer tensor (negative
    /// indices count from the end; out of range is an error at run time).
    case embedding(Tensor)
    /// Cast onto a number format (`NumberFormat.convert`); `fromInteger`: the input is integer-typed (an integer
    /// → integer cast wraps, a float → integer cast truncates).
    case cast(to: NumberFormat, fromInteger: Bool)
    /// Elementwise arithmetic of two integer-typed tensors (numpy broadcasting), wrapped onto their element type.
    case integer(IntegerArithmetic, wrap: NumberFormat)

    public var name: String {
        switch self {
        case .embedding: return "Gather"
        case .cast: return "Cast"
        case .integer(let op, _): return op.rawValue
        }
    }

    public var parameterCount: Int {
        if case .embedding(let table) = self { return table.count }
        return 0
    }

    public func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        if case .integer = self {
            try requireArity(shapes, 2)
            return try Shape.broadcast(shapes[0], shapes[1])
        }
        try requireArity(shapes, 1)
        switch self {
        case .embedding(let table):
            guard table.shape.count >= 1, table.shape[0] >= 1 else {
                throw ModelGraphError.shapeMismatch("an embedding table needs at least one row, got \(Shape.describe(table.shape))")
            }
            return shapes[0] + table.shape.dropFirst()
        case .cast:
            return shapes[0]
        case .integer:
            return try Shape.broadcast(shapes[0], shapes[1])
        }
    }

    public func outputIsInteger(_ inputs: [Bool]) throws -> Bool {
        switch self {
        case .embedding:
            guard inputs == [true] else {
                throw ModelGraphError.shapeMismatch("Gather indices must be an integer tensor (an int64 input or a Cast to int64)")
            }
            return false
        case .cast(let format, _):
            return format.isInteger
        case .integer:
            return true  // the importer routes only integer-typed operands here
        }
    }

    /// D, the width of an embedding's rows (nil for Cast).
    public var embeddingWidth: Int? {
        guard case .embedding(let table) = self else { return nil }
        return table.count / Swift.max(table.shape.first ?? 1, 1)
    }

    /// The row an index selects, or nil when it is outside [−rows, rows).
    @inlinable public static func row(_ index: Int64, rows: Int) -> Int? {
        guard index >= -Int64(rows), index < Int64(rows) else { return nil }
        return Int(index < 0 ? index + Int64(rows) : index)
    }
}
