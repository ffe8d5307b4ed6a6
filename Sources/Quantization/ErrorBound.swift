import ModelGraph

/// The spec's predicted error (docs/fixed-point.md §9): for every element of every value, an upper bound
/// on |integer/2^s − real| given the real (float-path) values of this input. Propagated node by node from
/// the rounding of inputs, parameters, rescales and tables (each family's rule is in its
/// `Operators/<Family>.swift`); rigorous, not a statistical estimate. Per-element bounds matter: a ReLU whose
/// real input is below −e outputs 0 on both paths, so its error is exactly 0, which keeps deep networks'
/// bounds from compounding.
public enum ErrorBound {
    /// Per-element bounds indexed by `ValueID` (empty for constants).
    public static func predict(_ model: QuantizedModel, floatValues: [Tensor]) -> [[Double]] {
        let graph = model.graph, settings = model.settings
        let s = settings.activationScale, w = settings.parameterScale
        let half = Double(sign: .plus, exponent: -(s + 1), significand: 1)
        let unitW = Double(sign: .plus, exponent: -w, significand: 1)
        let unitS = Double(sign: .plus, exponent: -s, significand: 1)
        var bound = [[Double]](repeating: [], count: graph.values.count)
        // Inputs are rounded to 2^−s, except integer inputs (token ids), which are exact.
        for id in graph.inputs {
            bound[id] = [Double](repeating: graph.values[id].isInteger ? 0 : half, count: graph.values[id].elementCount)
        }
        for (index, node) in graph.nodes.enumerated() {
            if graph.values[node.output].elementCount == 0 { continue }  // empty: nothing to bound
            let context = BoundContext(node: node, q: model.nodes[index], graph: graph, floatValues: floatValues, bounds: bound,
                                       settings: settings, half: half, unitW: unitW, unitS: unitS)
            bound[node.output] = node.operation.integerStage.errorBound(context)
            // Every activation is range-checked (|out| < 2^(B−1−s)), so no error exceeds |real| + 2^(B−1−s): this
            // keeps bounds finite through long chains (an unrolled recurrence) where propagation compounds.
            if !graph.values[node.output].isInteger {
                let largest = Double(settings.activationMaxExclusive) * unitS
                let real = floatValues[node.output].values
                for i in 0..<min(real.count, bound[node.output].count) where real[i].isFinite {
                    bound[node.output][i] = min(bound[node.output][i], abs(real[i]) + largest)
                }
            }
        }
        return bound
    }
}
