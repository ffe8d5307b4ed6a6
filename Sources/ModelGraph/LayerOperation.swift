/// The operations of the model IR, already normalised by the importer (constant attributes resolved, static
/// shapes), grouped by family. This enum is the one place every pipeline stage shares; each family lives in
/// one small file per stage:
///
/// | stage | where |
/// |---|---|
/// | IR: payload, shape rule | `ModelGraph/Operators/<Family>.swift` |
/// | float reference | `ModelGraph/Float/<Family>.swift` |
/// | ONNX import | `ONNXImport/Operators/<Family>.swift` |
/// | integer parameters and error bound | `Quantization/Operators/<Family>.swift` |
/// | integer kernel | `DirectInference/Kernels/<Family>.swift` |
/// | circuit lowering | `CircuitCompiler/Lowering/Operators/<Family>.swift` |
///
/// Adding an operator to a family touches that family's files only. Every operator has one integer semantics
/// in docs/fixed-point.md.
public enum LayerOperation: Sendable, Equatable {
    /// Gemm and MatMul by a constant: y[..., n] = Σ_k x[..., k]·weight[n, k] + bias[n].
    case linear(Linear)
    /// Conv, ConvTranspose.
    case convolution(ConvolutionOp)
    /// AveragePool, MaxPool, GlobalAveragePool, GlobalMaxPool, ReduceSum, ReduceMean.
    case pooling(PoolingOp)
    /// Add, Sub, Mul, Div, Sum (numpy broadcasting). (Max and Min are imported as compositions.)
    case arithmetic(ArithmeticOp)
    /// Unary activations: Relu, LeakyRelu, Clip, Sigmoid, Tanh, Neg, Elu, Softplus. (Abs, PRelu, HardSigmoid and
    /// HardSwish are imported as compositions.)
    case activation(ActivationOp)
    /// A stand-alone BatchNormalization (channel affine), Softmax.
    case normalization(NormalizationOp)
    /// Pure data movement: Reshape, Transpose, Concat, Pad, Slice, Expand, Resize, Gather by constant indices.
    case movement(MovementOp)
    /// Embedding lookups (Gather of a constant table by integer indices) and Cast.
    case indexing(IndexingOp)
    /// Comparisons, logic, rounding, sign, ArgMax/ArgMin: piecewise-constant functions.
    case comparison(ComparisonOp)

    /// The family payload, through which shape inference and the float path dispatch.
    public var family: any OperatorFamily {
        switch self {
        case .linear(let op): return op
        case .convolution(let op): return op
        case .pooling(let op): return op
        case .arithmetic(let op): return op
        case .activation(let op): return op
        case .normalization(let op): return op
        case .movement(let op): return op
        case .indexing(let op): return op
        case .comparison(let op): return op
        }
    }

    /// D of an embedding lookup (see `IndexingOp.embeddingWidth`).
    public var embeddingWidth: Int? {
        if case .indexing(let op) = self { return op.embeddingWidth }
        return nil
    }

    /// Short name used in messages and statistics.
    public var name: String { family.name }

    /// Number of learned parameters carried by the operation itself.
    public var parameterCount: Int { family.parameterCount }
}

/// What every family defines in the IR stage (its payload file) and the float stage (its `Float/` file).
public protocol OperatorFamily: Sendable {
    var name: String { get }
    var parameterCount: Int { get }
    /// The output shape from the input shapes; any mismatch is an error, never a trap.
    func outputShape(_ inputs: [[Int]]) throws -> [Int]
    /// Operand requirements beyond shapes (e.g. Div needs a constant divisor).
    func checkOperands(_ inputs: [Value]) throws
    /// Whether the output is integer-valued (see `Value.isInteger`), from the inputs'; an operator that cannot
    /// take an integer input throws.
    func outputIsInteger(_ inputs: [Bool]) throws -> Bool
    /// The real-valued meaning on inputs whose shapes passed `outputShape`.
    func evaluateFloat(_ inputs: [Tensor], outputShape: [Int]) throws -> [Double]
}

extension OperatorFamily {
    public var parameterCount: Int { 0 }
    public func checkOperands(_ inputs: [Value]) throws {}

    /// By default operators compute on real values only: integer tensors must be Cast to float first.
    public func outputIsInteger(_ inputs: [Bool]) throws -> Bool {
        guard !inputs.contains(true) else {
            throw ModelGraphError.shapeMismatch("\(name) of an integer tensor; Cast it to float first")
        }
        return false
    }

    /// Throws unless there are exactly `n` inputs.
    func requireArity(_ inputs: [[Int]], _ n: Int) throws {
        guard inputs.count == n else { throw ModelGraphError.shapeMismatch("expects \(n) input(s), got \(inputs.count)") }
    }
}
