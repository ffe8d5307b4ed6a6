import ModelGraph

/// Embedding lookups: the table at scale s, rows selected by exact integer indices. Cast: integers are held
/// unscaled, so Cast to a float type multiplies by 2^s and Cast to an integer type truncates x/2^s toward zero
/// (docs/fixed-point.md §5).
extension IndexingOp: IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode {
        var q = QuantizedNode()
        if case .embedding(let table) = self { q.weights = try c.quantizeAll(table.values, scale: c.s, "embedding") }
        if case .cast = self { q.weights = [Int64(1) << c.s] }  // integer → float multiplies by 2^s
        return q
    }

    func errorBound(_ c: BoundContext) -> [Double] {
        let x = c.x, e = c.e
        switch self {
        case .embedding(let table):
            // The index is exact (integer tensors carry no rounding); only the entry's own rounding remains.
            let rows = table.shape[0], width = table.count / rows
            var result: [Double] = []
            result.reserveCapacity(c.count)
            for (i, v) in x.enumerated() {
                guard e[i] == 0, let r = IndexingOp.row(Int64(exactly: v) ?? Int64.max, rows: rows) else {
                    result += [Double](repeating: .infinity, count: width)
                    continue
                }
                for j in 0..<width { result.append(abs(Double(c.q.weights[r * width + j]) * c.unitS - table.values[r * width + j])) }
            }
            return result
        case .cast(let toInteger, let toBool):
            if toInteger || toBool {
                // Exact unless [x − e, x + e] holds a point where the result jumps: a non-zero integer for the
                // truncation (then |trunc(a) − trunc(b)| ≤ |a − b| + 1), zero for x ≠ 0.
                return zip(x, e).map { x, e in
                    guard e > 0 else { return 0 }
                    if toBool { return x - e <= 0 && 0 <= x + e ? 1 : 0 }
                    var jump = (x - e).rounded(.up)
                    if jump == 0 { jump = 1 }
                    return jump <= x + e ? e + 1 : 0
                }
            }
            return e
        }
    }
}
