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
    /// √x and 1/x: exact integer roots and quotients (docs/fixed-point.md §6a).
    case sqrt
    case reciprocal
    /// e^x and ln x by range reduction around mantissa tables on [0, 1) (§6b).
    case exp
    case log
    /// Interpolated tables like Tanh: erf, and the gates Φ(x) and ½(1 + tanh(√(2/π)(x + 0.044715x³))) that Gelu
    /// (exact and tanh approximation) multiplies x by.
    case erf
    case normalCDF
    case geluTanhGate
    /// sin x and cos x by range reduction to a turn fraction around a table of sin(2πv) on [0, 1) (§6b).
    case sin
    case cos

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
        case .sqrt: return "Sqrt"
        case .reciprocal: return "Reciprocal"
        case .exp: return "Exp"
        case .log: return "Log"
        case .erf: return "Erf"
        case .normalCDF: return "NormalCDF"
        case .geluTanhGate: return "GeluTanhGate"
        case .sin: return "Sin"
        case .cos: return "Cos"
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
