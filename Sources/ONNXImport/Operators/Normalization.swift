import ModelGraph

/// Softmax (last axis) and BatchNormalization (folded into the producing Conv/Gemm, or a channel affine).
enum NormalizationImport {
    static let converters: [String: Converter] = ["Softmax": softmax, "BatchNormalization": batchNormalization]

    /// Softmax over `axis`, as the last-axis softmax of docs/fixed-point.md §7 between data movements (which cost
    /// nothing in a circuit). Opset 13 and later: over that one axis, so the axis is transposed to the end and back.
    /// Before 13: over the input coerced to 2-D at the axis ([∏ dims before, ∏ dims from it]), so the tensor is
    /// reshaped to that and back.
    static func softmax(_ g: inout GraphImport, _ c: NodeContext) throws {
        let shape = try g.shape(c, 0)
        let rank = shape.count
        let axis = try ShapeOps.normalizeAxis(try c.int("axis", default: c.opset >= 13 ? -1 : 1), rank: rank, c)
        guard axis != rank - 1 else { try g.add(c, .softmax, [0]); return }
        let output = c.node.outputs[0]
        var x = try g.graphValue(try c.firstInput(), name: c.node.inputs[0])
        let before: LayerOperation, after: LayerOperation
        if c.opset >= 13 {
            var perm = Array(0..<rank)
            perm.remove(at: axis)
            perm.append(axis)
            var inverse = [Int](repeating: 0, count: rank)
            for (position, source) in perm.enumerated() { inverse[source] = position }
            (before, after) = (.transpose(perm), .transpose(inverse))
        } else {
            (before, after) = (.reshape([shape[..<axis].reduce(1, *), shape[axis...].reduce(1, *)]), .reshape(shape))
        }
        x = try g.builder.addNode(name: c.name + "/axis", sourceOp: c.op, operation: before, inputs: [x], outputName: output + "/axis")
        let softmax = try g.builder.addNode(name: c.name, sourceOp: c.op, operation: .softmax, inputs: [x],
                                            outputName: output + "/softmax")
        g.slots[output] = .value(try g.builder.addNode(name: c.name + "/back", sourceOp: c.op, operation: after, inputs: [softmax],
                                                       outputName: output))
    }

    /// y = (x − mean)/√(var + ε)·scale + bias = x·a + b per channel. Folded into the producing Conv or
    /// linear layer when nothing else reads that layer's output; otherwise a channel-affine node.
    static func batchNormalization(_ g: inout GraphImport, _ c: NodeContext) throws {
        if c.opset >= 14, try c.int("training_mode", default: 0) != 0 { return try batchNormalizationTraining(&g, c) }
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

    /// Training mode (opset 14 and later) as a composition of the transformer op set, like LayerNormalization
    /// (docs/fixed-point.md §6c): over every axis but the channel axis 1, μ = ReduceMean(x), d = x − μ,
    /// σ² = ReduceMean(d·d), y = d·Reciprocal(Sqrt(σ² + ε))·scale + B; the optional running statistics are
    /// input_mean·momentum + μ·(1 − momentum) and input_var·momentum + σ²·(1 − momentum) (σ² the population variance).
    static func batchNormalizationTraining(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        guard shape.count >= 2 else { throw c.invalid("the input must have a channel axis (rank 2 or more)") }
        let channels = shape[1]
        let epsilon = try ActivationImport.finite(c, "epsilon", default: 1e-5)
        let momentum = try ActivationImport.finite(c, "momentum", default: 0.9)
        let constants = try (1...4).map { try c.constantInput($0, ["scale", "B", "input_mean", "input_var"][$0 - 1]).tensor }
        guard constants.allSatisfy({ $0.count == channels && $0.shape.count == 1 }) else {
            throw c.invalid("scale, B, input_mean and input_var must all have one value per channel")
        }
        guard constants.allSatisfy({ $0.values.allSatisfy(\.isFinite) }) else { throw c.invalid("a statistic is not finite") }
        let perChannel = [channels] + [Int](repeating: 1, count: shape.count - 2)
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let axes = [0] + Array(2..<shape.count)
        let mean = Reduction(axes: axes, keepDims: true, mean: true)
        let mu = try k.add(&g, .pooling(.reduce(mean)), [x])
        let d = try k.add(&g, .sub, [x, mu])
        let variance = try k.add(&g, .pooling(.reduce(mean)), [try k.add(&g, .mul, [d, d])])
        let sigma = try k.add(&g, .activation(.sqrt), [try k.add(&g, .add, [variance, try k.constant(&g, epsilon)])])
        let z = try k.add(&g, .mul, [d, try k.add(&g, .activation(.reciprocal), [sigma])])
        let prefix = k.prefix
        let scale = try g.builder.addConstant("\(prefix)/batchnorm_scale", try Tensor(shape: perChannel, values: constants[0].values))
        let bias = try g.builder.addConstant("\(prefix)/batchnorm_bias", try Tensor(shape: perChannel, values: constants[1].values))
        _ = try k.add(&g, .add, [try k.add(&g, .mul, [z, scale]), bias], final: true)
        let outputs = c.node.outputs
        guard outputs.count <= 3 else { throw c.invalid("BatchNormalization has at most three outputs") }
        for (index, statistic, running) in [(1, mu, constants[2]), (2, variance, constants[3])]
        where outputs.count > index && !outputs[index].isEmpty {
            let flat = try k.add(&g, .reshape([channels]), [statistic])
            let kept = try k.add(&g, .mul, [flat, try k.constant(&g, 1 - momentum)])
            let carried = try g.builder.addConstant("\(prefix)/batchnorm_running\(index)",
                                                    Tensor(shape: [channels], values: running.values.map { $0 * momentum }))
            g.slots[outputs[index]] = .value(try k.add(&g, .add, [kept, carried]))
        }
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
