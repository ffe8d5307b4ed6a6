import ModelGraph
import Quantization

/// Conv (any group, 1-D or 2-D) and ConvTranspose: folded, one equation per output over the taps it reads. A
/// convolution of batch 1 whose input is a lane group or the public inputs, and a ConvTranspose of batch 1 whose
/// input is a lane group (A_out = stride·A_in), are emitted as structured terms instead (`Layout/ConvolutionTerms.swift`,
/// `ConvolutionTerms+Transposed.swift`, docs/protocol.md §19.9): their equations then only name their receivers.
extension ConvolutionOp: CircuitLowering {
    func foldedShift(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) -> Int? { settings.parameterScale }

    /// Calls `body(output index, channel m, [(input flat index, weight index)])` for every output element.
    func forEachOutput(inputShape: [Int], outputShape: [Int], _ body: (Int, Int, [(Int, Int)]) throws -> Void) rethrows {
        let batch = inputShape[0], inC = inputShape[1], outC = outputShape[1]
        switch self {
        case .conv(let conv):
            let window = conv.window(input: inputShape, output: outputShape)
            let plane = window.outH * window.outW, inPlane = window.inH * window.inW
            let cg = conv.groupChannels, perGroup = outC / conv.group
            for b in 0..<batch {
                for m in 0..<outC {
                    let first = (m / perGroup) * cg
                    for oy in 0..<window.outH {
                        for ox in 0..<window.outW {
                            var taps: [(Int, Int)] = []
                            for cl in 0..<cg {
                                for ky in 0..<window.kH {
                                    guard let iy = window.row(oy, ky) else { continue }
                                    for kx in 0..<window.kW {
                                        guard let ix = window.column(ox, kx) else { continue }
                                        taps.append(((b * inC + first + cl) * inPlane + iy * window.inW + ix,
                                                     ((m * cg + cl) * window.kH + ky) * window.kW + kx))
                                    }
                                }
                            }
                            try body((b * outC + m) * plane + oy * window.outW + ox, m, taps)
                        }
                    }
                }
            }
        case .transposed(let conv):
            let window = conv.window(input: inputShape, output: outputShape), g = window.base
            let plane = g.outH * g.outW, inPlane = g.inH * g.inW
            let cg = inC / conv.group, mg = conv.groupOutputs
            for b in 0..<batch {
                for m in 0..<outC {
                    let group = m / mg, ml = m % mg
                    for oy in 0..<g.outH {
                        for ox in 0..<g.outW {
                            var taps: [(Int, Int)] = []
                            for ch in group * cg..<(group + 1) * cg {
                                for ky in 0..<g.kH {
                                    guard let iy = window.row(oy, ky) else { continue }
                                    for kx in 0..<g.kW {
                                        guard let ix = window.column(ox, kx) else { continue }
                                        taps.append(((b * inC + ch) * inPlane + iy * g.inW + ix, ((ch * mg + ml) * g.kH + ky) * g.kW + kx))
                                    }
                                }
                            }
                            try body((b * outC + m) * plane + oy * g.outW + ox, m, taps)
                        }
                    }
                }
            }
        }
    }

    func emitEquations(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]], layer: String,
                       _ emit: Equations.Emit) throws {
        let x = elements[node.inputs[0]]
        try forEachOutput(inputShape: graph.values[node.inputs[0]].shape, outputShape: graph.values[node.output].shape) {
            index, m, taps in
            var terms: [(ElementSource, Int64)] = []
            terms.reserveCapacity(taps.count)
            for (xi, wi) in taps where q.weights[wi] != 0 { terms.append((x[xi], q.weights[wi])) }
            try emit(index, terms, q.bias[m])
        }
    }

    func foldEntries(_ node: Node, graph: ModelGraph, plan: CircuitPlan, group: Int) -> Int {
        foldEntries(node, graph: graph, plan: plan, structured: nil)
    }

    /// `structured`: whether the layout emits this node as structured terms (nil: guessed from the shapes, for
    /// callers without a layout).
    func foldEntries(_ node: Node, graph: ModelGraph, plan: CircuitPlan, structured known: Bool?) -> Int {
        let w = plan.settings.parameterScale
        let weight: Tensor
        switch self {
        case .conv(let conv): weight = conv.weight
        case .transposed(let conv): weight = conv.weight
        }
        let nonZero = weight.values.map { FoldCount.nonZero($0, w) }
        let outputs = graph.values[node.output].elementCount
        let inputShape = graph.values[node.inputs[0]].shape
        var structured = inputShape.first == 1
        if case .transposed(let conv) = self, structured {
            // Structured when its banded axis grows by exactly its stride (and its input is a lane group).
            let (a, _) = conv.axes(input: inputShape, output: graph.values[node.output].shape)
            structured = a.output == a.stride * a.input
        }
        if known ?? structured {
            // Emitted as structured terms (docs/protocol.md §19.9): the relation holds each weight once plus one
            // bias entry per channel; the outputs' receivers. (Without a layout, a convolution the layout cannot
            // band is guessed structured too, and undercounted; `ModelStatistics` passes the layout's answer.)
            return nonZero.filter { $0 }.count + graph.values[node.output].shape[1] + outputs
        }
        var total = 0
        forEachOutput(inputShape: graph.values[node.inputs[0]].shape, outputShape: graph.values[node.output].shape) { _, _, taps in
            for (_, wi) in taps where nonZero[wi] { total += 1 }
        }
        return total + (w > 0 ? outputs : 0) + outputs
    }
}
