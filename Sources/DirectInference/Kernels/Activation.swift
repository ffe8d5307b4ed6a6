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
        case .sigmoid, .tanh, .expm1, .log1pExp:
            return ActivationKernels.table(x, q.table!, layer: &c.layer, trace: c.trace)
        case .neg:
            return x.map { -$0 }
        }
    }
}

enum ActivationKernels {
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
