/// Unary elementwise activations: the output has the input's shape.
public enum ActivationOp: Sendable, Equatable, OperatorFamily {
    case relu
    case leakyRelu(alpha: Double)
    /// Clamp to [lower, upper]; nil means unbounded on that side.
    case clip(lower: Double?, upper: Double?)
    case sigmoid
    case tanh
    case neg
    /// x if x ≥ 0 else x·slope, the slope broadcast unidirectionally to x.
    case prelu(slope: Tensor)
    /// x if x > 0 else α·(e^x − 1).
    case elu(alpha: Double)
    /// log(1 + e^x).
    case softplus

    public var name: String {
        switch self {
        case .relu: return "Relu"
        case .leakyRelu: return "LeakyRelu"
        case .clip: return "Clip"
        case .sigmoid: return "Sigmoid"
        case .tanh: return "Tanh"
        case .neg: return "Neg"
        case .prelu: return "PRelu"
        case .elu: return "Elu"
        case .softplus: return "Softplus"
        }
    }

    public var parameterCount: Int {
        if case .prelu(let slope) = self { return slope.count }
        return 0
    }

    public func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        try requireArity(shapes, 1)
        if case .prelu(let slope) = self, (try? Shape.broadcast(shapes[0], slope.shape)) != shapes[0] {
            throw ModelGraphError.shapeMismatch("PRelu slope \(Shape.describe(slope.shape)) does not broadcast to \(Shape.describe(shapes[0]))")
        }
        return shapes[0]
    }
}

extension LayerOperation {
    public static let relu = LayerOperation.activation(.relu)
    public static let sigmoid = LayerOperation.activation(.sigmoid)
    public static let tanh = LayerOperation.activation(.tanh)
    public static func leakyRelu(alpha: Double) -> LayerOperation { .activation(.leakyRelu(alpha: alpha)) }
    public static func clip(lower: Double?, upper: Double?) -> LayerOperation { .activation(.clip(lower: lower, upper: upper)) }
}
