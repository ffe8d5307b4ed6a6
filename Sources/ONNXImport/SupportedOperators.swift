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
        "Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual", "Not", "And", "Or", "Xor",
        "Floor", "Ceil", "Round", "Sign", "ArgMax", "ArgMin",
        "Selu", "Celu", "ThresholdedRelu", "Shrink", "Softsign", "Mish", "Swish", "Hardmax",
        "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp", "ReduceProd", "Mean", "CumSum",
        "InstanceNormalization", "GroupNormalization", "MeanVarianceNormalization",
        "Tile", "DepthToSpace", "SpaceToDepth", "Trilu", "GatherElements", "GatherND", "ScatterND", "OneHot",
        "Sin", "Cos", "Tan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "RMSNormalization",
        "Mod", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot",
    ]

    /// Operators accepted only when their inputs are constants (they are folded away at import).
    public static let foldable: Set<String> = [
        "Constant", "ConstantOfShape", "Shape", "Range",
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
    /// operators' semantics: they added element types (float4e2m1, float8e8m0, int2/uint2) and Cast's
    /// `round_mode`, which the importer reads. Beyond 25 a node is accepted when its operator's schema did not
    /// change after the version ZKInfer implements (`schemaChanges`, `implemented`).
    public static let opsets: ClosedRange<Int64> = 7...28

    /// Operators whose schema in effect at opset 7 (the oldest opset in `opsets`) is their version 1 (onnx 1.23's
    /// `onnx.defs.get_schema(op, 7).since_version == 1`): at opsets 1...6 they mean exactly what they mean at
    /// opset 7, so a model of an older opset made only of them is read as opset 7 would be.
    static let unchangedSinceOpset1: Set<String> = [
        "ArgMax", "ArgMin", "Conv", "ConvTranspose", "DepthToSpace", "Flatten", "Gather", "GlobalAveragePool",
        "GlobalMaxPool", "Hardmax", "Identity", "LogSoftmax", "MatMul", "MaxPool", "Not", "ReduceLogSum",
        "ReduceLogSumExp", "ReduceMax", "ReduceMean", "ReduceMin", "ReduceProd", "ReduceSum", "ReduceSumSquare",
        "Slice", "Softmax", "Softplus", "Softsign", "SpaceToDepth", "Squeeze", "Transpose", "Unsqueeze",
    ]

    /// Whether a model of default-domain opset `opset` whose nodes have these (domain, operator) pairs is read.
    static func acceptsOpset(_ opset: Int64, nodes: [(domain: String, op: String)]) -> Bool {
        if opsets.contains(opset) { return true }
        guard opset >= 1, opset < opsets.lowerBound else { return false }
        return nodes.allSatisfy { ($0.domain == "" || $0.domain == "ai.onnx") && unchangedSinceOpset1.contains($0.op) }
    }

    /// The default-domain operators whose schema changed in opsets 26...28 (onnx 1.23's
    /// `onnx.defs.get_schema(op, v).since_version`), with the version of each change.
    static let schemaChanges: [String: [Int64]] = [
        "BitCast": [26], "CumProd": [26], "CausalConvWithState": [27], "LinearAttention": [27], "Range": [27],
        "BitShift": [28], "Cast": [28], "Celu": [28], "Compress": [28], "DepthToSpace": [28], "DequantizeLinear": [28],
        "Einsum": [28], "Mod": [28], "OneHot": [28], "Optional": [28], "OptionalGetElement": [28],
        "OptionalHasElement": [28], "QuantizeLinear": [28], "ReduceLogSum": [28], "ReduceLogSumExp": [28],
        "ReverseSequence": [28], "SpaceToDepth": [28], "SwiGLU": [28], "Unique": [28],
    ]

    /// The newest schema version implemented, for the operators in `schemaChanges` that ZKInfer reads (any other
    /// operator: the version in effect at opset 25). Cast 28 adds the float6 types (refused by type); Range 27
    /// adds float16/bfloat16 and `stash_type` (folded in Double either way); Mod 28 rewords `fmod`.
    /// OneHot, ReduceLogSum and ReduceLogSumExp 28 add element types (computed in Double or fixed point either way);
    /// Celu 28 adds float16/bfloat16 (its result Cast onto them, as ONNX rounds it); SpaceToDepth 28 adds mode CRD (read);
    /// BitShift 28 adds the signed types and defines shifts by a negative amount or by the width or more (read);
    /// DepthToSpace 28 keeps its types and attributes; Einsum 28 only adds bfloat16 to its types (its text and
    /// equation forms are unchanged; bfloat16 is read like any float).
    static let implemented: [String: Int64] = [
        "Cast": 28, "Range": 27, "Mod": 28, "BitShift": 28, "Celu": 28, "OneHot": 28, "ReduceLogSum": 28, "ReduceLogSumExp": 28,
        "DepthToSpace": 28, "SpaceToDepth": 28, "Einsum": 28,
    ]

    /// Why a node of `op` cannot be read at default-domain opset `opset`, or nil when it can: its schema changed
    /// after the version ZKInfer implements.
    static func versionProblem(op: String, opset: Int64) -> String? {
        guard opset > 25, let change = schemaChanges[op]?.last(where: { $0 <= opset }) else { return nil }
        let newest = implemented[op] ?? 25
        guard change > newest else { return nil }
        return "\(op) changed in opset \(change); ZKInfer implements \(op) as of opset \(newest)"
    }

    static func suggestion(for opType: String) -> String? {
        switch opType {
        case "Flatten", "Reshape":
            return nil
        case "BatchNormalization":
            return "export in inference mode (model.eval())"
        case "Loop", "If":
            return "export with static shapes so that trip counts and conditions fold (torch.onnx.export of a model without data-dependent control flow), or unroll the loop in the model"
        default:
            return nil
        }
    }
}
