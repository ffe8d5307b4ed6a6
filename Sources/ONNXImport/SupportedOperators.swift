/// The ONNX operators the importer translates, and rewrites to suggest for common unsupported ones.
public enum SupportedOperators {
    /// Operators that become graph nodes (or disappear: Identity, Dropout).
    public static let computed: Set<String> = [
        "Gemm", "MatMul", "Add", "Sub", "Sum", "Mul", "Div", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip",
        "Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Reshape", "Transpose", "Concat",
        "Softmax", "BatchNormalization", "Identity", "Dropout", "Squeeze", "Unsqueeze",
    ]

    /// Operators accepted only when their inputs are constants (they are folded away at import).
    public static let foldable: Set<String> = [
        "Constant", "ConstantOfShape", "Shape", "Gather", "Cast", "Neg", "Sqrt", "Range", "Slice",
    ]

    public static var names: Set<String> { computed.union(foldable) }

    /// Oldest and newest default-domain opset versions accepted. Opsets 23–25 changed none of the supported
    /// operators' semantics: they only added element types (float4e2m1, float8e8m0, int2/uint2), which the
    /// importer refuses by type, and Cast's `round_mode`, which concerns only float8e8m0.
    public static let opsets: ClosedRange<Int64> = 7...25

    static func suggestion(for opType: String) -> String? {
        switch opType {
        case "Gelu", "Erf", "Elu", "Selu", "Celu", "Softplus", "Softsign", "Mish", "HardSwish", "ThresholdedRelu", "PRelu":
            return "replace the activation with Relu, LeakyRelu, Sigmoid or Tanh and retrain or fine-tune"
        case "HardSigmoid":
            return "rewrite as Clip(x·alpha + beta, 0, 1) with Mul, Add and Clip"
        case "LogSoftmax":
            return "use Softmax and take the logarithm outside the model"
        case "ReduceMean":
            return "use GlobalAveragePool for spatial means, or fold the mean into the next Gemm"
        case "ReduceSum":
            return "fold the sum into the next Gemm (a row of ones)"
        case "Pad":
            return "move the padding into the next Conv/pool's pads attribute"
        case "Flatten", "Reshape":
            return nil
        case "Upsample", "Resize":
            return "use a stride-1 transposed convolution replaced by Conv, or resize outside the model"
        case "ConvTranspose":
            return "replace with Conv on an upsampled input"
        case "Expand", "Tile", "Where", "Equal", "Less", "Greater", "Not":
            return "these are accepted only on constants; re-export with static shapes (e.g. onnx-simplifier) so they fold"
        case "BatchNormalization":
            return "export in inference mode (model.eval())"
        default:
            return nil
        }
    }
}
