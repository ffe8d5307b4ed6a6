import ModelGraph

/// Gemm/MatMul (docs/fixed-point.md §4): W_q = Q_w(W), b_q = Q_(s+w)(b), out = R_w(W_q·x + b_q).
extension Linear: IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode {
        var q = QuantizedNode()
        q.weights = try c.quantizeAll(weight.values, scale: c.w, "weight")
        q.bias = try c.quantizeAll(bias?.values ?? [Double](repeating: 0, count: outputs), scale: c.s + c.w, "bias")
        q.shift = c.w
        q.accumulatorFitsStatically = c.staticallySafe(q, rows: outputs, rowLength: inputs)
        q.weightsAsDouble = q.weights.map { Double($0) }
        q.rowAbsSums = (0..<outputs).map { r in
            q.weights[r * inputs..<(r + 1) * inputs].reduce(0.0) { $0 + Double(abs($1)) }
        }
        return q
    }

    /// Σ|W|·e + Σ|W_q/2^w − W|·(|x| + e) + |b_q/2^(s+w) − b| + 2^−(s+1).
    func errorBound(_ c: BoundContext) -> [Double] {
        let k = inputs, n = outputs, q = c.q, x = c.x, e = c.e
        let deltaW = (0..<weight.count).map { abs(Double(q.weights[$0]) * c.unitW - weight.values[$0]) }
        var result = [Double](repeating: 0, count: c.count)
        for i in 0..<c.count {
            let r = i / n, o = i % n
            var total = c.half + abs(Double(q.bias[o]) * c.unitS * c.unitW - (bias?.values[o] ?? 0))
            for j in 0..<k {
                total += abs(weight.values[o * k + j]) * e[r * k + j] + deltaW[o * k + j] * (abs(x[r * k + j]) + e[r * k + j])
            }
            result[i] = total
        }
        return result
    }
}
