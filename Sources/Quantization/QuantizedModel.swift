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
    /// Pad with constant mode: the fill value Q_s(c).
    public var fill: Int64 = 0
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
        if graph.values[node.output].elementCount == 0 { return QuantizedNode() }  // computed by no kernel
        return try node.operation.integerStage.quantize(QuantizationContext(node: node, graph: graph, settings: settings))
    }
}
