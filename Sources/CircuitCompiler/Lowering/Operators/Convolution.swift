import ModelGraph
import Quantization

/// Conv: folded, one equation per output over the window's taps inside the input.
extension ConvolutionOp: CircuitLowering {
    func foldedShift(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) -> Int? { settings.parameterScale }

    func emitEquations(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]], layer: String,
                       _ emit: Equations.Emit) throws {
        switch self {
        case .conv(let conv):
            let x = elements[node.inputs[0]], weights = q.weights, bias = q.bias
            let inputShape = graph.values[node.inputs[0]].shape, outputShape = graph.values[node.output].shape
            let window = conv.window(input: inputShape, output: outputShape)
            let batch = inputShape[0], inC = inputShape[1], outC = outputShape[1]
            let plane = window.outH * window.outW, inPlane = window.inH * window.inW
            for b in 0..<batch {
                for m in 0..<outC {
                    for oy in 0..<window.outH {
                        for ox in 0..<window.outW {
                            var terms: [(ElementSource, Int64)] = []
                            for c in 0..<inC {
                                let xBase = (b * inC + c) * inPlane
                                let wBase = (m * inC + c) * window.kH * window.kW
                                for ky in 0..<window.kH {
                                    guard let iy = window.row(oy, ky) else { continue }
                                    for kx in 0..<window.kW {
                                        guard let ix = window.column(ox, kx) else { continue }
                                        let w = weights[wBase + ky * window.kW + kx]
                                        if w != 0 { terms.append((x[xBase + iy * window.inW + ix], w)) }
                                    }
                                }
                            }
                            try emit((b * outC + m) * plane + oy * window.outW + ox, terms, bias[m])
                        }
                    }
                }
            }
        }
    }

    func foldEntries(_ node: Node, graph: ModelGraph, plan: CircuitPlan, group: Int) -> Int {
        switch self {
        case .conv(let conv):
            let w = plan.settings.parameterScale
            let inputShape = graph.values[node.inputs[0]].shape, outputShape = graph.values[node.output].shape
            let outputs = outputShape.reduce(1, *)
            let window = conv.window(input: inputShape, output: outputShape)
            let validRows = (0..<window.kH).map { ky in (0..<window.outH).reduce(0) { $0 + (window.row($1, ky) != nil ? 1 : 0) } }
            let validCols = (0..<window.kW).map { kx in (0..<window.outW).reduce(0) { $0 + (window.column($1, kx) != nil ? 1 : 0) } }
            let m = conv.weight.shape[0], c = conv.weight.shape[1]
            var total = 0
            for mi in 0..<m {
                for ci in 0..<c {
                    for ky in 0..<window.kH {
                        for kx in 0..<window.kW
                        where FoldCount.nonZero(conv.weight.values[((mi * c + ci) * window.kH + ky) * window.kW + kx], w) {
                            total += validRows[ky] * validCols[kx]
                        }
                    }
                }
            }
            return inputShape[0] * total + (w > 0 ? outputs : 0) + outputs
        }
    }
}
