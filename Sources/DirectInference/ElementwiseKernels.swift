import ModelGraph
import Quantization

/// Integer semantics of the elementwise, pooling and table operations (spec §5–§7).
enum ElementwiseKernels {
    static func maxPool(x: [Int64], inputShape: [Int], outputShape: [Int], pool: Pooling) -> [Int64] {
        let window = Layout.Window(input: inputShape, output: outputShape, kernel: pool.kernel,
                                   strides: pool.strides, pads: pool.pads, dilations: [1, 1])
        let planes = inputShape[0] * inputShape[1]
        let plane = window.outH * window.outW, inPlane = window.inH * window.inW
        var y = [Int64](repeating: 0, count: planes * plane)
        for p in 0..<planes {
            for oy in 0..<window.outH {
                for ox in 0..<window.outW {
                    var best = Int64.min  // every window holds at least one input position (pads < kernel)
                    for ky in 0..<window.kH {
                        guard let iy = window.row(oy, ky) else { continue }
                        for kx in 0..<window.kW {
                            guard let ix = window.column(ox, kx) else { continue }
                            best = max(best, x[p * inPlane + iy * window.inW + ix])
                        }
                    }
                    y[p * plane + oy * window.outW + ox] = best
                }
            }
        }
        return y
    }

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
                throw LinearKernels.accumulatorError(layer)
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
            for i in 0..<count { result[i] = try LinearKernels.checkedProduct(x[map[i]], q.weights[i], layer) }
        } else {
            let (a, mapA) = operand(0), (b, mapB) = operand(1)
            for i in 0..<count { result[i] = try LinearKernels.checkedProduct(a[mapA[i]], b[mapB[i]], layer) }
        }
        return result
    }

    /// Table index u = clamp(R_k(x)) or clamp(x·2^(t−s)) (spec §6).
    static func tableIndices(_ x: [Int64], _ input: TableInput, layer: inout LayerTrace, trace: Bool) -> [Int64] {
        var quotient = [Int64](repeating: 0, count: x.count)
        var remainder = trace ? [Int64](repeating: 0, count: x.count) : []
        var index = [Int64](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let (qv, r) = input.multiplierShift > 0
                ? (x[i] << Int64(input.multiplierShift), 0) : FixedPoint.rescale(x[i], shift: input.shift)
            quotient[i] = qv
            if trace { remainder[i] = r }
            index[i] = min(max(qv, input.minIndex), input.maxIndex)
        }
        if trace {
            layer.shift = input.shift
            layer.quotient = quotient
            layer.remainder = remainder
            layer.tableIndex = index
        }
        return index
    }

    /// Softmax over the last axis (spec §7): m = max, d = x − m, u = max(R_k(d), −2^(D−1)), e = E[u],
    /// S = Σe, y = ⌊(e·2^s + ⌊S/2⌋) / S⌋.
    static func softmax(_ x: [Int64], rowLength n: Int, _ q: QuantizedNode, settings: QuantizationSettings,
                        layer: inout LayerTrace, trace: Bool) -> [Int64] {
        let rows = x.count / n
        let table = q.table!, input = q.tableInput!
        let s = Int64(settings.activationScale)
        var y = [Int64](repeating: 0, count: x.count)
        var diffs = [Int64](repeating: 0, count: x.count)
        var rowMax = [Int64](repeating: 0, count: rows), rowSum = rowMax
        var exponent = [Int64](repeating: 0, count: x.count), rho = exponent
        for r in 0..<rows {
            var m = Int64.min
            for j in 0..<n { m = max(m, x[r * n + j]) }
            rowMax[r] = m
            for j in 0..<n { diffs[r * n + j] = x[r * n + j] - m }
        }
        let index = tableIndices(diffs, input, layer: &layer, trace: trace)
        for r in 0..<rows {
            var total: Int64 = 0  // ≤ n·2^s, far below 2^62 for any tensor of ≤ 2^31 elements
            for j in 0..<n {
                let e = table.lookup(index[r * n + j])
                exponent[r * n + j] = e
                total += e
            }
            rowSum[r] = total  // ≥ 2^s: the maximum's d = 0 gives u = 0 and E[0] = 2^s
            for j in 0..<n {
                let numerator = (exponent[r * n + j] << s) + total / 2
                let quotient = numerator / total  // numerator ≥ 0, so truncation is floor
                y[r * n + j] = quotient
                rho[r * n + j] = numerator - quotient * total
            }
        }
        if trace {
            layer.accumulator = diffs
            layer.rowMax = rowMax
            layer.exponent = exponent
            layer.rowSum = rowSum
            layer.divisionRemainder = rho
        }
        return y
    }
}
