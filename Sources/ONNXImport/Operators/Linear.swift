import ModelGraph

/// Gemm and MatMul by a constant → `linear` with a `[N, K]` weight (alpha and transB folded in, beta·C the bias).
enum LinearImport {
    static let converters: [String: Converter] = ["Gemm": gemm, "MatMul": matMul]

    static func gemm(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let b = try c.constantInput(1, "B (weight)")
        guard b.tensor.shape.count == 2 else { throw c.invalid("B must be 2-D, got \(Shape.describe(b.tensor.shape))") }
        let alpha = try c.float("alpha", default: 1), beta = try c.float("beta", default: 1)
        let transB = try c.int("transB", default: 0) != 0
        let (k, n) = transB ? (b.tensor.shape[1], b.tensor.shape[0]) : (b.tensor.shape[0], b.tensor.shape[1])
        var weight = [Double](repeating: 0, count: n * k)
        for o in 0..<n {
            for i in 0..<k { weight[o * k + i] = alpha * (transB ? b.tensor.values[o * k + i] : b.tensor.values[i * n + o]) }
        }
        let aShape = try g.shape(c, 0)
        guard aShape.count == 2 else { throw c.invalid("A must be 2-D, got \(Shape.describe(aShape))") }
        let transA = try c.int("transA", default: 0) != 0
        let m = transA ? aShape[1] : aShape[0]
        // C broadcasts to [M, N]. One row of bias for every row of A is the linear layer's own bias (added at scale
        // s + w, before the rescale); a C that varies along M is added after the rescale as a constant operand of an
        // Add (docs/fixed-point.md §4).
        var bias: Tensor?
        var fullC: Tensor?
        if let cTensor = try c.optionalConstant(2, "C (bias)")?.tensor {
            if (try? Shape.broadcast(cTensor.shape, [1, n])) == [1, n] {
                let map = Shape.broadcastIndices(from: cTensor.shape, to: [1, n])
                bias = try Tensor(shape: [n], values: map.map { beta * cTensor.values[$0] })
            } else if (try? Shape.broadcast(cTensor.shape, [m, n])) == [m, n] {
                fullC = try Tensor(shape: cTensor.shape, values: cTensor.values.map { beta * $0 })
            } else {
                throw c.invalid("C of shape \(Shape.describe(cTensor.shape)) does not broadcast to [\(m), \(n)]")
            }
        }
        let linear = LayerOperation.linear(try Linear(weight: Tensor(shape: [n, k], values: weight), bias: bias))
        guard transA || fullC != nil else { try g.add(c, linear, [0]); return }
        let output = c.node.outputs[0]
        var x = try g.graphValue(try c.firstInput(), name: c.node.inputs[0])
        if transA {
            // Aᵀ is data movement (no rows in a circuit).
            x = try g.builder.addNode(name: c.name + "/transA", sourceOp: c.op, operation: .transpose([1, 0]), inputs: [x],
                                      outputName: output + "/transA")
        }
        guard let fullC else {
            g.slots[output] = .value(try g.builder.addNode(name: c.name, sourceOp: c.op, operation: linear, inputs: [x], outputName: output))
            return
        }
        // y = A·B + C with C per row: the product, then an Add of the constant.
        let product = try g.builder.addNode(name: c.name, sourceOp: c.op, operation: linear, inputs: [x], outputName: output + "/product")
        let constant = try g.builder.addConstant(output + "/C", fullC)
        g.slots[output] = .value(try g.builder.addNode(name: c.name + "/C", sourceOp: c.op, operation: .add, inputs: [product, constant],
                                                       outputName: output))
    }

    /// x·W with a constant 2-D W → `linear`; any other MatMul (two computed tensors, a constant on the left, a
    /// batched constant) → the activation product `arithmetic(.matMul)` (docs/fixed-point.md §5).
    static func matMul(_ g: inout GraphImport, _ c: NodeContext) throws {
        guard c.input(0) != nil, c.input(1) != nil else { throw c.invalid("MatMul needs two inputs") }
        guard case .value? = c.input(0), case .constant(let b)? = c.input(1) else {
            try g.add(c, .arithmetic(.matMul), [0, 1])
            return
        }
        guard b.tensor.shape.count == 2 else { return try BatchedMatMul.convert(&g, c, weight: b.tensor) }
        let k = b.tensor.shape[0], n = b.tensor.shape[1]
        var weight = [Double](repeating: 0, count: n * k)
        for o in 0..<n { for i in 0..<k { weight[o * k + i] = b.tensor.values[i * n + o] } }
        try g.add(c, .linear(Linear(weight: Tensor(shape: [n, k], values: weight), bias: nil)), [0])
    }
}
