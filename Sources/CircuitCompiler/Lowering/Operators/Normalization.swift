import ModelGraph
import Quantization

/// Channel affine: folded. Softmax (last axis): `SoftmaxGadget` lanes, whose row equations the fold carries.
extension NormalizationOp: CircuitLowering {
    func foldedShift(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) -> Int? {
        if case .channelAffine = self { return settings.parameterScale }
        return nil
    }

    func standaloneKind(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) throws -> LaneKind? {
        guard self == .softmax else { return nil }
        return .softmax(SoftmaxGadget(table: LookupTable(.exp, settings: settings),
                                      rowLength: graph.values[node.output].shape.last!,
                                      activationScale: settings.activationScale, activationBits: settings.activationBits))
    }

    func emitEquations(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]], layer: String,
                       _ emit: Equations.Emit) throws {
        guard case .channelAffine = self else {
            throw CompilerError.unsupportedOperation(layer: layer, op: node.operation.name, hint: "")
        }
        let x = elements[node.inputs[0]], inputShape = graph.values[node.inputs[0]].shape
        let inner = inputShape.dropFirst(2).reduce(1, *), channels = inputShape[1]
        for i in 0..<x.count {
            let c = (i / inner) % channels
            try emit(i, [(x[i], q.weights[c])], q.bias[c])
        }
    }

    func foldEntries(_ node: Node, graph: ModelGraph, plan: CircuitPlan, group: Int) -> Int {
        let s = plan.settings.activationScale, w = plan.settings.parameterScale
        let inputShape = graph.values[node.inputs[0]].shape, outputShape = graph.values[node.output].shape
        let outputs = outputShape.reduce(1, *)
        switch self {
        case .channelAffine(let affine):
            let inner = inputShape.dropFirst(2).reduce(1, *)
            var total = 0
            for c in 0..<affine.scale.count {
                let bias = (FixedPoint.quantize(affine.shift.values[c], scale: s + w) ?? 1) + FoldCount.offset(w)
                total += inputShape[0] * inner * ((FoldCount.nonZero(affine.scale.values[c], w) ? 1 : 0) + (bias != 0 ? 1 : 0))
            }
            return total + outputs
        case .softmax:
            // Per row of n: each element (2), m for n − 1 lanes (2), S = Σe (n + 1) and S for n − 1 lanes (2),
            // Σb − 1 (n + 1).
            let n = outputShape.last ?? 1
            return outputs / n * (8 * n - 2)
        }
    }
}
