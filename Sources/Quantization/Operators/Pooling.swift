import ModelGraph

/// AveragePool and GlobalAveragePool are the linear family with multipliers Q_w(1/n) (docs/fixed-point.md §4);
/// MaxPool takes the maximum over the window (§5).
extension PoolingOp: IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode {
        var q = QuantizedNode()
        switch self {
        case .average(let pool):
            let window = pool.window(input: c.inputShape, output: c.outputShape)
            let divisors = Layout.averageDivisors(window, countIncludePad: pool.countIncludePad)
            q.weights = try c.quantizeAll(divisors.map { 1 / Double($0) }, scale: c.w, "1/n")
            q.shift = c.w
        case .globalAverage:
            q.weights = try c.quantizeAll([1 / Double(c.inputShape.dropFirst(2).reduce(1, *))], scale: c.w, "1/n")
            q.shift = c.w
        case .max, .globalMax, .reduceExtremum, .maxIndex:
            break
        case .reduce(let r):
            if r.mean {
                q.weights = try c.quantizeAll([1 / Double(r.count(c.inputShape))], scale: c.w, "1/n")
                q.shift = c.w
            }
        }
        return q
    }

    func errorBound(_ c: BoundContext) -> [Double] {
        let q = c.q, x = c.x, e = c.e
        var result = [Double](repeating: 0, count: c.count)
        switch self {
        case .average(let pool):
            let window = pool.window(input: c.inputShape, output: c.outputShape)
            let divisors = Layout.averageDivisors(window, countIncludePad: pool.countIncludePad)
            let plane = window.outH * window.outW, inPlane = window.inH * window.inW
            for i in 0..<c.count {
                let p = i / plane, position = i % plane, oy = position / window.outW, ox = position % window.outW
                let multiplier = Double(q.weights[position]) * c.unitW, exact = 1 / Double(divisors[position])
                var total = c.half
                for ky in 0..<window.kH {
                    guard let iy = window.row(oy, ky) else { continue }
                    for kx in 0..<window.kW {
                        guard let ix = window.column(ox, kx) else { continue }
                        let xi = p * inPlane + iy * window.inW + ix
                        total += multiplier * e[xi] + abs(multiplier - exact) * abs(x[xi])
                    }
                }
                result[i] = total
            }
        case .globalAverage:
            let inner = c.inputShape.dropFirst(2).reduce(1, *)
            let multiplier = Double(q.weights[0]) * c.unitW, exact = 1 / Double(inner)
            for i in 0..<c.count {
                var total = c.half
                for j in i * inner..<(i + 1) * inner { total += multiplier * e[j] + abs(multiplier - exact) * abs(x[j]) }
                result[i] = total
            }
        case .reduce(let r):
            // Sum: the bounds add. Mean: as GlobalAveragePool, with multiplier Q_w(1/n).
            let multiplier = r.mean ? Double(q.weights[0]) * c.unitW : 1, exact = r.mean ? 1 / Double(r.count(c.inputShape)) : 1
            for (i, o) in r.outputIndex(c.inputShape).enumerated() {
                result[o] += multiplier * e[i] + Swift.abs(multiplier - exact) * Swift.abs(x[i])
            }
            if r.mean { for i in result.indices { result[i] += c.half } }
        case .globalMax:
            let inner = c.inputShape.dropFirst(2).reduce(1, *)
            for i in 0..<c.count { result[i] = e[i * inner..<(i + 1) * inner].max() ?? 0 }
        case .maxIndex(let pool, let columnMajor):
            // Exact unless another element of the window may overtake the real maximum x_j within the bounds:
            // x_j − x_i ≤ e_i + e_j. Then the index may be any such i's, so the bound is the largest |index_i − index_j|.
            let window = pool.window(input: c.inputShape, output: c.outputShape)
            let plane = window.outH * window.outW, inPlane = window.inH * window.inW
            let winners = pool.argmax(input: c.inputShape, output: c.outputShape, columnMajor: false) { x[$0] }
            func flat(_ p: Int, _ iy: Int, _ ix: Int) -> Int { p * inPlane + (columnMajor ? iy + ix * window.inH : iy * window.inW + ix) }
            for i in 0..<c.count {
                let p = i / plane, oy = (i % plane) / window.outW, ox = i % window.outW
                let wi = winners[i], spatial = wi - p * inPlane
                let winner = flat(p, spatial / window.inW, spatial % window.inW)
                var worst = 0.0
                for ky in 0..<window.kH {
                    guard let iy = window.row(oy, ky) else { continue }
                    for kx in 0..<window.kW {
                        guard let ix = window.column(ox, kx) else { continue }
                        let xi = p * inPlane + iy * window.inW + ix
                        guard xi != wi, x[wi] - x[xi] <= e[xi] + e[wi], e[xi] + e[wi] > 0 else { continue }
                        worst = Swift.max(worst, Double(Swift.abs(flat(p, iy, ix) - winner)))
                    }
                }
                result[i] = worst
            }
        case .reduceExtremum(let r, _):
            // The maximum (minimum) is 1-Lipschitz in the largest input error of its group.
            for (i, o) in r.outputIndex(c.inputShape).enumerated() { result[o] = Swift.max(result[o], e[i]) }
        case .max(let pool):
            // The largest input bound of the window.
            let window = pool.window(input: c.inputShape, output: c.outputShape)
            let plane = window.outH * window.outW, inPlane = window.inH * window.inW
            for i in 0..<c.count {
                let p = i / plane, oy = (i % plane) / window.outW, ox = i % window.outW
                var worst = 0.0
                for ky in 0..<window.kH {
                    guard let iy = window.row(oy, ky) else { continue }
                    for kx in 0..<window.kW {
                        guard let ix = window.column(ox, kx) else { continue }
                        worst = Swift.max(worst, e[p * inPlane + iy * window.inW + ix])
                    }
                }
                result[i] = worst
            }
        }
        return result
    }
}
