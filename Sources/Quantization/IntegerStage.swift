import ModelGraph

/// What every operator family defines in the integer stage (its `Operators/<Family>.swift`): its integer
/// parameters (docs/fixed-point.md §4–§7) and how it propagates the predicted error (§9).
protocol IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode
    func errorBound(_ c: BoundContext) -> [Double]
}

extension LayerOperation {
    var integerStage: any IntegerStage {
        switch self {
        case .linear(let op): return op
        case .convolution(let op): return op
        case .pooling(let op): return op
        case .arithmetic(let op): return op
        case .activation(let op): return op
        case .normalization(let op): return op
        case .movement(let op): return op
        case .indexing(let op): return op
        case .comparison(let op): return op
        }
    }
}

/// One node being quantized, with the rounding helpers every family uses.
struct QuantizationContext {
    let node: Node
    let graph: ModelGraph
    let settings: QuantizationSettings

    var s: Int { settings.activationScale }
    var w: Int { settings.parameterScale }
    var inputShape: [Int] { graph.values[node.inputs[0]].shape }
    var outputShape: [Int] { graph.values[node.output].shape }

    /// Q_scale of every value; an unrepresentable one is an error naming the layer.
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
    func staticallySafe(_ q: QuantizedNode, rows: Int, rowLength: Int) -> Bool {
        let bound = Double(settings.activationMaxExclusive)
        for r in 0..<rows {
            var total = q.bias.isEmpty ? 0 : Double(abs(q.bias[r]))
            for i in 0..<rowLength { total += Double(abs(q.weights[r * rowLength + i])) * bound }
            if total >= 0x1p61 { return false }
        }
        return true
    }

    /// A constant input quantized at `scale` and broadcast to the output shape (nil for an activation).
    func constantOperand(_ input: ValueID, scale: Int, transform: (Double) -> Double = { $0 }) throws -> [Int64]? {
        guard let constant = graph.values[input].constant else { return nil }
        let map = Shape.broadcastIndices(from: constant.shape, to: outputShape)
        let quantized = try quantizeAll(constant.values.map(transform), scale: scale, "constant")
        return map.map { quantized[$0] }
    }
}

/// One node's error propagation: the real values and bounds of every value computed so far.
struct BoundContext {
    let node: Node
    let q: QuantizedNode
    let graph: ModelGraph
    let floatValues: [Tensor]
    let bounds: [[Double]]
    let settings: QuantizationSettings
    /// 2^−(s+1): the final rounding of any rescale or quantization.
    let half: Double
    /// 2^−w and 2^−s: one unit of a parameter and of an activation.
    let unitW: Double
    let unitS: Double

    var inputShape: [Int] { graph.values[node.inputs[0]].shape }
    var outputShape: [Int] { graph.values[node.output].shape }
    var count: Int { outputShape.reduce(1, *) }
    /// Real values and bounds of the first input.
    var x: [Double] { floatValues[node.inputs[0]].values }
    var e: [Double] { bounds[node.inputs[0]] }
}
