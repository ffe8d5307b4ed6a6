import ModelGraph
import Quantization

/// Relu, Clip: exact clamps. LeakyRelu: x, or R_w(x·Q_w(α)) below zero. Sigmoid, Tanh: interpolated tables
/// (spec §5–§6).
extension ActivationOp: IntegerKernel {
    func run(_ c: inout KernelContext) throws -> [Int64] {
        let x = c.input(0), q = c.q
        switch self {
        case .relu:
            return x.map { max($0, 0) }
        case .leakyRelu:
            let label = c.label
            let acc = try x.map { try Accumulator.checkedProduct($0, q.weights[0], label) }
            let negative = c.rescaled(acc)
            return (0..<x.count).map { x[$0] >= 0 ? x[$0] : negative[$0] }
        case .clip:
            return x.map { v in
                var r = v
                if let lower = q.lower { r = max(r, lower) }
                if let upper = q.upper { r = min(r, upper) }
                return r
            }
        case .sigmoid, .tanh, .expm1, .log1pExp, .erf, .normalCDF, .geluTanhGate:
            return ActivationKernels.table(x, q.table!, layer: &c.layer, trace: c.trace)
        case .neg:
            return x.map { -$0 }
        case .sqrt, .reciprocal, .exp, .log, .sin, .cos:
            var out = [Int64](repeating: 0, count: x.count)
            for i in 0..<x.count {
                guard let y = ActivationKernels.transcendental(self, x[i], q, settings: c.settings) else {
                    throw ActivationKernels.domainError(self, index: i, value: x[i], c)
                }
                out[i] = y
            }
            return out
        }
    }
}

enum ActivationKernels {
    /// Sqrt, Reciprocal, Exp, Log of one activation x at scale s (spec §6a–§6b); nil outside the domain or
    /// when the result cannot be an activation.
    static func transcendental(_ op: ActivationOp, _ x: Int64, _ q: QuantizedNode, settings: QuantizationSettings) -> Int64? {
        let s = settings.activationScale
        let limit = settings.activationMaxExclusive
        switch op {
        case .sqrt:
            // y = round(√(x·2^s)): x·2^s < 2^61.
            guard x >= 0 else { return nil }
            return roundedSquareRoot(x << Int64(s))
        case .reciprocal:
            // y = round(2^2s / x), ties away from zero only where exact halves cannot occur (odd |x| > 1).
            guard x != 0 else { return nil }
            let a = x.magnitude
            let y = Int64((UInt64(1) << UInt64(2 * s) + a / 2) / a)
            return y >= limit ? nil : (x < 0 ? -y : y)
        case .exp:
            // ζ = R_w(x·Q_w(1/ln 2)) = k·2^s + f, f ∈ [0, 2^s); y = 2^k·P(f), P the 2^x mantissa table.
            let (z, _) = FixedPoint.rescale(x * q.weights[0], shift: q.shift)
            let k = z >> Int64(s), f = z - (k << Int64(s))
            let p = q.table!.step(f).output
            if k >= 0 {
                guard k < 40, p <= (limit - 1) >> k else { return nil }
                return p << k
            }
            return -k > 62 ? 0 : FixedPoint.rescale(p, shift: Int(-k)).quotient
        case .sin, .cos:
            // ζ = R_w(x·Q_w(1/2π)) turns at scale s; v = ζ mod 2^s (plus a quarter turn for Cos); y = S(v), S the
            // sin(2πv) table on [0, 1).
            let (z, _) = FixedPoint.rescale(x * q.weights[0], shift: q.shift)
            let mask = (Int64(1) << Int64(s)) - 1
            let v = (op == .cos ? z &+ (Int64(1) << Int64(s - 2)) : z) & mask
            return q.table!.step(v).output
        case .log:
            // x = 2^k·m·2^−… with m ∈ [2^s, 2^(s+1)) (x shifted to its leading bit); y = L(m − 2^s) + k·Q_s(ln 2).
            guard x > 0 else { return nil }
            let k = Int64(63 - x.leadingZeroBitCount) - Int64(s)
            let m = k >= 0 ? x >> k : x << -k
            return q.table!.step(m - (Int64(1) << Int64(s))).output + k * q.weights[0]
        default:
            return nil
        }
    }

    /// ⌊√n + ½⌋ for 0 ≤ n < 2^62, exactly: the floor root r (corrected around the float estimate), plus one when
    /// n > r² + r (i.e. n ≥ (r + ½)² + ¾, as n is an integer).
    static func roundedSquareRoot(_ n: Int64) -> Int64 {
        var r = Int64(Double(n).squareRoot())
        while r > 0 && r * r > n { r -= 1 }
        while (r + 1) * (r + 1) <= n { r += 1 }
        return n - r * r > r ? r + 1 : r
    }

    static func domainError(_ op: ActivationOp, index: Int, value: Int64, _ c: KernelContext) -> QuantizationError {
        let domain: String = switch op {
        case .sqrt: "x ≥ 0"
        case .reciprocal: "x ≠ 0 with |1/x| < 2^\(c.settings.activationBits - 1 - c.settings.activationScale)"
        case .exp: "e^x < 2^\(c.settings.activationBits - 1 - c.settings.activationScale)"
        default: "x > 0"
        }
        return QuantizationError.outOfRange(layer: c.label, what: "\(op.name) input element \(index) =",
                                            value: "\(value) (≈ \(FixedPoint.dequantize(value, scale: c.settings.activationScale)))",
                                            bound: domain)
    }

    /// Interpolated table evaluation (spec §6) of every element: T[u] + R_k(Δ[u]·g).
    static func table(_ x: [Int64], _ table: LookupTable, layer: inout LayerTrace, trace: Bool) -> [Int64] {
        var out = [Int64](repeating: 0, count: x.count)
        guard trace else {
            for i in 0..<x.count { out[i] = table.step(x[i]).output }
            return out
        }
        var z = out, f = out, u = out, q = out, r = out
        for i in 0..<x.count {
            let step = table.step(x[i])
            (z[i], f[i], u[i], q[i], r[i], out[i]) = (step.index, step.fraction, step.clampedIndex, step.quotient,
                                                       step.remainder, step.output)
        }
        layer.shift = table.shift
        layer.quotient = z
        layer.remainder = f
        layer.tableIndex = u
        layer.interpolation = q
        layer.interpolationRemainder = r
        return out
    }
}
