import ModelGraph

/// Small graphs built in code, with seeded weights, so that tests know every layer's name and shape.
enum SyntheticModels {
    /// input [1, n] → fc1 (n→h) → relu1 → fc2 (h→h) → relu2 → fc3 (h→3), output.
    static func mlp(inputs n: Int = 6, hidden h: Int = 16, seed: UInt64 = 7) throws -> ModelGraph {
        var rng = SeededRandom(seed: seed)
        var b = GraphBuilder()
        var x = try b.addInput("x", shape: [1, n])
        var width = n
        for (index, outputs) in [h, h, 3].enumerated() {
            let linear = try Linear(weight: rng.tensor([outputs, width], scale: 0.8), bias: rng.tensor([outputs], scale: 0.3))
            x = try b.addNode(name: "fc\(index + 1)", sourceOp: "Gemm", operation: .linear(linear), inputs: [x],
                              outputName: "fc\(index + 1).out")
            if index < 2 {
                x = try b.addNode(name: "relu\(index + 1)", sourceOp: "Relu", operation: .relu, inputs: [x],
                                  outputName: "relu\(index + 1).out")
            }
            width = outputs
        }
        try b.markOutput(x)
        return try b.build()
    }

    /// Every folded operation and all wiring: conv → avgpool → channel affine → (relu standalone, read twice)
    /// → add/sub/sum/mul/div with constants and activations → transpose/concat/reshape → global average pool
    /// → gemm, output.
    static func everyLinearOperation(seed: UInt64 = 11) throws -> ModelGraph {
        var rng = SeededRandom(seed: seed)
        var b = GraphBuilder()
        let x = try b.addInput("x", shape: [1, 2, 6, 6])
        let conv = try Convolution(weight: rng.tensor([3, 2, 3, 3], scale: 0.5), bias: rng.tensor([3], scale: 0.2),
                                   strides: [1, 1], pads: [1, 0, 1, 1], dilations: [1, 1])
        let c = try b.addNode(name: "conv", sourceOp: "Conv", operation: .conv(conv), inputs: [x], outputName: "conv.out")
        let pool = try Pooling(kernel: [2, 2], strides: [2, 1], pads: [1, 1, 0, 0])
        let p = try b.addNode(name: "avg", sourceOp: "AveragePool", operation: .averagePool(pool), inputs: [c], outputName: "avg.out")
        let affine = try ChannelAffine(scale: rng.tensor([3]), shift: rng.tensor([3], scale: 0.1))
        let a = try b.addNode(name: "affine", sourceOp: "BatchNormalization", operation: .channelAffine(affine), inputs: [p],
                              outputName: "affine.out")
        let r = try b.addNode(name: "relu", sourceOp: "Relu", operation: .relu, inputs: [a], outputName: "relu.out")
        let k = try b.addConstant("k", rng.tensor([1, 3, 1, 1]))
        let added = try b.addNode(name: "add", sourceOp: "Add", operation: .add, inputs: [r, a], outputName: "add.out")
        let sub = try b.addNode(name: "sub", sourceOp: "Sub", operation: .sub, inputs: [added, k], outputName: "sub.out")
        let mul = try b.addNode(name: "mul", sourceOp: "Mul", operation: .mul, inputs: [k, sub], outputName: "mul.out")
        let two = try b.addConstant("two", try Tensor(shape: [], values: [1.75]))
        let div = try b.addNode(name: "div", sourceOp: "Div", operation: .div, inputs: [mul, two], outputName: "div.out")
        let sum = try b.addNode(name: "sum", sourceOp: "Sum", operation: .sum, inputs: [div, r, div], outputName: "sum.out")
        let shape = b.graph.values[sum].shape
        let cat = try b.addNode(name: "concat", sourceOp: "Concat", operation: .concat(axis: 1), inputs: [sum, r], outputName: "cat.out")
        let t = try b.addNode(name: "transpose", sourceOp: "Transpose", operation: .transpose([0, 1, 3, 2]), inputs: [cat],
                              outputName: "t.out")
        let g = try b.addNode(name: "gap", sourceOp: "GlobalAveragePool", operation: .globalAveragePool, inputs: [t],
                              outputName: "gap.out")
        let flat = try b.addNode(name: "flatten", sourceOp: "Flatten", operation: .reshape([1, 2 * shape[1]]), inputs: [g],
                                 outputName: "flat.out")
        let fc = try Linear(weight: rng.tensor([4, 2 * shape[1]]), bias: rng.tensor([4], scale: 0.1))
        let y = try b.addNode(name: "fc", sourceOp: "Gemm", operation: .linear(fc), inputs: [flat], outputName: "y")
        try b.markOutput(y)
        return try b.build()
    }

    /// Every standalone gadget: conv → MaxPool (2×2, stride 2, padded so border windows repeat an element) →
    /// flatten → fc, read by LeakyRelu, Clip (both sides and lower only), Tanh, and ×8 → Sigmoid (whose inputs
    /// reach beyond the table's grid); Sigmoid × Tanh (two activations); Sum of the branches, output.
    static func everyGadget(seed: UInt64 = 13) throws -> ModelGraph {
        var rng = SeededRandom(seed: seed)
        var b = GraphBuilder()
        let x = try b.addInput("x", shape: [1, 2, 5, 5])
        let conv = try Convolution(weight: rng.tensor([3, 2, 3, 3], scale: 0.5), bias: rng.tensor([3], scale: 0.2),
                                   strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1])
        let c = try b.addNode(name: "conv", sourceOp: "Conv", operation: .conv(conv), inputs: [x], outputName: "conv.out")
        let pool = try Pooling(kernel: [2, 2], strides: [2, 2], pads: [1, 1, 0, 0])
        let p = try b.addNode(name: "pool", sourceOp: "MaxPool", operation: .maxPool(pool), inputs: [c], outputName: "pool.out")
        let flat = try b.addNode(name: "flatten", sourceOp: "Flatten", operation: .reshape([1, 27]), inputs: [p], outputName: "flat.out")
        let linear = try Linear(weight: rng.tensor([12, 27], scale: 0.6), bias: rng.tensor([12], scale: 0.3))
        let fc = try b.addNode(name: "fc", sourceOp: "Gemm", operation: .linear(linear), inputs: [flat], outputName: "fc.out")
        let eight = try b.addConstant("eight", Tensor(scalar: 8))
        let scaled = try b.addNode(name: "scale", sourceOp: "Mul", operation: .mul, inputs: [fc, eight], outputName: "scale.out")
        let leaky = try b.addNode(name: "leaky", sourceOp: "LeakyRelu", operation: .leakyRelu(alpha: 0.1), inputs: [fc],
                                  outputName: "leaky.out")
        let clip = try b.addNode(name: "clip", sourceOp: "Clip", operation: .clip(lower: -0.5, upper: 1.0), inputs: [fc],
                                 outputName: "clip.out")
        let clipLow = try b.addNode(name: "clip_low", sourceOp: "Clip", operation: .clip(lower: 0.2, upper: nil), inputs: [fc],
                                    outputName: "clip_low.out")
        let sigmoid = try b.addNode(name: "sigmoid", sourceOp: "Sigmoid", operation: .sigmoid, inputs: [scaled],
                                    outputName: "sigmoid.out")
        let tanh = try b.addNode(name: "tanh", sourceOp: "Tanh", operation: .tanh, inputs: [fc], outputName: "tanh.out")
        let product = try b.addNode(name: "product", sourceOp: "Mul", operation: .mul, inputs: [sigmoid, tanh],
                                    outputName: "product.out")
        let sum = try b.addNode(name: "sum", sourceOp: "Sum", operation: .sum, inputs: [leaky, clip, clipLow, product],
                                outputName: "y")
        try b.markOutput(sum)
        return try b.build()
    }

    /// input [1, 6] → fc (6→12) → reshape [3, 4] → Softmax (last axis), output: three rows of four. The fc's
    /// weights are scaled so that the row spreads reach the exp table's clamp (d below −16) as well as its grid.
    static func softmax(seed: UInt64 = 17) throws -> ModelGraph {
        var rng = SeededRandom(seed: seed)
        var b = GraphBuilder()
        let x = try b.addInput("x", shape: [1, 6])
        let linear = try Linear(weight: rng.tensor([12, 6], scale: 8), bias: rng.tensor([12], scale: 1))
        let fc = try b.addNode(name: "fc", sourceOp: "Gemm", operation: .linear(linear), inputs: [x], outputName: "fc.out")
        let rows = try b.addNode(name: "rows", sourceOp: "Reshape", operation: .reshape([3, 4]), inputs: [fc], outputName: "rows.out")
        let y = try b.addNode(name: "softmax", sourceOp: "Softmax", operation: .softmax, inputs: [rows], outputName: "y")
        try b.markOutput(y)
        return try b.build()
    }
}
