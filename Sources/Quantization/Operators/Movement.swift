import ModelGraph

/// Data movement computes nothing: each output element carries its source element's bound.
extension MovementOp: IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode { QuantizedNode() }

    func errorBound(_ c: BoundContext) -> [Double] {
        let shapes = c.node.inputs.map { c.graph.values[$0].shape }
        if case .reshape = self { return c.e }
        return sources(shapes).map { c.bounds[c.node.inputs[$0.input]][$0.index] }
    }
}
