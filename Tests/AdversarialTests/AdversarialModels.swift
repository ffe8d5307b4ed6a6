import ModelGraph
import Quantization

/// Graphs built in code for the adversarial suite. Every gadget is a model *output*, so a cheat in its lane
/// changes a public value directly: the cheating witness claims that value, and every equation but the one the
/// gadget itself enforces still holds (no downstream layer disagrees).
enum AdversarialModels {
    /// Tables of 2^6 points (sigmoid/tanh on [−2, 2), exp on [−3.94, 0] at step 1/16): three stacked tables
    /// then fit 2^9 rows instead of 2^10, and inputs beyond ±2 exercise the clamp.
    static let gadgetSettings = QuantizationSettings(tableBits: 6)

    /// x [1, 8] → fc (8 → 16), read by: LeakyRelu, Clip [−0.5, 1], Sigmoid, Tanh, MaxPool 2×2 (of fc as
    /// [1, 1, 4, 4]), Softmax (of fc as [4, 4]); fc_relu (8 → 4) → Relu; relu_a = Relu(fc_a (8 → 4)) ⊙ fc_b
    /// (8 → 4); fc_out (8 → 3). Outputs, in this order: relu, leaky, clip, sigmoid, tanh, pool, softmax,
    /// product, linear.
    static func gadgets(seed: UInt64 = 31) throws -> ModelGraph {
        var rng = SeededRandomReals(seed: seed)
        var b = GraphBuilder()
        let x = try b.addInput("x", shape: [1, 8])
        func linear(_ name: String, _ outputs: Int, scale: Double, bias: Double = 0) throws -> ValueID {
            let l = try Linear(weight: rng.tensor([outputs, 8], scale: scale), bias: rng.tensor([outputs], scale: 0.3, shift: bias))
            return try b.addNode(name: name, sourceOp: "Gemm", operation: .linear(l), inputs: [x], outputName: name + ".out")
        }
        let fc = try linear("fc", 16, scale: 1.6)
        let fcRelu = try linear("fc_relu", 4, scale: 1)
        let fcA = try linear("fc_a", 4, scale: 0.5, bias: -0.4)
        let fcB = try linear("fc_b", 4, scale: 1)
        let fcOut = try linear("fc_out", 3, scale: 1)
        var outputs: [(String, ValueID)] = []
        outputs.append(("relu", try b.addNode(name: "relu", sourceOp: "Relu", operation: .relu, inputs: [fcRelu], outputName: "relu.out")))
        outputs.append(("leaky", try b.addNode(name: "leaky", sourceOp: "LeakyRelu", operation: .leakyRelu(alpha: 0.1), inputs: [fc],
                                               outputName: "leaky.out")))
        outputs.append(("clip", try b.addNode(name: "clip", sourceOp: "Clip", operation: .clip(lower: -0.5, upper: 1.0), inputs: [fc],
                                              outputName: "clip.out")))
        outputs.append(("sigmoid", try b.addNode(name: "sigmoid", sourceOp: "Sigmoid", operation: .sigmoid, inputs: [fc],
                                                 outputName: "sigmoid.out")))
        outputs.append(("tanh", try b.addNode(name: "tanh", sourceOp: "Tanh", operation: .tanh, inputs: [fc], outputName: "tanh.out")))
        let square = try b.addNode(name: "square", sourceOp: "Reshape", operation: .reshape([1, 1, 4, 4]), inputs: [fc],
                                   outputName: "square.out")
        let pool = try Pooling(kernel: [2, 2], strides: [2, 2], pads: [0, 0, 0, 0])
        outputs.append(("pool", try b.addNode(name: "pool", sourceOp: "MaxPool", operation: .maxPool(pool), inputs: [square],
                                              outputName: "pool.out")))
        let rows = try b.addNode(name: "rows", sourceOp: "Reshape", operation: .reshape([4, 4]), inputs: [fc], outputName: "rows.out")
        outputs.append(("softmax", try b.addNode(name: "softmax", sourceOp: "Softmax", operation: .softmax, inputs: [rows],
                                                 outputName: "softmax.out")))
        let reluA = try b.addNode(name: "relu_a", sourceOp: "Relu", operation: .relu, inputs: [fcA], outputName: "relu_a.out")
        outputs.append(("product", try b.addNode(name: "product", sourceOp: "Mul", operation: .mul, inputs: [reluA, fcB],
                                                 outputName: "product.out")))
        outputs.append(("linear", fcOut))
        for (name, id) in outputs { try b.markOutput(id, name: name) }
        return try b.build()
    }

    /// input [1, 8] → fc1 (8 → 8) → Relu → fc2 (8 → 2), output. fc1's rows 0–3 read inputs 0–3 only, rows 4–7
    /// read inputs 4–7 only with a bias of −6: for inputs in [−1, 1) rows 4–7 are always negative, so their
    /// Relu outputs are 0 and inputs 4–7 never reach the output. Two inputs that differ only there are two
    /// different witnesses (input lanes, fc1 quotients, remainders, signs) with the same public output.
    static func hiddenHalf(seed: UInt64 = 37) throws -> ModelGraph {
        var rng = SeededRandomReals(seed: seed)
        var b = GraphBuilder()
        let x = try b.addInput("x", shape: [1, 8])
        var w1 = [Double](repeating: 0, count: 64)
        for r in 0..<8 {
            for c in 0..<8 where (r < 4) == (c < 4) { w1[r * 8 + c] = rng.unit() * 0.7 }
        }
        let b1 = (0..<8).map { $0 < 4 ? 0.5 + rng.unit() * 0.2 : -6 }
        let fc1 = try b.addNode(name: "fc1", sourceOp: "Gemm",
                                operation: .linear(try Linear(weight: Tensor(shape: [8, 8], values: w1), bias: Tensor(shape: [8], values: b1))),
                                inputs: [x], outputName: "fc1.out")
        let relu = try b.addNode(name: "relu1", sourceOp: "Relu", operation: .relu, inputs: [fc1], outputName: "relu1.out")
        let fc2 = try b.addNode(name: "fc2", sourceOp: "Gemm",
                                operation: .linear(try Linear(weight: rng.tensor([2, 8]), bias: rng.tensor([2], scale: 0.2))),
                                inputs: [relu], outputName: "y")
        try b.markOutput(fc2)
        return try b.build()
    }

    /// input [1, 4] → fc1 (4 → 6) → Relu → fc2 (6 → 2), output: small weights, so every activation stays
    /// within ±2 and the model runs at the largest activation scale (2^30 with 32-bit activations).
    static func small(seed: UInt64 = 41) throws -> ModelGraph {
        var rng = SeededRandomReals(seed: seed)
        var b = GraphBuilder()
        let x = try b.addInput("x", shape: [1, 4])
        let fc1 = try b.addNode(name: "fc1", sourceOp: "Gemm",
                                operation: .linear(try Linear(weight: rng.tensor([6, 4], scale: 0.3), bias: rng.tensor([6], scale: 0.1))),
                                inputs: [x], outputName: "fc1.out")
        let relu = try b.addNode(name: "relu1", sourceOp: "Relu", operation: .relu, inputs: [fc1], outputName: "relu1.out")
        let fc2 = try b.addNode(name: "fc2", sourceOp: "Gemm",
                                operation: .linear(try Linear(weight: rng.tensor([2, 6], scale: 0.3), bias: rng.tensor([2], scale: 0.1))),
                                inputs: [relu], outputName: "y")
        try b.markOutput(fc2)
        return try b.build()
    }
}
