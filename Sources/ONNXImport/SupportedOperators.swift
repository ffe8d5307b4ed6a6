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

    /// Control flow and sequences, resolved at import (`ControlFlow`): a Loop whose trip count and condition fold
    /// to constants is unrolled, an If with a constant condition is replaced by its branch, sequences are lists of
    /// tensors, and CastLike becomes a Cast to its second input's type.
    public static let resolved: Set<String> = [
        "Loop", "If", "SequenceEmpty", "SequenceConstruct", "SequenceInsert", "SequenceAt", "SequenceLength",
        "SequenceErase", "ConcatFromSequence", "CastLike",
    ]

    public static var names: Set<String> { computed.union(foldable).union(resolved) }

    /// Oldest and newest default-domain opset versions accepted. Opsets 23–25 changed none of the supported
    /// operators' semantics: they only added element types (float4e2m1, float8e8m0, int2/uint2), which the
    /// importer refuses by type, and Cast's `round_mode`, which concerns only float8e8m0.
    public static let opsets: ClosedRange<Int64> = 7...25

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
        case "Loop", "If":
            return "export with static shapes so that trip counts and conditions fold (torch.onnx.export of a model without data-dependent control flow), or unroll the loop in the model"
        default:
            return nil
        }
    }
}
