import ModelGraph

/// The integer parameters of one node (spec §4–§7). Which fields are used depends on the operation.
public struct QuantizedNode: Sendable {
    /// Integer multipliers at scale 2^w: linear/conv weights (same layout as the float weight),
    /// channel-affine scales, AveragePool per-position multipliers Q_w(1/n), the GlobalAveragePool
    /// multiplier, LeakyRelu's alpha, a Mul/Div constant operand (broadcast to the output shape).
    public var weights: [Int64] = []
    /// Biases at scale 2^(s+w), added into the accumulator before the rescale.
    public var bias: [Int64] = []
    /// Add/Sub/Sum: each constant operand at scale 2^s broadcast to the output shape; Concat: each constant
    /// operand at scale 2^s in its own shape (nil for activations).
    public var constantOperands: [[Int64]?] = []
    /// k of the rescale that follows the accumulator (0: none).
    public var shift = 0
    /// Clip bounds at scale 2^s (nil: unbounded).
    public var lower: Int64?
    public var upper: Int64?
    /// Sigmoid/Tanh/Softmax: the interpolated table (its `shift` is k = s − t).
    public var table: LookupTable?
    /// True when the worst-case accumulator over all in-bound inputs stays below 2^61, so the kernel
    /// may use plain 64-bit arithmetic without overflow checks.
    public var accumulatorFitsStatically = true
    /// Linear layers: the weights as Doubles and Σ_k |W_q[n, k]| per row. When Σ|W_q|·max|x| + |b| < 2^52
    /// every partial sum is an integer exact in a Double, and the kernel may use the SIMD dot product.
    public var weightsAsDouble: [Double] = []
    public var rowAbsSums: [Double] = []
}

/// A graph with the fixed-point form of every node: what the integer path runs and the circuit proves.
public struct QuantizedModel: Sendable {
    public let graph: ModelGraph
    public let settings: QuantizationSettings
    public let nodes: [QuantizedNode]

    public init(_ graph: ModelGraph, settings: QuantizationSettings) throws {
        try settings.validate()
        self.graph = graph
        self.settings = settings
        var nodes: [QuantizedNode] = []
        nodes.reserveCapacity(graph.nodes.count)
        for node in graph.nodes { nodes.append(try Self.quantize(node, graph: graph, settings: settings)) }
        self.nodes = nodes
    }

    static func quantize(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) throws -> QuantizedNode {
        let s = settings.activationScale, w = settings.parameterScale
        let bound = Double(settings.activationMaxExclusive)
        var q = QuantizedNode()
        func quantizeAll(_ values: [Double], scale: Int, _ what: String) throws -> [Int64] {
            var result = [Int64](repeating: 0, count: values.count)
            for (i, v) in values.enumerated() {
                guard let r = FixedPoint.quantize(v, scale: scale) else {
                    throw QuantizationError.unrepresentableConstant(layer: node.label, what: "\(what) \(v)")
                }
                result[i] = r
            }
            return result
        }
        /// Worst case Σ|w|·2^(B−1) + |b| per output row must stay below 2^61 for the unchecked kernel.
        func staticallySafe(rows: Int, rowLength: Int) -> Bool {
            for r in 0..<rows {
                var total = q.bias.isEmpty ? 0 : Double(abs(q.bias[r]))
                for i in 0..<rowLength { total += Double(abs(q.weights[r * rowLength + i])) * bound }
                if total >= 0x1p61 { return false }
            }
            return true
        }
        func constantOperand(_ input: ValueID, scale: Int, transform: (Double) -> Double = { $0 }) throws -> [Int64]? {
            guard let constant = graph.values[input].constant else { return nil }
            let map = Shape.broadcastIndices(from: constant.shape, to: graph.values[node.output].shape)
            let quantized = try quantizeAll(constant.values.map(transform), scale: scale, "constant")
            return map.map { quantized[$0] }
        }

        switch node.operation {
        case .linear(let linear):
            q.weights = try quantizeAll(linear.weight.values, scale: w, "weight")
            q.bias = try quantizeAll(linear.bias?.values ?? [Double](repeating: 0, count: linear.outputs), scale: s + w, "bias")
            q.shift = w
            q.accumulatorFitsStatically = staticallySafe(rows: linear.outputs, rowLength: linear.inputs)
            q.weightsAsDouble = q.weights.map { Double($0) }
            q.rowAbsSums = (0..<linear.outputs).map { r in
                q.weights[r * linear.inputs..<(r + 1) * linear.inputs].reduce(0.0) { $0 + Double(abs($1)) }
            }
        case .conv(let conv):
            let m = conv.weight.shape[0]
            q.weights = try quantizeAll(conv.weight.values, scale: w, "weight")
            q.bias = try quantizeAll(conv.bias?.values ?? [Double](repeating: 0, count: m), scale: s + w, "bias")
            q.shift = w
            q.accumulatorFitsStatically = staticallySafe(rows: m, rowLength: conv.weight.count / m)
        case .channelAffine(let affine):
            q.weights = try quantizeAll(affine.scale.values, scale: w, "scale")
            q.bias = try quantizeAll(affine.shift.values, scale: s + w, "shift")
            q.shift = w
            q.accumulatorFitsStatically = staticallySafe(rows: affine.scale.count, rowLength: 1)
        case .averagePool(let pool):
            let input = graph.values[node.inputs[0]].shape, output = graph.values[node.output].shape
            let window = Layout.Window(input: input, output: output, kernel: pool.kernel, strides: pool.strides,
                                       pads: pool.pads, dilations: [1, 1])
            let divisors = Layout.averageDivisors(window, countIncludePad: pool.countIncludePad)
            q.weights = try quantizeAll(divisors.map { 1 / Double($0) }, scale: w, "1/n")
            q.shift = w
        case .globalAveragePool:
            let input = graph.values[node.inputs[0]].shape
            q.weights = try quantizeAll([1 / Double(input.dropFirst(2).reduce(1, *))], scale: w, "1/n")
            q.shift = w
        case .add, .sub, .sum:
            q.constantOperands = try node.inputs.map { try constantOperand($0, scale: s) }
        case .mul:
            let constants = try node.inputs.map { try constantOperand($0, scale: w) }
            if let index = constants.firstIndex(where: { $0 != nil }) {
                if constants.allSatisfy({ $0 != nil }) {
                    throw QuantizationError.invalidSettings("node \(node.label) multiplies two constants; fold it before quantizing")
                }
                q.weights = constants[index]!
                q.shift = w
            } else {
                q.shift = s  // activation × activation: product at scale 2s
            }
        case .div:
            q.weights = try constantOperand(node.inputs[1], scale: w, transform: { 1 / $0 }) ?? []
            q.shift = w
        case .leakyRelu(let alpha):
            q.weights = try quantizeAll([alpha], scale: w, "alpha")
            q.shift = w
        case .clip(let lower, let upper):
            q.lower = try lower.map { try quantizeAll([$0], scale: s, "min")[0] }
            q.upper = try upper.map { try quantizeAll([$0], scale: s, "max")[0] }
        case .sigmoid, .tanh, .softmax:
            let function: LookupTable.Function
            switch node.operation {
            case .sigmoid: function = .sigmoid
            case .tanh: function = .tanh
            default: function = .exp
            }
            let table = LookupTable(function, settings: settings)
            q.table = table
            q.shift = table.shift
        case .concat:
            q.constantOperands = try node.inputs.map { input in
                try graph.values[input].constant.map { try quantizeAll($0.values, scale: s, "constant") }
            }
        case .relu, .maxPool, .reshape, .transpose:
            break
        }
        return q
    }
}
