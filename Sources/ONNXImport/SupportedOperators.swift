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
    ]

    /// Operators accepted only when their inputs are constants (they are folded away at import).
    public static let foldable: Set<String> = [
        "Constant", "ConstantOfShape", "Shape", "Sqrt", "Range", "Where", "Mod", "Equal", "Less", "Greater",
        "LessOrEqual", "GreaterOrEqual", "Not", "And", "Or", "Floor", "Ceil", "Tile",
    ]

    public static var names: Set<String> { computed.union(foldable) }

    /// Oldest and newest default-domain opset versions accepted.
    public static let opsets: ClosedRange<Int64> = 7...22

    static func suggestion(for opType: String) -> String? {
        switch opType {
        case "Gelu", "Erf", "Selu", "Celu", "Softsign", "Mish", "ThresholdedRelu":
            return "replace the activation with Relu, LeakyRelu, Elu, Softplus, Sigmoid or Tanh and retrain or fine-tune"
        case "LogSoftmax":
            return "use Softmax and take the logarithm outside the model"
        case "Flatten", "Reshape":
            return nil
        case "Tile", "Where", "Equal", "Less", "Greater", "Not":
            return "these are accepted only on constants; re-export with static shapes (e.g. onnx-simplifier) so they fold"
        case "BatchNormalization":
            return "export in inference mode (model.eval())"
        default:
            return nil
        }
    }
}
