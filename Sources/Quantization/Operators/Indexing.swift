import ModelGraph

/// Embedding lookups: the table at scale s, rows selected by exact integer indices. Cast: integers are held
/// unscaled, so Cast to float multiplies by 2^s, Cast to an integer type truncates x/2^s toward zero (0 out of
/// the type's range) or wraps an integer, and Cast to a narrower float format rounds x/2^s onto it and
/// requantizes (docs/fixed-point.md §5).
extension IndexingOp: IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode {
        var q = QuantizedNode()
        if case .embedding(let table) = self { q.weights = try c.quantizeAll(table.values, scale: c.s, "embedding") }
        if case .cast = self { q.weights = [Int64(1) << c.s] }  // integer → float multiplies by 2^s
        if case .integer = self {
            // Integer operands are unscaled: constants enter as they are (scale 2^0, exact for integers).
            q.constantOperands = try c.node.inputs.map { try c.constantOperand($0, scale: 0) }
        }
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
        case .cast(let format, let fromInteger):
            return zip(x, e).map { x, e in Self.castBound(format, fromInteger: fromInteger, x: x, e: e, half: c.half) }
        case .integer(let op, let format):
            // Exact on exact operands (integer inputs and integer constants); an inexact operand (from a Cast of a
            // rounded real) may wrap anywhere, so no finite bound is claimed — except for Add, Sub and Mul on the
            // 64-bit types, which never wrap on values the direct path holds: e_a + e_b and |a|·e_b + |b|·e_a + e_a·e_b
            // (a long ArgMax's index sum, `ArgExtremumTree`, is of these).
            let exact = c.node.inputs.allSatisfy { c.graph.values[$0].constant != nil || c.bounds[$0].allSatisfy { $0 == 0 } }
            if exact { return [Double](repeating: 0, count: c.count) }
            guard case .integer(64, _) = format, op == .add || op == .sub || op == .mul, c.node.inputs.count == 2 else {
                return [Double](repeating: .infinity, count: c.count)
            }
            let operands = c.node.inputs.map { id in
                (values: c.floatValues[id].values, bounds: c.bounds[id],
                 map: Shape.broadcastIndices(from: c.graph.values[id].shape, to: c.outputShape))
            }
            return (0..<c.count).map { i in
                let (a, b) = (operands[0], operands[1])
                let (ia, ib) = (a.map[i], b.map[i])
                let ea = ia < a.bounds.count ? a.bounds[ia] : 0, eb = ib < b.bounds.count ? b.bounds[ib] : 0
                guard op == .mul else { return ea + eb }
                return abs(a.values[ia]) * eb + abs(b.values[ib]) * ea + ea * eb
            }
        }
    }
}

extension IndexingOp {
    /// Bound on one element of a Cast whose real input x has fixed-point error at most e. Every cast is a
    /// nondecreasing step function f of its input (rounding, truncation, saturation), except float → integer
    /// out of range (0): so |f(x') − f(x)| ≤ max(f(x + e) − f(x), f(x) − f(x − e)) wherever f is monotone on
    /// [x − e, x + e], plus the requantization of a float result (half a unit).
    static func castBound(_ format: NumberFormat, fromInteger: Bool, x: Double, e: Double, half: Double) -> Double {
        switch format {
        case .real:
            return e
        case .bool:
            guard e > 0 else { return 0 }
            return x - e <= 0 && 0 <= x + e ? 1 : 0
        case .integer:
            guard e > 0 else { return 0 }
            let range = format.integerRange!
            let span = Double(range.upperBound) - Double(range.lowerBound)
            // An inexact integer may wrap anywhere, unless the type holds all of [x − e, x + e] (then nothing wraps).
            if fromInteger { return x - e >= Double(range.lowerBound) && x + e <= Double(range.upperBound) ? e : span }
            let lo = (x - e).rounded(.towardZero), hi = (x + e).rounded(.towardZero)
            guard lo >= Double(range.lowerBound), hi <= Double(range.upperBound) else { return span }
            return hi - lo
        case .float, .powerOfTwo:
            // float8e8m0 of a negative value is an error on both paths, so the fixed-point input is ≥ 0 there.
            var low = x - e
            if case .powerOfTwo = format { low = Swift.max(low, 0) }
            guard let fx = try? format.convert(x, fromInteger: false),
                  let lo = try? format.convert(low, fromInteger: false),
                  let hi = try? format.convert(x + e, fromInteger: false) else { return .infinity }
            return Swift.max(hi - fx, fx - lo) + half
        }
    }
}
