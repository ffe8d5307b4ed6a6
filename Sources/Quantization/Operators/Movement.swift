import ModelGraph

/// Data movement computes nothing: each output element carries its source element's bound.
extension MovementOp: IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode {
        var q = QuantizedNode()
        if case .gatherAxes(let gather) = self, gather.usesFill { q.fill = try c.quantizeAll([gather.fill], scale: c.s, "pad value")[0] }
        return q
    }

    func errorBound(_ c: BoundContext) -> [Double] {
        let shapes = c.node.inputs.map { c.graph.values[$0].shape }
        if case .reshape = self { return c.e }
        if case .gatherAxes(let gather) = self {
            let fillError = abs(Double(c.q.fill) * c.unitS - gather.fill), e = c.e
            return gather.sources().map { $0 < 0 ? fillError : e[$0] }
        }
        return sources(shapes).map { c.bounds[c.node.inputs[$0.input]][$0.index] }
    }
}
