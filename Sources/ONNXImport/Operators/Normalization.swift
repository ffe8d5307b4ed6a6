import ModelGraph

/// Softmax (last axis) and BatchNormalization (folded into the producing Conv/Gemm, or a channel affine).
enum NormalizationImport {
    static let converters: [String: Converter] = ["Softmax": softmax, "BatchNormalization": batchNormalization]

    static func softmax(_ g: inout GraphImport, _ c: NodeContext) throws {
        let rank = try g.shape(c, 0).count
        let axis = try ShapeOps.normalizeAxis(try c.int("axis", default: c.opset >= 13 ? -1 : 1), rank: rank, c)
        guard axis == rank - 1 else {
            throw Unsupported(reason: "softmax over axis \(axis) of a rank-\(rank) tensor; only the last axis is supported",
                              suggestion: "transpose so the softmax axis is last")
        }
        try g.add(c, .softmax, [0])
    }

    /// y = (x − mean)/√(var + ε)·scale + bias = x·a + b per channel. Folded into the producing Conv or
    /// linear layer when nothing else reads that layer's output; otherwise a channel-affine node.
    static func batchNormalization(_ g: inout GraphImport, _ c: NodeContext) throws {
        guard try c.int("training_mode", default: 0) == 0,
              !c.node.outputs.dropFirst().contains(where: { !$0.isEmpty && g.readers[$0, default: 0] > 0 }) else {
            throw Unsupported(reason: "training mode", suggestion: "export in inference mode (model.eval())")
        }
        guard case .value(let x)? = c.input(0) else { throw Unsupported(reason: "the input must be computed", suggestion: nil) }
        let epsilon = try c.float("epsilon", default: 1e-5)
        let scale = try c.constantInput(1, "scale").tensor, bias = try c.constantInput(2, "B").tensor
        let mean = try c.constantInput(3, "mean").tensor, variance = try c.constantInput(4, "var").tensor
        let channels = scale.count
        guard [bias, mean, variance].allSatisfy({ $0.count == channels }), scale.shape.count == 1 else {
            throw c.invalid("scale, B, mean and var must all have one value per channel")
        }
        var a = [Double](repeating: 0, count: channels), b = a
        for i in 0..<channels {
            guard variance.values[i] + epsilon > 0 else { throw c.invalid("variance + epsilon is not positive") }
            a[i] = scale.values[i] / (variance.values[i] + epsilon).squareRoot()
            b[i] = bias.values[i] - mean.values[i] * a[i]
        }
        let output = c.node.outputs[0]
        if g.readers[c.node.inputs[0], default: 0] == 1, let producer = g.builder.producer(of: x),
           let folded = try fold(producer.operation, a: a, b: b, inputRank: g.builder.graph.values[x].shape.count) {
            try g.builder.replaceOperation(producing: x, with: folded)
            g.slots[output] = .value(x)
            return
        }
        let affine = try ChannelAffine(scale: Tensor(shape: [channels], values: a), shift: Tensor(shape: [channels], values: b))
        let id = try g.builder.addNode(name: c.name, sourceOp: c.op, operation: .channelAffine(affine), inputs: [x], outputName: output)
        g.slots[output] = .value(id)
    }

    /// The producer with y·a + b folded into its weights and bias, when it is a Conv or a 2-D linear layer with one
    /// output channel per BatchNormalization channel.
    static func fold(_ operation: LayerOperation, a: [Double], b: [Double], inputRank: Int) throws -> LayerOperation? {
        let channels = a.count
        switch operation {
        case .convolution(.conv(var conv)) where conv.weight.shape[0] == channels:
            let perChannel = conv.weight.count / channels
            for i in 0..<conv.weight.count { conv.weight.values[i] *= a[i / perChannel] }
            conv.bias = try Tensor(shape: [channels], values: (0..<channels).map { (conv.bias?.values[$0] ?? 0) * a[$0] + b[$0] })
            return .conv(conv)
        case .linear(var linear) where linear.outputs == channels && inputRank == 2:
            for i in 0..<linear.weight.count { linear.weight.values[i] *= a[i / linear.inputs] }
            linear.bias = try Tensor(shape: [channels], values: (0..<channels).map { (linear.bias?.values[$0] ?? 0) * a[$0] + b[$0] })
            return .linear(linear)
        default:
            return nil
        }
    }
}
