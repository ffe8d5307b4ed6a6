/// Unary elementwise activations: the output has the input's shape.
public enum ActivationOp: Sendable, Equatable, OperatorFamily {
    case relu
    case leakyRelu(alpha: Double)
    /// Clamp to [lower, upper]; nil means unbounded on that side.
    case clip(lower: Double?, upper: Double?)
    case sigmoid
    case tanh
    case neg
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
        case .elu: return "Elu"
        case .softplus: return "Softplus"
        }
    }

    public func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        try requireArity(shapes, 1)
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
