import ModelGraph

/// Data movement computes nothing: each output element carries its source element's bound. A Concat's constant
/// operand is Q_s(c) in its own shape (spec §5), whose only error is its own rounding.
extension MovementOp: IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode {
        var q = QuantizedNode()
        if case .gatherAxes(let gather) = self, gather.usesFill { q.fill = try c.quantizeAll([gather.fill], scale: c.s, "pad value")[0] }
        if case .concat = self {
            let integer = c.graph.values[c.node.output].isInteger
            q.constantOperands = try c.node.inputs.map { input in
                try c.graph.values[input].constant.map { try c.quantizeAll($0.values, scale: integer ? 0 : c.s, "constant") }
            }
        }
        return q
    }

    func errorBound(_ c: BoundContext) -> [Double] {
        let shapes = c.node.inputs.map { c.graph.values[$0].shape }
        if case .reshape = self { return c.e }
        if case .gatherAxes(let gather) = self {
            let fillError = abs(Double(c.q.fill) * c.unitS - gather.fill), e = c.e
            return gather.sources().map { $0 < 0 ? fillError : e[$0] }
        }
        return sources(shapes).map { source in
            let input = c.node.inputs[source.input]
            if let constant = c.graph.values[input].constant, let quantized = c.q.constantOperands[source.input] {
                let scale = c.graph.values[c.node.output].isInteger ? 1 : c.unitS
                return abs(Double(quantized[source.index]) * scale - constant.values[source.index])
            }
            return c.bounds[input][source.index]
        }
    }
}
