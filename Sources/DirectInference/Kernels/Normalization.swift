import ModelGraph
import Quantization

/// Channel affine: x·Q_w(a_c) + Q_(s+w)(b_c), then R_w (spec §4). Softmax over the last axis (spec §7).
extension NormalizationOp: IntegerKernel {
    func run(_ c: inout KernelContext) throws -> [Int64] {
        switch self {
        case .channelAffine:
            let x = c.input(0), q = c.q, label = c.label
            let inner = c.inputShape.dropFirst(2).reduce(1, *), channels = c.inputShape[1]
            var acc = [Int64](repeating: 0, count: x.count)
            for i in 0..<x.count {
                let ch = (i / inner) % channels
                acc[i] = try Accumulator.checkedProduct(x[i], q.weights[ch], label, plus: q.bias[ch])
            }
            return c.rescaled(acc)
        case .softmax:
            return NormalizationKernels.softmax(c.input(0), rowLength: c.outputShape.last!, c.q, settings: c.settings,
                                                layer: &c.layer, trace: c.trace)
        }
    }
}

enum NormalizationKernels {
    /// Softmax over the last axis (spec §7): m = max, d = x − m, e = E(d) (interpolated exp table),
    /// S = Σe, y = ⌊(e·2^s + ⌊S/2⌋) / S⌋.
    static func softmax(_ x: [Int64], rowLength n: Int, _ q: QuantizedNode, settings: QuantizationSettings,
                        layer: inout LayerTrace, trace: Bool) -> [Int64] {
        let rows = x.count / n
        let table = q.table!
        let s = Int64(settings.activationScale)
        var y = [Int64](repeating: 0, count: x.count)
        var diffs = [Int64](repeating: 0, count: x.count)
        var rowMax = [Int64](repeating: 0, count: rows), rowSum = rowMax
        var exponent = [Int64](repeating: 0, count: x.count), rho = exponent
        for r in 0..<rows {
            var m = Int64.min
            for j in 0..<n { m = max(m, x[r * n + j]) }
            rowMax[r] = m
            for j in 0..<n { diffs[r * n + j] = x[r * n + j] - m }
        }
        let values = ActivationKernels.table(diffs, table, layer: &layer, trace: trace)
        for r in 0..<rows {
            var total: Int64 = 0  // ≤ n·2^s, far below 2^62 for any tensor of ≤ 2^31 elements
            for j in 0..<n {
                let e = values[r * n + j]
                exponent[r * n + j] = e
                total += e
            }
            rowSum[r] = total  // ≥ 2^s: the maximum's d = 0 gives u = 0, f = 0 and E[0] = 2^s
            for j in 0..<n {
                let numerator = (exponent[r * n + j] << s) + total / 2
                let quotient = numerator / total  // numerator ≥ 0, so truncation is floor
                y[r * n + j] = quotient
                rho[r * n + j] = numerator - quotient * total
            }
        }
        if trace {
            layer.accumulator = diffs
            layer.rowMax = rowMax
            layer.exponent = exponent
            layer.rowSum = rowSum
            layer.divisionRemainder = rho
        }
        return y
    }
}
