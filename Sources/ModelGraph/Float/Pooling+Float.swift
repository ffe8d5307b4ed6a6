extension PoolingOp {
    public func evaluateFloat(_ inputs: [Tensor], outputShape: [Int]) throws -> [Double] {
        let x = inputs[0]
        switch self {
        case .average(let pool): return Self.pooling(pool, input: x, outputShape: outputShape, average: true)
        case .max(let pool): return Self.pooling(pool, input: x, outputShape: outputShape, average: false)
        case .maxIndex(let pool, let columnMajor):
            return pool.argmax(input: x.shape, output: outputShape, columnMajor: columnMajor) { x.values[$0] }.map(Double.init)
        case .globalAverage:
            let inner = x.shape.dropFirst(2).reduce(1, *)
            let count = outputShape.reduce(1, *)
            return (0..<count).map { c in x.values[c * inner..<(c + 1) * inner].reduce(0, +) / Double(inner) }
        case .globalMax:
            let inner = x.shape.dropFirst(2).reduce(1, *)
            let count = outputShape.reduce(1, *)
            return (0..<count).map { c in x.values[c * inner..<(c + 1) * inner].max()! }
        case .reduce(let r):
            var y = [Double](repeating: 0, count: outputShape.reduce(1, *))
            for (i, o) in r.outputIndex(x.shape).enumerated() { y[o] += x.values[i] }
            if r.mean { let n = Double(r.count(x.shape)); for i in y.indices { y[i] /= n } }
            return y
        case .reduceExtremum(let r, let maximum):
            var y = [Double](repeating: maximum ? -.infinity : .infinity, count: outputShape.reduce(1, *))
            for (i, o) in r.outputIndex(x.shape).enumerated() {
                y[o] = maximum ? Swift.max(y[o], x.values[i]) : Swift.min(y[o], x.values[i])
            }
            return y
        }
    }

    static func pooling(_ pool: Pooling, input: Tensor, outputShape: [Int], average: Bool) -> [Double] {
        let window = pool.window(input: input.shape, output: outputShape)
        let divisors = Layout.averageDivisors(window, countIncludePad: pool.countIncludePad)
        let planes = input.shape[0] * input.shape[1]
        let plane = window.outH * window.outW, inPlane = window.inH * window.inW
        var y = [Double](repeating: 0, count: planes * plane)
        for p in 0..<planes {
            for oy in 0..<window.outH {
                for ox in 0..<window.outW {
                    var acc = average ? 0 : -Double.infinity
                    for ky in 0..<window.kH {
                        guard let iy = window.row(oy, ky) else { continue }
                        for kx in 0..<window.kW {
                            guard let ix = window.column(ox, kx) else { continue }
                            let v = input.values[p * inPlane + iy * window.inW + ix]
                            acc = average ? acc + v : Swift.max(acc, v)
                        }
                    }
                    y[p * plane + oy * window.outW + ox] = average ? acc / Double(divisors[oy * window.outW + ox]) : acc
                }
            }
        }
        return y
    }
}
