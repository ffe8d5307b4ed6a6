import ModelGraph

/// Comparisons read both operands in one unit: 2^−s for real tensors, 1 for integer ones, a constant operand
/// quantized in that unit (Q_s(c), or c itself for an integer tensor). Logic, rounding, sign and ArgMax/ArgMin
/// have no parameters. Every output is a step function of its inputs, so its bound is 0 where the inputs' errors
/// cannot cross a step and the step's height where they can (docs/fixed-point.md §5b).
extension ComparisonOp: IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode {
        var q = QuantizedNode()
        if case .compare = self {
            let scale = Self.operandsAreInteger(c.node, c.graph) ? 0 : c.s
            q.constantOperands = try c.node.inputs.map { try c.constantOperand($0, scale: scale) }
        }
        return q
    }

    /// Whether a comparison's computed operand is an integer tensor (its constant operand then enters unscaled).
    static func operandsAreInteger(_ node: Node, _ graph: ModelGraph) -> Bool {
        node.inputs.contains { graph.values[$0].constant == nil && graph.values[$0].isInteger }
    }

    func errorBound(_ c: BoundContext) -> [Double] {
        let count = c.count, outShape = c.outputShape
        var result = [Double](repeating: 0, count: count)
        switch self {
        case .compare, .logical:
            // Per output element: each operand's real value and error (a constant's: its own rounding).
            let unit = Self.operandsAreInteger(c.node, c.graph) ? 1 : c.unitS
            var values: [[Double]] = [], errors: [[Double]] = []
            for (position, id) in c.node.inputs.enumerated() {
                let real = c.floatValues[id].values
                let map = Shape.broadcastIndices(from: c.graph.values[id].shape, to: outShape)
                values.append(map.map { real[$0] })
                if let quantized = c.q.constantOperands.isEmpty ? nil : c.q.constantOperands[position] {
                    errors.append((0..<count).map { abs(Double(quantized[$0]) * unit - real[map[$0]]) })
                } else if c.graph.values[id].constant != nil {
                    errors.append([Double](repeating: 0, count: count))  // a bool constant of a logical op
                } else {
                    errors.append(map.map { c.bounds[id][$0] })
                }
            }
            for i in 0..<count {
                let e = errors[0][i] + errors[1][i]
                if case .compare = self {
                    // a' ∘ b' = a ∘ b unless |a − b| ≤ e_a + e_b (then they may tie or swap).
                    result[i] = e == 0 || abs(values[0][i] - values[1][i]) > e ? 0 : 1
                } else {
                    result[i] = e == 0 ? 0 : 1
                }
            }
        case .not:
            result = c.e.map { $0 == 0 ? 0 : 1 }
        case .rounding(let rounding):
            // A nondecreasing step function of x' ∈ [x − e, x + e].
            let x = c.x, e = c.e
            for i in 0..<count where e[i] > 0 {
                let fx = rounding.apply(x[i])
                result[i] = Swift.max(rounding.apply(x[i] + e[i]) - fx, fx - rounding.apply(x[i] - e[i]))
            }
        case .argExtremum(let axis, _, let lastIndex, let maximum):
            // The fixed-point index is the float one or a rival: an index whose value may reach the best one's.
            let x = c.x, e = c.e
            let (outer, size, inner) = Self.axisGeometry(c.inputShape, axis: axis)
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * size * inner + i
                    let best = Self.pick(size: size, lastIndex: lastIndex, maximum: maximum) { x[base + $0 * inner] }
                    let b = base + best * inner
                    var spread = 0
                    for j in 0..<size where j != best {
                        let k = base + j * inner
                        guard e[k] + e[b] > 0 else { continue }
                        let reaches = maximum ? x[k] + e[k] >= x[b] - e[b] : x[k] - e[k] <= x[b] + e[b]
                        if reaches { spread = Swift.max(spread, abs(j - best)) }
                    }
                    result[o * inner + i] = Double(spread)
                }
            }
        }
        return result
    }
}
