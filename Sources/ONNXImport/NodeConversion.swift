#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ModelGraph

/// Translation of each supported ONNX operator (with at least one computed input) to graph nodes.
extension GraphImport {
    mutating func convertComputed(_ c: NodeContext) throws {
        let output = c.node.outputs[0]
        func add(_ operation: LayerOperation, _ inputIndices: [Int]) throws {
            var ids: [ValueID] = []
            for index in inputIndices {
                guard let slot = c.input(index) else { throw c.invalid("missing input \(index)") }
                ids.append(try graphValue(slot, name: c.node.inputs[index]))
            }
            let id = try builder.addNode(name: c.name, sourceOp: c.op, operation: operation, inputs: ids, outputName: output)
            slots[output] = .value(id)
        }
        func requireComputedFirst() throws {
            guard case .value? = c.input(0) else {
                throw Unsupported(reason: "the first input must be the computed tensor", suggestion: nil)
            }
        }
        func extraOutputsUnused(_ what: String) throws {
            if c.node.outputs.dropFirst().contains(where: { !$0.isEmpty && readers[$0, default: 0] > 0 }) {
                throw Unsupported(reason: "its \(what) output is used", suggestion: nil)
            }
        }

        switch c.op {
        case "Identity", "Dropout":
            try extraOutputsUnused("mask")
            if c.op == "Dropout" { try checkInferenceDropout(c) }
            guard let slot = c.input(0) else { throw c.invalid("missing input") }
            slots[output] = slot
        case "Gemm":
            try requireComputedFirst()
            let b = try c.constantInput(1, "B (weight)")
            guard b.tensor.shape.count == 2 else { throw c.invalid("B must be 2-D, got \(Shape.describe(b.tensor.shape))") }
            let alpha = try c.float("alpha", default: 1), beta = try c.float("beta", default: 1)
            let transB = try c.int("transB", default: 0) != 0
            let (k, n) = transB ? (b.tensor.shape[1], b.tensor.shape[0]) : (b.tensor.shape[0], b.tensor.shape[1])
            var weight = [Double](repeating: 0, count: n * k)
            for o in 0..<n {
                for i in 0..<k { weight[o * k + i] = alpha * (transB ? b.tensor.values[o * k + i] : b.tensor.values[i * n + o]) }
            }
            let aShape = try c.firstInputShape(in: builder)
            guard aShape.count == 2 else { throw c.invalid("A must be 2-D, got \(Shape.describe(aShape))") }
            let transA = try c.int("transA", default: 0) != 0
            let m = transA ? aShape[1] : aShape[0]
            // C broadcasts to [M, N]. One row of bias for every row of A is the linear layer's own bias
            // (added at scale s + w, before the rescale); a C that varies along M is added after the rescale
            // as a constant operand of an Add (docs/fixed-point.md §4).
            var bias: Tensor?, rowBias: Tensor?
            if let cTensor = try c.optionalConstant(2, "C (bias)")?.tensor {
                if (try? Shape.broadcast(cTensor.shape, [1, n])) == [1, n] {
                    let map = Shape.broadcastIndices(from: cTensor.shape, to: [1, n])
                    bias = try Tensor(shape: [n], values: map.map { beta * cTensor.values[$0] })
                } else if (try? Shape.broadcast(cTensor.shape, [m, n])) == [m, n] {
                    let map = Shape.broadcastIndices(from: cTensor.shape, to: [m, n])
                    rowBias = try Tensor(shape: [m, n], values: map.map { beta * cTensor.values[$0] })
                } else {
                    throw c.invalid("C of shape \(Shape.describe(cTensor.shape)) does not broadcast to [\(m), \(n)]")
                }
            }
            var x = try graphValue(try c.firstInput(), name: c.node.inputs[0])
            if transA {
                // Aᵀ is data movement (no rows in a circuit).
                x = try builder.addNode(name: c.name + "/transA", sourceOp: c.op, operation: .transpose([1, 0]), inputs: [x],
                                        outputName: output + "/transA")
            }
            let linear = LayerOperation.linear(try Linear(weight: Tensor(shape: [n, k], values: weight), bias: bias))
            if let rowBias {
                let product = try builder.addNode(name: c.name, sourceOp: c.op, operation: linear, inputs: [x], outputName: output + "/AB")
                let constant = try builder.addConstant(output + "/C", rowBias)
                slots[output] = .value(try builder.addNode(name: c.name + "/C", sourceOp: c.op, operation: .add,
                                                           inputs: [product, constant], outputName: output))
            } else {
                slots[output] = .value(try builder.addNode(name: c.name, sourceOp: c.op, operation: linear, inputs: [x], outputName: output))
            }
        case "MatMul":
            guard case .value? = c.input(0) else {
                throw Unsupported(reason: "constant × computed MatMul", suggestion: "transpose the product so the constant is on the right (x·W)")
            }
            guard case .constant(let b)? = c.input(1) else {
                throw Unsupported(reason: "MatMul of two computed tensors", suggestion: "only x·W with a constant W is supported")
            }
            guard b.tensor.shape.count == 2 else {
                throw Unsupported(reason: "weight of rank \(b.tensor.shape.count); only a 2-D constant weight is supported", suggestion: nil)
            }
            let k = b.tensor.shape[0], n = b.tensor.shape[1]
            var weight = [Double](repeating: 0, count: n * k)
            for o in 0..<n { for i in 0..<k { weight[o * k + i] = b.tensor.values[i * n + o] } }
            try add(.linear(Linear(weight: Tensor(shape: [n, k], values: weight), bias: nil)), [0])
        case "Add": try add(.add, [0, 1])
        case "Sub": try add(.sub, [0, 1])
        case "Mul": try add(.mul, [0, 1])
        case "Div":
            let divisor = try c.constantInput(1, "divisor")
            guard !divisor.tensor.values.contains(0) else { throw c.invalid("division by a constant zero") }
            try add(.div, [0, 1])
        case "Sum": try add(.sum, Array(0..<c.inputs.count))
        case "Relu": try add(.relu, [0])
        case "Sigmoid": try add(.sigmoid, [0])
        case "Tanh": try add(.tanh, [0])
        case "LeakyRelu": try add(.leakyRelu(alpha: try c.float("alpha", default: 0.01)), [0])
        case "Clip":
            var lower: Double?, upper: Double?
            if c.opset < 11 {
                lower = c.node.attribute("min").flatMap(\.float).map(Double.init)
                upper = c.node.attribute("max").flatMap(\.float).map(Double.init)
            } else {
                lower = try c.optionalConstant(1, "min")?.tensor.values.first
                upper = try c.optionalConstant(2, "max")?.tensor.values.first
            }
            if let l = lower, l <= -3.4e38 { lower = nil }
            if let u = upper, u >= 3.4e38 { upper = nil }
            // min > max is allowed: ONNX then sets every element to max, which min(max(x, lo), hi) does.
            try add(.clip(lower: lower, upper: upper), [0])
        case "Conv":
            try requireComputedFirst()
            let weight = try c.constantInput(1, "weight").tensor
            guard weight.shape.count == 4 else {
                throw Unsupported(reason: "only 2-D convolution is supported (weight rank \(weight.shape.count))", suggestion: nil)
            }
            guard try c.int("group", default: 1) == 1 else {
                throw Unsupported(reason: "group ≠ 1 (grouped or depthwise convolution)", suggestion: "export with groups = 1")
            }
            let bias = try c.optionalConstant(2, "bias")?.tensor
            let kernel = Array(weight.shape[2...])
            if let declared = c.ints("kernel_shape"), declared.map({ Int($0) }) != kernel {
                throw c.invalid("kernel_shape \(declared) disagrees with the weight \(Shape.describe(weight.shape))")
            }
            let strides = try c.sizes("strides", count: 2, default: [1, 1])
            let dilations = try c.sizes("dilations", count: 2, default: [1, 1])
            let pads = try resolvePads(c, kernel: kernel, strides: strides, dilations: dilations)
            try add(.conv(Convolution(weight: weight, bias: bias, strides: strides, pads: pads, dilations: dilations)), [0])
        case "MaxPool", "AveragePool":
            try requireComputedFirst()
            try extraOutputsUnused("Indices")
            let kernel = try c.sizes("kernel_shape", count: 2, default: [])
            guard kernel.count == 2 else { throw Unsupported(reason: "only 2-D pooling is supported", suggestion: nil) }
            guard try c.int("ceil_mode", default: 0) == 0 else {
                throw Unsupported(reason: "ceil_mode = 1", suggestion: "add explicit bottom/right padding and use ceil_mode = 0")
            }
            guard try c.sizes("dilations", count: 2, default: [1, 1]) == [1, 1] else {
                throw Unsupported(reason: "dilated pooling", suggestion: nil)
            }
            let strides = try c.sizes("strides", count: 2, default: [1, 1])
            let pads = try resolvePads(c, kernel: kernel, strides: strides, dilations: [1, 1])
            let pool = try Pooling(kernel: kernel, strides: strides, pads: pads,
                                   countIncludePad: try c.int("count_include_pad", default: 0) != 0)
            try add(c.op == "MaxPool" ? .maxPool(pool) : .averagePool(pool), [0])
        case "GlobalAveragePool": try add(.globalAveragePool, [0])
        case "Flatten", "Reshape", "Squeeze", "Unsqueeze":
            let target = try ShapeOps.reshapeTarget(c, inputShape: try c.firstInputShape(in: builder))
            try add(.reshape(target), [0])
        case "Transpose":
            let rank = try c.firstInputShape(in: builder).count
            let perm = c.ints("perm").map { $0.map { Int(truncatingIfNeeded: $0) } } ?? Array((0..<rank).reversed())
            try add(.transpose(perm), [0])
        case "Concat":
            let rank = try c.firstInputShape(in: builder).count
            guard let axis = c.node.attribute("axis")?.int else { throw c.invalid("missing attribute 'axis'") }
            try add(.concat(axis: try ShapeOps.normalizeAxis(axis, rank: rank, c)), Array(0..<c.inputs.count))
        case "Softmax":
            try convertSoftmax(c)
        case "BatchNormalization":
            try convertBatchNormalization(c)
        default:
            throw Unsupported(reason: "operator not supported", suggestion: nil)
        }
    }

    /// Softmax over `axis`, as the last-axis softmax of docs/fixed-point.md §7 between data movements (which
    /// cost nothing in a circuit). Opset 13 and later: over that one axis, so the axis is transposed to the
    /// end and back. Before 13: over the input coerced to 2-D at the axis ([∏ dims before, ∏ dims from it]),
    /// so the tensor is reshaped to that and back.
    mutating func convertSoftmax(_ c: NodeContext) throws {
        let shape = try c.firstInputShape(in: builder)
        let rank = shape.count
        let axis = try ShapeOps.normalizeAxis(try c.int("axis", default: c.opset >= 13 ? -1 : 1), rank: rank, c)
        let output = c.node.outputs[0]
        var x = try graphValue(try c.firstInput(), name: c.node.inputs[0])
        let before: LayerOperation?, after: LayerOperation?
        if axis == rank - 1 {
            (before, after) = (nil, nil)
        } else if c.opset >= 13 {
            var perm = Array(0..<rank)
            perm.remove(at: axis)
            perm.append(axis)
            var inverse = [Int](repeating: 0, count: rank)
            for (position, source) in perm.enumerated() { inverse[source] = position }
            (before, after) = (.transpose(perm), .transpose(inverse))
        } else {
            (before, after) = (.reshape([shape[..<axis].reduce(1, *), shape[axis...].reduce(1, *)]), .reshape(shape))
        }
        if let before {
            x = try builder.addNode(name: c.name + "/axis", sourceOp: c.op, operation: before, inputs: [x], outputName: output + "/axis")
        }
        let softmax = try builder.addNode(name: c.name, sourceOp: c.op, operation: .softmax, inputs: [x],
                                          outputName: after == nil ? output : output + "/softmax")
        slots[output] = .value(after == nil ? softmax : try builder.addNode(
            name: c.name + "/back", sourceOp: c.op, operation: after!, inputs: [softmax], outputName: output))
    }

    /// Dropout is the identity in inference. In training mode (the `training_mode` input, opset 12 and later)
    /// it draws a random mask, which is refused unless the ratio is 0.
    func checkInferenceDropout(_ c: NodeContext) throws {
        guard c.opset >= 12, let mode = c.input(2) else { return }
        guard case .constant(let flag) = mode else {
            throw Unsupported(reason: "training_mode is computed", suggestion: "export in inference mode (model.eval())")
        }
        guard flag.tensor.values.contains(where: { $0 != 0 }) else { return }
        let ratio = try c.optionalConstant(1, "ratio")?.tensor.values.first ?? 0.5
        if ratio != 0 {
            throw Unsupported(reason: "training-mode Dropout (ratio \(ratio)) draws a random mask",
                              suggestion: "export in inference mode (model.eval())")
        }
    }

    /// Explicit pads from `pads` or `auto_pad` (static shapes make SAME computable here).
    func resolvePads(_ c: NodeContext, kernel: [Int], strides: [Int], dilations: [Int]) throws -> [Int] {
        // SAME divides by the strides: check them (and the dilations) here, before the layer's own checks.
        guard strides.allSatisfy({ $0 >= 1 }), dilations.allSatisfy({ $0 >= 1 }) else {
            throw c.invalid("strides \(strides) and dilations \(dilations) must be at least 1")
        }
        let mode = c.node.attribute("auto_pad")?.string ?? "NOTSET"
        switch mode {
        case "NOTSET", "":
            return try c.sizes("pads", count: 4, default: [0, 0, 0, 0])
        case "VALID":
            return [0, 0, 0, 0]
        case "SAME_UPPER", "SAME_LOWER":
            let shape = try c.firstInputShape(in: builder)
            guard shape.count == 4 else { throw c.invalid("input must be NCHW") }
            var pads = [0, 0, 0, 0]
            for axis in 0..<2 {
                let size = shape[2 + axis]
                let out = (size + strides[axis] - 1) / strides[axis]
                let total = max(0, (out - 1) * strides[axis] + (kernel[axis] - 1) * dilations[axis] + 1 - size)
                let small = total / 2, large = total - small
                pads[axis] = mode == "SAME_UPPER" ? small : large
                pads[axis + 2] = mode == "SAME_UPPER" ? large : small
            }
            return pads
        default:
            throw c.invalid("unknown auto_pad '\(mode)'")
        }
    }

    /// y = (x − mean)/√(var + ε)·scale + bias = x·a + b per channel. Folded into the producing Conv or
    /// linear layer when nothing else reads that layer's output; otherwise a channel-affine node.
    mutating func convertBatchNormalization(_ c: NodeContext) throws {
        guard try c.int("training_mode", default: 0) == 0,
              !c.node.outputs.dropFirst().contains(where: { !$0.isEmpty && readers[$0, default: 0] > 0 }) else {
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
        let inputName = c.node.inputs[0]
        if readers[inputName, default: 0] == 1, let producer = builder.producer(of: x) {
            var folded: LayerOperation?
            switch producer.operation {
            case .conv(var conv) where conv.weight.shape[0] == channels:
                let perChannel = conv.weight.count / channels
                for i in 0..<conv.weight.count { conv.weight.values[i] *= a[i / perChannel] }
                conv.bias = try Tensor(shape: [channels], values: (0..<channels).map { (conv.bias?.values[$0] ?? 0) * a[$0] + b[$0] })
                folded = .conv(conv)
            case .linear(var linear) where linear.outputs == channels && builder.graph.values[x].shape.count == 2:
                for i in 0..<linear.weight.count { linear.weight.values[i] *= a[i / linear.inputs] }
                linear.bias = try Tensor(shape: [channels], values: (0..<channels).map { (linear.bias?.values[$0] ?? 0) * a[$0] + b[$0] })
                folded = .linear(linear)
            default: break
            }
            if let folded {
                try builder.replaceOperation(producing: x, with: folded)
                slots[output] = .value(x)
                return
            }
        }
        let affine = try ChannelAffine(scale: Tensor(shape: [channels], values: a), shift: Tensor(shape: [channels], values: b))
        let id = try builder.addNode(name: c.name, sourceOp: c.op, operation: .channelAffine(affine), inputs: [x], outputName: output)
        slots[output] = .value(id)
    }
}
