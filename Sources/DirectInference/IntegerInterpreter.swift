import ModelGraph
import Quantization

/// The fixed-point path: runs a `QuantizedModel` on integers exactly as docs/fixed-point.md states,
/// checking every bound. Its trace is the witness the circuit compiler lays out.
public struct IntegerInterpreter: Sendable {
    public let model: QuantizedModel

    public init(_ model: QuantizedModel) { self.model = model }

    /// Runs on already-quantized inputs (one array per graph input, scale 2^s).
    public func run(quantizedInputs: [[Int64]], trace wantsTrace: Bool = false) throws -> IntegerTrace {
        let graph = model.graph, settings = model.settings
        guard quantizedInputs.count == graph.inputs.count else {
            throw InferenceError.invalidInput("expected \(graph.inputs.count) inputs, got \(quantizedInputs.count)")
        }
        var values = [[Int64]](repeating: [], count: graph.values.count)
        for (id, input) in zip(graph.inputs, quantizedInputs) {
            guard input.count == graph.values[id].elementCount else {
                throw InferenceError.invalidInput(
                    "input '\(graph.values[id].name)' has \(input.count) values, expected \(graph.values[id].elementCount) (shape \(Shape.describe(graph.values[id].shape)))")
            }
            try checkBounds(input, layer: "input '\(graph.values[id].name)'", settings: settings)
            values[id] = input
        }
        var layers: [LayerTrace] = []
        if wantsTrace { layers.reserveCapacity(graph.nodes.count) }
        for (index, node) in graph.nodes.enumerated() {
            var layer = LayerTrace(nodeIndex: index, name: node.name, op: node.sourceOp, inputs: node.inputs, output: node.output)
            let output = try evaluate(node, model.nodes[index], values: values, layer: &layer, trace: wantsTrace)
            try checkBounds(output, layer: node.label, settings: settings)
            values[node.output] = output
            if wantsTrace { layers.append(layer) }
        }
        if !wantsTrace {
            // Keep only inputs and outputs.
            var keep = Set(graph.inputs)
            keep.formUnion(graph.outputs)
            for id in values.indices where !keep.contains(id) { values[id] = [] }
        }
        return IntegerTrace(settings: settings, values: values, layers: layers)
    }

    func checkBounds(_ values: [Int64], layer: String, settings: QuantizationSettings) throws {
        let low = settings.activationMin, high = settings.activationMaxExclusive
        var outside = false
        for v in values where v < low || v >= high { outside = true; break }
        guard outside, let bad = values.first(where: { $0 < low || $0 >= high }) else { return }
        let index = values.firstIndex(of: bad)!
        throw QuantizationError.outOfRange(
            layer: layer, what: "element \(index) =", value: "\(bad) (≈ \(FixedPoint.dequantize(bad, scale: settings.activationScale)))",
            bound: "[−2^\(settings.activationBits - 1), 2^\(settings.activationBits - 1)) at scale 2^\(settings.activationScale)")
    }

    /// One node. Linear-family results go through `rescale`, which records y, q and r.
    func evaluate(_ node: Node, _ q: QuantizedNode, values: [[Int64]], layer: inout LayerTrace, trace: Bool) throws -> [Int64] {
        let graph = model.graph
        let inputShape = graph.values[node.inputs[0]].shape
        let outputShape = graph.values[node.output].shape
        let label = node.label
        func input(_ i: Int) -> [Int64] { values[node.inputs[i]] }
        func rescaled(_ accumulator: [Int64]) -> [Int64] {
            rescale(accumulator, shift: q.shift, layer: &layer, trace: trace)
        }

        switch node.operation {
        case .linear(let linear):
            return rescaled(try LinearKernels.linear(
                x: input(0), weights: q.weights, bias: q.bias, outputs: linear.outputs, inputs: linear.inputs,
                fitsStatically: q.accumulatorFitsStatically, weightsAsDouble: q.weightsAsDouble,
                rowAbsSums: q.rowAbsSums, layer: label))
        case .conv(let conv):
            return rescaled(try LinearKernels.conv(
                x: input(0), inputShape: inputShape, outputShape: outputShape, conv: conv, weights: q.weights,
                bias: q.bias, fitsStatically: q.accumulatorFitsStatically, layer: label))
        case .channelAffine:
            let x = input(0)
            let inner = inputShape.dropFirst(2).reduce(1, *), channels = inputShape[1]
            var acc = [Int64](repeating: 0, count: x.count)
            for i in 0..<x.count {
                let c = (i / inner) % channels
                acc[i] = try LinearKernels.checkedProduct(x[i], q.weights[c], label, plus: q.bias[c])
            }
            return rescaled(acc)
        case .averagePool(let pool):
            return rescaled(try LinearKernels.averagePool(
                x: input(0), inputShape: inputShape, outputShape: outputShape, pool: pool, multipliers: q.weights, layer: label))
        case .globalAveragePool:
            return rescaled(try LinearKernels.globalAveragePool(x: input(0), inputShape: inputShape, multiplier: q.weights[0], layer: label))
        case .maxPool(let pool):
            return ElementwiseKernels.maxPool(x: input(0), inputShape: inputShape, outputShape: outputShape, pool: pool)
        case .add, .sub, .sum:
            return try ElementwiseKernels.addSub(node, q, values: values, graph: graph, layer: label)
        case .mul, .div:
            let acc = try ElementwiseKernels.product(node, q, values: values, graph: graph, layer: label)
            return rescaled(acc)
        case .relu:
            return input(0).map { max($0, 0) }
        case .leakyRelu:
            let x = input(0)
            let acc = try x.map { try LinearKernels.checkedProduct($0, q.weights[0], label) }
            let negative = rescale(acc, shift: q.shift, layer: &layer, trace: trace)
            return (0..<x.count).map { x[$0] >= 0 ? x[$0] : negative[$0] }
        case .clip:
            return input(0).map { v in
                var r = v
                if let lower = q.lower { r = max(r, lower) }
                if let upper = q.upper { r = min(r, upper) }
                return r
            }
        case .sigmoid, .tanh:
            return ElementwiseKernels.table(input(0), q.table!, layer: &layer, trace: trace)
        case .softmax:
            return ElementwiseKernels.softmax(input(0), rowLength: outputShape.last!, q, settings: model.settings,
                                              layer: &layer, trace: trace)
        case .reshape:
            return input(0)
        case .transpose(let perm):
            let x = input(0)
            return Layout.transposeSource(shape: inputShape, perm: perm).map { x[$0] }
        case .concat(let axis):
            var result: [Int64] = []
            result.reserveCapacity(outputShape.reduce(1, *))
            for run in Layout.concatRuns(shapes: node.inputs.map { graph.values[$0].shape }, axis: axis) {
                // A constant operand holds Q_s(c) (spec §5); an activation its values.
                let source = q.constantOperands[run.input] ?? values[node.inputs[run.input]]
                result.append(contentsOf: source[run.start..<run.start + run.length])
            }
            return result
        }
    }

    /// q = R_k(y) elementwise (spec §2), recording y, q, r when tracing.
    func rescale(_ accumulator: [Int64], shift: Int, layer: inout LayerTrace, trace: Bool) -> [Int64] {
        var quotient = [Int64](repeating: 0, count: accumulator.count)
        var remainder = trace ? [Int64](repeating: 0, count: accumulator.count) : []
        accumulator.withUnsafeBufferPointer { y in
            quotient.withUnsafeMutableBufferPointer { qp in
                for i in 0..<y.count {
                    let (qv, r) = FixedPoint.rescale(y[i], shift: shift)
                    qp[i] = qv
                    if trace { remainder[i] = r }
                }
            }
        }
        if trace {
            layer.accumulator = accumulator
            layer.shift = shift
            layer.quotient = quotient
            layer.remainder = remainder
        }
        return quotient
    }
}
