import ModelGraph
import Quantization

/// AveragePool and GlobalAveragePool: window sums times Q_w(1/n), then R_w (spec §4). MaxPool: the maximum
/// of the window positions inside the input (spec §5).
extension PoolingOp: IntegerKernel {
    func run(_ c: inout KernelContext) throws -> [Int64] {
        switch self {
        case .average(let pool):
            return c.rescaled(try PoolingKernels.averagePool(
                x: c.input(0), inputShape: c.inputShape, outputShape: c.outputShape, pool: pool, multipliers: c.q.weights,
                layer: c.label))
        case .globalAverage:
            return c.rescaled(try PoolingKernels.globalAveragePool(x: c.input(0), inputShape: c.inputShape,
                                                                    multiplier: c.q.weights[0], layer: c.label))
        case .reduce(let r):
            // Exact sums (|x| < 2^31, at most 2^31 terms: below 2^62), then ×Q_w(1/n) and R_w for a mean.
            let x = c.input(0)
            var y = [Int64](repeating: 0, count: c.outputShape.reduce(1, *))
            for (i, o) in r.outputIndex(c.inputShape).enumerated() { y[o] += x[i] }
            guard r.mean else { return y }
            let label = c.label, multiplier = c.q.weights[0]
            return c.rescaled(try y.map { try Accumulator.checkedProduct($0, multiplier, label) })
        case .reduceExtremum(let r, let maximum):
            // Exact: the largest (smallest) element of each group.
            let x = c.input(0)
            let start: Int64 = maximum ? Int64.min : Int64.max
            var y = [Int64](repeating: start, count: c.outputShape.reduce(1, *))
            let index = r.outputIndex(c.inputShape)
            for i in 0..<index.count {
                let o = index[i], v = x[i]
                if maximum { if v > y[o] { y[o] = v } } else if v < y[o] { y[o] = v }
            }
            return y
        case .globalMax:
            let x = c.input(0), inner = c.inputShape.dropFirst(2).reduce(1, *)
            return (0..<(x.count / inner)).map { p in x[p * inner..<(p + 1) * inner].max()! }
        case .maxIndex(let pool, let columnMajor):
            // Exact: integer indices, the window's first maximum.
            let x = c.input(0)
            return pool.argmax(input: c.inputShape, output: c.outputShape, columnMajor: columnMajor) { x[$0] }.map { Int64($0) }
        case .max(let pool):
            return PoolingKernels.maxPool(x: c.input(0), inputShape: c.inputShape, outputShape: c.outputShape, pool: pool)
        }
    }
}

enum PoolingKernels {
    /// Window sums of an AveragePool times the per-position multiplier Q_w(1/n).
    static func averagePool(x: [Int64], inputShape: [Int], outputShape: [Int], pool: Pooling,
                            multipliers: [Int64], layer: String) throws -> [Int64] {
        let window = pool.window(input: inputShape, output: outputShape)
        let planes = inputShape[0] * inputShape[1]
        let plane = window.outH * window.outW, inPlane = window.inH * window.inW
        var y = [Int64](repeating: 0, count: planes * plane)
        for p in 0..<planes {
            for oy in 0..<window.outH {
                for ox in 0..<window.outW {
                    var sum: Int64 = 0  // ≤ kH·kW·2^31 < 2^63: window sums of in-bound values cannot overflow
                    for ky in 0..<window.kH {
                        guard let iy = window.row(oy, ky) else { continue }
                        for kx in 0..<window.kW {
                            guard let ix = window.column(ox, kx) else { continue }
                            sum += x[p * inPlane + iy * window.inW + ix]
                        }
                    }
                    y[p * plane + oy * window.outW + ox] = try Accumulator.checkedProduct(sum, multipliers[oy * window.outW + ox], layer)
                }
            }
        }
        return y
    }

    static func globalAveragePool(x: [Int64], inputShape: [Int], multiplier: Int64, layer: String) throws -> [Int64] {
        let inner = inputShape.dropFirst(2).reduce(1, *)
        let planes = inputShape[0] * inputShape[1]
        var y = [Int64](repeating: 0, count: planes)
        for p in 0..<planes {
            var sum: Int64 = 0
            for i in 0..<inner { sum += x[p * inner + i] }
            y[p] = try Accumulator.checkedProduct(sum, multiplier, layer)
        }
        return y
    }

    static func maxPool(x: [Int64], inputShape: [Int], outputShape: [Int], pool: Pooling) -> [Int64] {
        let window = pool.window(input: inputShape, output: outputShape)
        let planes = inputShape[0] * inputShape[1]
        let plane = window.outH * window.outW, inPlane = window.inH * window.inW
        var y = [Int64](repeating: 0, count: planes * plane)
        for p in 0..<planes {
            for oy in 0..<window.outH {
                for ox in 0..<window.outW {
                    var best = Int64.min  // every window holds at least one input position (pads < kernel)
                    for ky in 0..<window.kH {
                        guard let iy = window.row(oy, ky) else { continue }
                        for kx in 0..<window.kW {
                            guard let ix = window.column(ox, kx) else { continue }
                            best = max(best, x[p * inPlane + iy * window.inW + ix])
                        }
                    }
                    y[p * plane + oy * window.outW + ox] = best
                }
            }
        }
        return y
    }

}
