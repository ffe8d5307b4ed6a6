import ModelGraph

/// Conv (docs/fixed-point.md §4): the linear family over a window.
extension ConvolutionOp: IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode {
        switch self {
        case .conv(let conv):
            var q = QuantizedNode()
            let m = conv.weight.shape[0]
            q.weights = try c.quantizeAll(conv.weight.values, scale: c.w, "weight")
            q.bias = try c.quantizeAll(conv.bias?.values ?? [Double](repeating: 0, count: m), scale: c.s + c.w, "bias")
            q.shift = c.w
            q.accumulatorFitsStatically = c.staticallySafe(q, rows: m, rowLength: conv.weight.count / m)
            return q
        }
    }

    func errorBound(_ c: BoundContext) -> [Double] {
        switch self {
        case .conv(let conv): return Self.convBound(conv, c)
        }
    }

    /// As for a linear layer, over the window's taps inside the input.
    static func convBound(_ conv: Convolution, _ c: BoundContext) -> [Double] {
        let q = c.q, x = c.x, e = c.e
        let inShape = c.inputShape, outShape = c.outputShape
        let window = conv.window(input: inShape, output: outShape)
        let inC = inShape[1], outC = outShape[1], plane = window.outH * window.outW, inPlane = window.inH * window.inW
        var result = [Double](repeating: 0, count: c.count)
        for i in 0..<c.count {
            let b = i / (outC * plane), m = (i / plane) % outC, oy = (i % plane) / window.outW, ox = i % window.outW
            var total = c.half + abs(Double(q.bias[m]) * c.unitS * c.unitW - (conv.bias?.values[m] ?? 0))
            for ch in 0..<inC {
                for ky in 0..<window.kH {
                    guard let iy = window.row(oy, ky) else { continue }
                    for kx in 0..<window.kW {
                        guard let ix = window.column(ox, kx) else { continue }
                        let wi = ((m * inC + ch) * window.kH + ky) * window.kW + kx
                        let xi = (b * inC + ch) * inPlane + iy * window.inW + ix
                        let weight = conv.weight.values[wi]
                        total += abs(weight) * e[xi] + abs(Double(q.weights[wi]) * c.unitW - weight) * (abs(x[xi]) + e[xi])
                    }
                }
            }
            result[i] = total
        }
        return result
    }
}
