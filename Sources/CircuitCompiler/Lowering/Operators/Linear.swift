import ModelGraph
import Quantization

/// Gemm/MatMul: folded (one equation per output, weights as `DirectInference` reads them).
extension Linear: CircuitLowering {
    func foldedShift(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) -> Int? { settings.parameterScale }

    func emitEquations(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]], layer: String,
                       _ emit: Equations.Emit) throws {
        let x = elements[node.inputs[0]], weights = q.weights, n = outputs, k = inputs
        let rows = k == 0 ? 0 : x.count / k
        for r in 0..<rows {
            for o in 0..<n {
                var terms: [(ElementSource, Int64)] = []
                terms.reserveCapacity(k)
                for i in 0..<k where weights[o * k + i] != 0 { terms.append((x[r * k + i], weights[o * k + i])) }
                try emit(r * n + o, terms, q.bias[o])
            }
        }
    }

    func foldEntries(_ node: Node, graph: ModelGraph, plan: CircuitPlan, group: Int) -> Int {
        let s = plan.settings.activationScale, w = plan.settings.parameterScale
        let rows = inputs == 0 ? 0 : graph.values[node.inputs[0]].elementCount / inputs
        let nonZeroWeights = weight.values.reduce(0) { $0 + (FoldCount.nonZero($1, w) ? 1 : 0) }
        let offset = FoldCount.offset(w)
        let biases = (0..<outputs).reduce(0) { total, i in
            total + ((FixedPoint.quantize(bias?.values[i] ?? 0, scale: s + w) ?? 1) + offset != 0 ? 1 : 0)
        }
        return rows * (nonZeroWeights + biases) + graph.values[node.output].elementCount
    }
}
