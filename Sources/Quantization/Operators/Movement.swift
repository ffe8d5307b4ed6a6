import ModelGraph

/// Data movement computes nothing: each output element carries its source element's bound. A Concat's constant
/// operand is Q_s(c) in its own shape (spec §5), whose only error is its own rounding.
extension MovementOp: IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode {
        var q = QuantizedNode()
        if case .gatherAxes(let gather) = self, gather.usesFill { q.fill = try c.quantizeAll([gather.fill], scale: c.s, "pad value")[0] }
        if case .concat = self { q.constantOperands = try Self.constantOperands(c) }
        if case .select = self { q.constantOperands = try Self.constantOperands(c) }
        return q
    }

    /// Constant operands in their own shapes, at scale 2^s (or unscaled when the output is an integer tensor).
    static func constantOperands(_ c: QuantizationContext) throws -> [[Int64]?] {
        let integer = c.graph.values[c.node.output].isInteger
        return try c.node.inputs.map { input in
            try c.graph.values[input].constant.map { try c.quantizeAll($0.values, scale: integer ? 0 : c.s, "constant") }
        }
    }

    func errorBound(_ c: BoundContext) -> [Double] {
        let shapes = c.node.inputs.map { c.graph.values[$0].shape }
        if case .reshape = self { return c.e }
        if case .gatherAxes(let gather) = self {
            let fillError = abs(Double(c.q.fill) * c.unitS - gather.fill), e = c.e
            return gather.sources().map { $0 < 0 ? fillError : e[$0] }
        }
        return sources(shapes).map { source in
            if source.index < 0 { return 0 }  // a selection's 0 is exact
            let input = c.node.inputs[source.input]
            if let constant = c.graph.values[input].constant, let quantized = c.q.constantOperands[source.input] {
                let scale = c.graph.values[c.node.output].isInteger ? 1 : c.unitS
                return abs(Double(quantized[source.index]) * scale - constant.values[source.index])
            }
            return c.bounds[input][source.index]
        }
    }
}
