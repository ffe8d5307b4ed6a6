/// Elementwise arithmetic with numpy (multidirectional) broadcasting; operands may be constants.
public enum ArithmeticOp: Sendable, Equatable, OperatorFamily {
    case add, sub, mul
    /// Division by a constant (the second input must be constant).
    case div
    /// Elementwise sum of any number of inputs.
    case sum

    public var name: String {
        switch self {
        case .add: return "Add"
        case .sub: return "Sub"
        case .mul: return "Mul"
        case .div: return "Div"
        case .sum: return "Sum"
        }
    }

    public func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        switch self {
        case .add, .sub, .mul, .div:
            try requireArity(shapes, 2)
            return try Shape.broadcast(shapes[0], shapes[1])
        case .sum:
            guard let first = shapes.first else { throw ModelGraphError.shapeMismatch("\(name) needs at least one input") }
            return try shapes.dropFirst().reduce(first) { try Shape.broadcast($0, $1) }
        }
    }

    public func checkOperands(_ inputs: [Value]) throws {
        if self == .div, inputs.count == 2, inputs[1].constant == nil {
            throw ModelGraphError.shapeMismatch("Div is supported only by a constant divisor")
        }
    }
}

extension LayerOperation {
    public static let add = LayerOperation.arithmetic(.add)
    public static let sub = LayerOperation.arithmetic(.sub)
    public static let mul = LayerOperation.arithmetic(.mul)
    public static let div = LayerOperation.arithmetic(.div)
    public static let sum = LayerOperation.arithmetic(.sum)
}
