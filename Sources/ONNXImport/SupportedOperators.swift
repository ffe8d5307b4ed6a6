/// The ONNX operators the importer translates, and rewrites to suggest for common unsupported ones.
public enum SupportedOperators {
    /// Operators that become graph nodes (or disappear: Identity, Dropout).
    public static let computed: Set<String> = [
        "Gemm", "MatMul", "Add", "Sub", "Sum", "Mul", "Div", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip",
        "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Reshape", "Transpose", "Concat",
        "Softmax", "BatchNormalization", "Identity", "Dropout", "Squeeze", "Unsqueeze",
        "ConvTranspose", "GlobalMaxPool", "Pad", "Resize", "Upsample", "Slice", "Expand",
        "Max", "Min", "Abs", "Neg", "PRelu", "Elu", "HardSigmoid", "HardSwish", "Softplus",
        "Gather", "Cast", "ReduceSum", "ReduceMean",
        "ReduceMax", "ReduceMin", "Exp", "Log", "Sqrt", "Reciprocal", "Erf", "Gelu", "Pow", "LogSoftmax",
        "LayerNormalization", "Where", "Split", "Einsum", "LSTM", "GRU", "RNN",
    ]

    /// Operators accepted only when their inputs are constants (they are folded away at import).
    public static let foldable: Set<String> = [
        "Constant", "ConstantOfShape", "Shape", "Range", "Mod", "Equal", "Less", "Greater",
        "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Floor", "Ceil", "Tile",
    ]

    public static var names: Set<String> { computed.union(foldable) }

    /// Oldest and newest default-domain opset versions accepted. Opsets 23–25 changed none of the supported
    /// operators' semantics: they only added element types (float4e2m1, float8e8m0, int2/uint2), which the
    /// importer refuses by type, and Cast's `round_mode`, which concerns only float8e8m0.
    public static let opsets: ClosedRange<Int64> = 7...25

    static func suggestion(for opType: String) -> String? {
        switch opType {
        case "Selu", "Celu", "Softsign", "Mish", "ThresholdedRelu":
            return "replace the activation with Relu, LeakyRelu, Elu, Softplus, Sigmoid or Tanh and retrain or fine-tune"
        case "Flatten", "Reshape":
            return nil
        case "Tile", "Equal", "Less", "Greater", "Not":
            return "these are accepted only on constants; re-export with static shapes (e.g. onnx-simplifier) so they fold"
        case "BatchNormalization":
            return "export in inference mode (model.eval())"
        default:
            return nil
        }
    }
}
