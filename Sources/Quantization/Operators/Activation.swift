import ModelGraph

/// Relu, Clip and Neg are exact; LeakyRelu rescales its negative branch; Sigmoid, Tanh, Expm1 and Log1pExp are
/// interpolated tables (docs/fixed-point.md §5–§6).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        case .sqrt, .reciprocal:
            break
        case .exp:
            q.table = LookupTable(unit: .exp2Unit, settings: c.settings)
            q.weights = try c.quantizeAll([1 / Self.ln2], scale: c.w, "1/ln 2")
            q.shift = c.w
        case .sin, .cos:
            q.table = LookupTable(unit: .sinTurn, settings: c.settings)
            q.weights = try c.quantizeAll([1 / (2 * Double.pi)], scale: c.w, "1/2π")
            q.shift = c.w
        case .log:
            q.table = LookupTable(unit: .log1pUnit, settings: c.settings)
            q.weights = try c.quantizeAll([Self.ln2], scale: c.s, "ln 2")
        case .sigmoid, .tanh, .expm1, .log1pExp, .erf, .normalCDF, .geluTanhGate:
            let function: LookupTable.Function = switch self {
            case .sigmoid: .sigmoid
            case .tanh: .tanh
            case .expm1: .expm1
            case .erf: .erf
            case .normalCDF: .normalCDF
            case .geluTanhGate: .geluTanhGate
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
        case .sigmoid, .tanh, .expm1, .log1pExp, .erf, .normalCDF, .geluTanhGate:
            result = Self.tableBound(q.table!, c)
        case .neg:
            result = e
        case .sqrt, .reciprocal, .exp, .log, .sin, .cos:
            result = transcendentalBound(c)
        }
        return result
    }

    static let ln2 = 0.6931471805599453

    /// Spec §6a–§6b. Every bound is also capped by |f(x)| + the largest representable output (the output is
    /// range-checked), so an input whose error straddles a pole still gets a finite, true bound.
    func transcendentalBound(_ c: BoundContext) -> [Double] {
        let x = c.x, e = c.e, half = c.half, unit = c.unitS
        let largest = Double(c.settings.activationMaxExclusive) * unit
        var result = [Double](repeating: 0, count: c.count)
        for i in 0..<c.count {
            let xi = x[i], ei = e[i]
            var bound: Double
            switch self {
            case .sqrt:
                // |√a − √x| ≤ √|a − x|, and ≤ |a − x|/(√x + √a); then the final rounding.
                var spread = ei.squareRoot()
                if xi > 0 { spread = Swift.min(spread, ei / (xi.squareRoot() + Swift.max(0, xi - ei).squareRoot())) }
                bound = spread + half
                bound = Swift.min(bound, Swift.max(0, xi).squareRoot() + largest)
            case .reciprocal:
                let magnitude = Swift.abs(xi)
                bound = magnitude > ei ? ei / (magnitude * (magnitude - ei)) + half : .infinity
                bound = Swift.min(bound, (magnitude > 0 ? 1 / magnitude : 0) + largest)
            case .exp:
                // ζ = z·2^−s is within dz of x/ln 2 (input error, Q_w(1/ln 2), the rescale); 2^frac(ζ) from the table
                // within εT (interpolation, entries, rounding); the shift by ⌊ζ⌋ exact or rounded once more.
                let c1 = Double(c.q.weights[0]) * c.unitW
                let dz = ei * c1 + Swift.abs(xi) * Swift.abs(c1 - 1 / Self.ln2) + half
                let table = c.q.table!
                let h = Double(sign: .plus, exponent: -table.inputScale, significand: 1)
                let tableError = h * h / 8 * table.curvature + unit
                let ex = Self.expOf(xi)
                let grow = Self.exp2(dz)
                bound = ex * ((grow - 1) + grow * tableError) + half
                bound = Swift.min(bound, ex + largest)
            case .log:
                // ln of the input within e/(x − e); the mantissa's truncation ≤ 2^−s; the table; k·Q_s(ln 2).
                let table = c.q.table!
                let h = Double(sign: .plus, exponent: -table.inputScale, significand: 1)
                let fixed = 2 * unit + h * h / 8 * table.curvature + Double(c.settings.activationBits) * half
                bound = xi - ei > 0 ? ei / (xi - ei) + fixed : .infinity
                bound = Swift.min(bound, (xi > 0 ? Swift.abs(Self.logOf(xi)) : .infinity) + largest)
            case .sin, .cos:
                // The turn fraction ζ·2^−s is within dz of x/2π (input error, Q_w(1/2π), the rescale); its reduction
                // mod 1 is exact; the table within h²/8·(2π)² plus a unit; |sin| ≤ 1 caps it.
                let c1 = Double(c.q.weights[0]) * c.unitW
                let dz = ei * c1 + Swift.abs(xi) * Swift.abs(c1 - 1 / (2 * Double.pi)) + half
                let table = c.q.table!
                let h = Double(sign: .plus, exponent: -table.inputScale, significand: 1)
                bound = 2 * Double.pi * dz + h * h / 8 * table.curvature + unit
                bound = Swift.min(bound, 2 + unit)
            default:
                bound = ei
            }
            result[i] = bound
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
        let points = table.values + [table.values.last! + table.deltas.last!]
        let range = (low: Double(points.min()!) * c.unitS, high: Double(points.max()!) * c.unitS)
        var result = [Double](repeating: 0, count: c.count)
        for i in 0..<c.count {
            var tail = 0.0
            if x[i] - e[i] < lowEdge { tail = Swift.max(tail, tails.low) }
            if x[i] + e[i] >= highEdge { tail = Swift.max(tail, tails.high) }
            result[i] = table.lipschitz * e[i] + inside + tail
            // The output lies between the table's smallest and largest point whatever the input: a bounded
            // function's error stays bounded however large the input's error (a sigmoid gate in a recurrence).
            let real = table.evaluate(x[i])
            result[i] = Swift.min(result[i], Swift.max(real - range.low, range.high - real))
        }
        return result
    }
}

extension ActivationOp {
    static func expOf(_ x: Double) -> Double { libmExp(x) }
    static func logOf(_ x: Double) -> Double { libmLog(x) }
    static func exp2(_ x: Double) -> Double { libmPow(2, x) }
}

private func libmExp(_ x: Double) -> Double { exp(x) }
private func libmLog(_ x: Double) -> Double { log(x) }
private func libmPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
