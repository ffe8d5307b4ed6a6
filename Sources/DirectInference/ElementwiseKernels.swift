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
        // Each operand is below 2^62 in magnitude (activations below 2^31, constants by Q_s), so the sum of
        // two cannot overflow 64 bits; a Sum of more operands adds with overflow checks (an overflow is out
        // of range as well) and checks the accumulator bound.
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
            guard !overflow else { throw LinearKernels.accumulatorError(layer) }
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

    /// Interpolated table evaluation (spec §6) of every element: T[u] + R_k(Δ[u]·g).
    static func table(_ x: [Int64], _ table: LookupTable, layer: inout LayerTrace, trace: Bool) -> [Int64] {
        var out = [Int64](repeating: 0, count: x.count)
        guard trace else {
            for i in 0..<x.count { out[i] = table.step(x[i]).output }
            return out
        }
        var z = out, f = out, u = out, q = out, r = out
        for i in 0..<x.count {
            let step = table.step(x[i])
            (z[i], f[i], u[i], q[i], r[i], out[i]) = (step.index, step.fraction, step.clampedIndex, step.quotient,
                                                       step.remainder, step.output)
        }
        layer.shift = table.shift
        layer.quotient = z
        layer.remainder = f
        layer.tableIndex = u
        layer.interpolation = q
        layer.interpolationRemainder = r
        return out
    }

    /// Softmax over the last axis (spec §7): m = max, d = x − m, e = E(d) (interpolated exp table),
    /// S = Σe, y = ⌊(e·2^s + ⌊S/2⌋) / S⌋.
    static func softmax(_ x: [Int64], rowLength n: Int, _ q: QuantizedNode, settings: QuantizationSettings,
                        layer: inout LayerTrace, trace: Bool) -> [Int64] {
        let rows = x.count / n
        let table = q.table!
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
        let values = Self.table(diffs, table, layer: &layer, trace: trace)
        for r in 0..<rows {
            var total: Int64 = 0  // ≤ n·2^s, far below 2^62 for any tensor of ≤ 2^31 elements
            for j in 0..<n {
                let e = values[r * n + j]
                exponent[r * n + j] = e
                total += e
            }
            rowSum[r] = total  // ≥ 2^s: the maximum's d = 0 gives u = 0, f = 0 and E[0] = 2^s
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
