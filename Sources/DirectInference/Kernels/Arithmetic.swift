import ModelGraph
import Quantization

/// Add/Sub/Sum: exact integer sums at scale s. Mul/Div: products rescaled (spec §5).
extension ArithmeticOp: IntegerKernel {
    func run(_ c: inout KernelContext) throws -> [Int64] {
        switch self {
        case .add, .sub, .sum:
            return try ArithmeticKernels.addSub(c.node, c.q, values: c.values, graph: c.graph, layer: c.label)
        case .matMul:
            return c.rescaled(try ArithmeticKernels.matMul(c.node, c.q, values: c.values, graph: c.graph, layer: c.label))
        case .mul, .div:
            return c.rescaled(try ArithmeticKernels.product(c.node, c.q, values: c.values, graph: c.graph, layer: c.label))
        }
    }
}

enum ArithmeticKernels {
    /// MatMul accumulators Σ_t a·b at scale 2s, with the spec's accumulator bound checked at every step.
    static func matMul(_ node: Node, _ q: QuantizedNode, values: [[Int64]], graph: ModelGraph, layer: String) throws -> [Int64] {
        let geometry = try MatMulGeometry(graph.values[node.inputs[0]].shape, graph.values[node.inputs[1]].shape)
        let a = q.constantOperands[0] ?? values[node.inputs[0]], b = q.constantOperands[1] ?? values[node.inputs[1]]
        let (m, k, n) = (geometry.m, geometry.k, geometry.n)
        var result = [Int64](repeating: 0, count: graph.values[node.output].elementCount)
        for (batch, (ao, bo)) in zip(geometry.aOffsets, geometry.bOffsets).enumerated() {
            for i in 0..<m {
                for j in 0..<n {
                    var total: Int64 = 0
                    for t in 0..<k { total = try Accumulator.checkedProduct(a[ao + i * k + t], b[bo + t * n + j], layer, plus: total) }
                    result[(batch * m + i) * n + j] = total
                }
            }
        }
        return result
    }

    /// Add/Sub/Sum: exact integer sums at scale s; constants were quantized at s.
    static func addSub(_ node: Node, _ q: QuantizedNode, values: [[Int64]], graph: ModelGraph, layer: String) throws -> [Int64] {
        let shape = graph.values[node.output].shape
        let count = shape.reduce(1, *)
        var result = [Int64](repeating: 0, count: count)
        // Each operand is below 2^62 in magnitude (activations below 2^31, constants by Q_s), so the sum of two
        // cannot overflow 64 bits; a Sum of more operands adds with overflow checks (an overflow is out of range as
        // well) and checks the accumulator bound.
        let checked = node.inputs.count > 2
        var overflow = false
        for (position, input) in node.inputs.enumerated() {
            let negate = position > 0 && node.operation == .sub
            let source: [Int64], map: [Int]?
            if let constant = q.constantOperands[position] {
                (source, map) = (constant, nil)
            } else {
                let inputShape = graph.values[input].shape
                (source, map) = (values[input], inputShape == shape ? nil : Shape.broadcastIndices(from: inputShape, to: shape))
            }
            for i in 0..<count {
                let v = source[map?[i] ?? i]
                if checked {
                    let (r, o) = negate ? result[i].subtractingReportingOverflow(v) : result[i].addingReportingOverflow(v)
                    result[i] = r
                    overflow = overflow || o
                } else {
                    result[i] = negate ? result[i] - v : result[i] + v
                }
            }
        }
        if checked {
            guard !overflow else { throw Accumulator.error(layer) }
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
