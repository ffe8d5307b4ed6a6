/// Elementwise arithmetic with numpy (multidirectional) broadcasting; operands may be constants.
public enum ArithmeticOp: Sendable, Equatable, OperatorFamily {
    case add, sub, mul
    /// Division by a constant (the second input must be constant).
    case div
    /// Elementwise sum of any number of inputs.
    case sum
    /// MatMul of two tensors either of which may be computed (numpy matmul: 1-D operands promoted, batch
    /// dimensions broadcast). MatMul by a constant 2-D weight is `linear` instead.
    case matMul

    public var name: String {
        switch self {
        case .add: return "Add"
        case .sub: return "Sub"
        case .mul: return "Mul"
        case .div: return "Div"
        case .sum: return "Sum"
        case .matMul: return "MatMul"
        }
    }

    public func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        switch self {
        case .add, .sub, .mul, .div:
            try requireArity(shapes, 2)
            return try Shape.broadcast(shapes[0], shapes[1])
        case .matMul:
            try requireArity(shapes, 2)
            return try MatMulGeometry(shapes[0], shapes[1]).outputShape
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

/// The index arithmetic of numpy's matmul on shapes a [..., M, K] (or [K]) and b [..., K, N] (or [K]).
public struct MatMulGeometry: Sendable {
    public let m: Int, k: Int, n: Int
    public let outputShape: [Int]
    /// For each batch position of the output, the offsets of its [M, K] block in a and [K, N] block in b.
    public let aOffsets: [Int], bOffsets: [Int]

    public init(_ aShape: [Int], _ bShape: [Int]) throws {
        guard !aShape.isEmpty, !bShape.isEmpty else { throw ModelGraphError.shapeMismatch("MatMul of a scalar") }
        let a = aShape.count == 1 ? [1] + aShape : aShape, b = bShape.count == 1 ? bShape + [1] : bShape
        guard a[a.count - 1] == b[b.count - 2] else {
            throw ModelGraphError.shapeMismatch("MatMul of \(Shape.describe(aShape)) and \(Shape.describe(bShape)): inner dimensions differ")
        }
        (m, k, n) = (a[a.count - 2], a[a.count - 1], b[b.count - 1])
        let aBatch = Array(a.dropLast(2)), bBatch = Array(b.dropLast(2))
        let batch = try Shape.broadcast(aBatch, bBatch)
        var shape = batch
        if aShape.count > 1 { shape.append(m) }
        if bShape.count > 1 { shape.append(n) }
        outputShape = shape
        let count = try Shape.elementCount(batch)
        guard Double(count) * Double(m) * Double(n) * Double(k) <= 0x1p33 else {
            throw ModelGraphError.shapeMismatch("MatMul of more than 2^33 multiplications")
        }
        let (aBlock, bBlock) = (m * k, k * n)
        aOffsets = Shape.broadcastIndices(from: aBatch, to: batch).map { $0 * aBlock }
        bOffsets = Shape.broadcastIndices(from: bBatch, to: batch).map { $0 * bBlock }
    }
}
