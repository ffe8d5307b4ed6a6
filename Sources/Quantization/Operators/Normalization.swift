import ModelGraph

/// Channel affine: the linear family per channel (docs/fixed-point.md §4). Softmax: §7.
extension NormalizationOp: IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode {
        var q = QuantizedNode()
        switch self {
        case .channelAffine(let affine):
            q.weights = try c.quantizeAll(affine.scale.values, scale: c.w, "scale")
            q.bias = try c.quantizeAll(affine.shift.values, scale: c.s + c.w, "shift")
            q.shift = c.w
            q.accumulatorFitsStatically = c.staticallySafe(q, rows: affine.scale.count, rowLength: 1)
        case .softmax:
            let table = LookupTable(.exp, settings: c.settings)
            q.table = table
            q.shift = table.shift
        }
        return q
    }

    func errorBound(_ c: BoundContext) -> [Double] {
        let q = c.q, x = c.x, e = c.e, count = c.count
        var result = [Double](repeating: 0, count: count)
        switch self {
        case .channelAffine(let affine):
            let inShape = c.inputShape
            let inner = inShape.dropFirst(2).reduce(1, *), channels = inShape[1]
            for i in 0..<count {
                let ch = (i / inner) % channels, a = affine.scale.values[ch]
                result[i] = abs(a) * e[i] + abs(Double(q.weights[ch]) * c.unitW - a) * (abs(x[i]) + e[i])
                    + abs(Double(q.bias[ch]) * c.unitS * c.unitW - affine.shift.values[ch]) + c.half
            }
        case .softmax:
            // ½-Lipschitz in the inputs; each exponent within δ of exp(d) (interpolation, entries, rounding and
            // the clamp below the grid); the division by S ≥ 1 spreads those over n + 1 terms; final rounding.
            let n = c.outputShape.last!
            let table = q.table!
            let tableStep = Double(sign: .plus, exponent: -table.inputScale, significand: 1)
            let delta = tableStep * tableStep / 8 * table.curvature + c.unitS + table.clampTails.low
            for row in 0..<(count / n) {
                let worst = e[row * n..<(row + 1) * n].max() ?? 0
                let rowBound = worst / 2 + Double(n + 1) * delta + c.half
                for j in 0..<n { result[row * n + j] = rowBound }
            }
        }
        return result
    }
}
