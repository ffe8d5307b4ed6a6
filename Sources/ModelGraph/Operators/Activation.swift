/// Unary elementwise activations: the output has the input's shape.
public enum ActivationOp: Sendable, Equatable, OperatorFamily {
    case relu
    case leakyRelu(alpha: Double)
    /// Clamp to [lower, upper]; nil means unbounded on that side.
    case clip(lower: Double?, upper: Double?)
    case sigmoid
    case tanh
    case neg
    /// e^x − 1 and log(1 + e^x) as interpolated tables on x ≤ 0: the nonlinear steps of Elu and Softplus, which
    /// are imported as compositions around them.
    case expm1
    case log1pExp

    public var name: String {
        switch self {
        case .relu: return "Relu"
        case .leakyRelu: return "LeakyRelu"
        case .clip: return "Clip"
        case .sigmoid: return "Sigmoid"
        case .tanh: return "Tanh"
        case .neg: return "Neg"
        case .expm1: return "Expm1"
        case .log1pExp: return "Log1pExp"
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
