extension ComparisonOp {
    public func evaluateFloat(_ inputs: [Tensor], outputShape: [Int]) throws -> [Double] {
        switch self {
        case .compare(let relation):
            return FloatEvaluator.broadcastBinary(inputs, outputShape) { relation.holds($0, $1) ? 1 : 0 }
        case .logical(let logic):
            return FloatEvaluator.broadcastBinary(inputs, outputShape) { logic.apply($0 != 0, $1 != 0) ? 1 : 0 }
        case .not:
            return inputs[0].values.map { $0 != 0 ? 0 : 1 }
        case .rounding(let rounding):
            return inputs[0].values.map(rounding.apply)
        case .argExtremum(let axis, _, let lastIndex, let maximum):
            let x = inputs[0].values
            let (outer, size, inner) = Self.axisGeometry(inputs[0].shape, axis: axis)
            var y = [Double](repeating: 0, count: outer * inner)
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * size * inner + i
                    y[o * inner + i] = Double(Self.pick(size: size, lastIndex: lastIndex, maximum: maximum) { x[base + $0 * inner] })
                }
            }
            return y
        }
    }
}
