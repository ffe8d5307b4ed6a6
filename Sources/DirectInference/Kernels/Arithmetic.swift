import ModelGraph
import Quantization

/// Add/Sub/Sum: exact integer sums at scale s. Mul/Div: products rescaled (spec §5).
extension ArithmeticOp: IntegerKernel {
    func run(_ c: inout KernelContext) throws -> [Int64] {
        switch self {
        case .add, .sub, .sum:
            return try ArithmeticKernels.addSub(c.node, c.q, values: c.values, graph: c.graph, layer: c.label)
        case .mul, .div:
            return c.rescaled(try ArithmeticKernels.product(c.node, c.q, values: c.values, graph: c.graph, layer: c.label))
        }
    }
}

enum ArithmeticKernels {
    /// Add/Sub/Sum: exact integer sums at scale s; constants were quantized at s.
    static func addSub(_ node: Node, _ q: QuantizedNode, values: [[Int64]], graph: ModelGraph, layer: String) throws -> [Int64] {
        let shape = graph.values[node.output].shape
        let count = shape.reduce(1, *)
        var result = [Int64](repeating: 0, count: count)
        for (position, input) in node.inputs.enumerated() {
            let negate = position > 0 && node.operation == .sub
            if let constant = q.constantOperands[position] {
                for i in 0..<count { result[i] = negate ? result[i] - constant[i] : result[i] + constant[i] }
            } else {
                let source = values[input]
                let inputShape = graph.values[input].shape
                if inputShape == shape {
                    for i in 0..<count { result[i] = negate ? result[i] - source[i] : result[i] + source[i] }
                } else {
                    let map = Shape.broadcastIndices(from: inputShape, to: shape)
                    for i in 0..<count { result[i] = negate ? result[i] - source[map[i]] : result[i] + source[map[i]] }
                }
            }
        }
        // Each operand is < 2^62 in magnitude and there are few of them; overflow is impossible for
        // fewer than 2 operands of 2^62, so only very wide Sums need the check below.
        if node.inputs.count > 2 {
            for v in result where v <= -FixedPoint.accumulatorLimit || v >= FixedPoint.accumulatorLimit {
                throw Accumulator.error(layer)
            }
        }
        return result
    }

    /// Mul/Div accumulators: x·c_q (constant at scale w) or a·b (two activations, scale 2s).
    static func product(_ node: Node, _ q: QuantizedNode, values: [[Int64]], graph: ModelGraph, layer: String) throws -> [Int64] {
        let shape = graph.values[node.output].shape
        let count = shape.reduce(1, *)
        func operand(_ position: Int) -> (values: [Int64], map: [Int]) {
            let id = node.inputs[position]
            return (values[id], Shape.broadcastIndices(from: graph.values[id].shape, to: shape))
        }
        var result = [Int64](repeating: 0, count: count)
        if !q.weights.isEmpty {
            let position = graph.values[node.inputs[0]].constant == nil ? 0 : 1
            let (x, map) = operand(position)
            for i in 0..<count { result[i] = try Accumulator.checkedProduct(x[map[i]], q.weights[i], layer) }
        } else {
            let (a, mapA) = operand(0), (b, mapB) = operand(1)
            for i in 0..<count { result[i] = try Accumulator.checkedProduct(a[mapA[i]], b[mapB[i]], layer) }
        }
        return result
    }
}
