import ModelGraph

/// Relu, Clip and Neg are exact; LeakyRelu rescales its negative branch; Sigmoid, Tanh, Expm1 and Log1pExp are
/// interpolated tables (docs/fixed-point.md §5–§6).
extension ActivationOp: IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode {
        var q = QuantizedNode()
        switch self {
        case .relu:
            break
        case .leakyRelu(let alpha):
            q.weights = try c.quantizeAll([alpha], scale: c.w, "alpha")
            q.shift = c.w
        case .clip(let lower, let upper):
            q.lower = try lower.map { try c.quantizeAll([$0], scale: c.s, "min")[0] }
            q.upper = try upper.map { try c.quantizeAll([$0], scale: c.s, "max")[0] }
        case .sigmoid, .tanh, .expm1, .log1pExp:
            let function: LookupTable.Function = switch self {
            case .sigmoid: .sigmoid
            case .tanh: .tanh
            case .expm1: .expm1
            default: .softplusTail
            }
            let table = LookupTable(function, settings: c.settings)
            q.table = table
            q.shift = table.shift
        case .neg:
            break
        }
        return q
    }

    func errorBound(_ c: BoundContext) -> [Double] {
        let q = c.q, x = c.x, e = c.e, count = c.count
        var result = [Double](repeating: 0, count: count)
        switch self {
        case .relu:
            // Real input below −e: both paths output exactly 0.
            for i in 0..<count { result[i] = x[i] < -e[i] ? 0 : e[i] }
        case .leakyRelu(let alpha):
            let approx = Double(q.weights[0]) * c.unitW
            for i in 0..<count {
                result[i] = x[i] > e[i] ? e[i] : Swift.max(1, Swift.abs(approx)) * e[i] + Swift.abs(approx - alpha) * (Swift.abs(x[i]) + e[i]) + c.half
            }
        case .clip(let lower, let upper):
            let dl = lower.map { Swift.abs(Double(q.lower!) * c.unitS - $0) } ?? 0
            let du = upper.map { Swift.abs(Double(q.upper!) * c.unitS - $0) } ?? 0
            for i in 0..<count { result[i] = Swift.max(e[i], dl, du) }
        case .sigmoid, .tanh, .expm1, .log1pExp:
            result = Self.tableBound(q.table!, c)
        case .neg:
            result = e
        }
        return result
    }

    /// Interpolated table (spec §6): L·e (input error) + h²/8·|f''| (interpolation) + 2^−s (table entries and the
    /// interpolation's rounding), plus the clamp tail where the input may leave the grid.
    static func tableBound(_ table: LookupTable, _ c: BoundContext) -> [Double] {
        let x = c.x, e = c.e
        let tableStep = Double(sign: .plus, exponent: -table.inputScale, significand: 1)
        let lowEdge = Double(table.minIndex) * tableStep, highEdge = Double(table.maxIndex + 1) * tableStep
        let tails = table.clampTails
        let inside = tableStep * tableStep / 8 * table.curvature + c.unitS
        var result = [Double](repeating: 0, count: c.count)
        for i in 0..<c.count {
            var tail = 0.0
            if x[i] - e[i] < lowEdge { tail = Swift.max(tail, tails.low) }
            if x[i] + e[i] >= highEdge { tail = Swift.max(tail, tails.high) }
            result[i] = table.lipschitz * e[i] + inside + tail
        }
        return result
    }
}
