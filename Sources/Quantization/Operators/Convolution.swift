import ModelGraph

/// Conv and ConvTranspose (docs/fixed-point.md §4): the linear family over a window.
extension ConvolutionOp: IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode {
        var q = QuantizedNode()
        switch self {
        case .conv(let conv):
            let m = conv.outputChannels
            q.weights = try c.quantizeAll(conv.weight.values, scale: c.w, "weight")
            q.bias = try c.quantizeAll(conv.bias?.values ?? [Double](repeating: 0, count: m), scale: c.s + c.w, "bias")
            q.shift = c.w
            q.accumulatorFitsStatically = c.staticallySafe(q, rows: m, rowLength: conv.weight.count / m)
        case .transposed(let conv):
            let m = conv.outputChannels
            q.weights = try c.quantizeAll(conv.weight.values, scale: c.w, "weight")
            q.bias = try c.quantizeAll(conv.bias?.values ?? [Double](repeating: 0, count: m), scale: c.s + c.w, "bias")
            q.shift = c.w
            // Output channel m reads W[c, m mod M/g, ·] for the C/g input channels c of its group.
            let bound = Double(c.settings.activationMaxExclusive)
            let taps = conv.kernel[0] * conv.kernel[1], mg = conv.groupOutputs, cg = conv.inputChannels / conv.group
            q.accumulatorFitsStatically = (0..<m).allSatisfy { channel in
                var total = Double(abs(q.bias[channel]))
                let g = channel / mg, ml = channel % mg
                for input in g * cg..<(g + 1) * cg {
                    for t in 0..<taps { total += Double(abs(q.weights[(input * mg + ml) * taps + t])) * bound }
                }
                return total < 0x1p61
            }
        }
        return q
    }

    /// As for a linear layer, over the taps each output reads.
    func errorBound(_ c: BoundContext) -> [Double] {
        let q = c.q, x = c.x, e = c.e
        let inShape = c.inputShape, outShape = c.outputShape
        let inC = inShape[1], outC = outShape[1]
        var result = [Double](repeating: 0, count: c.count)
        func term(_ wi: Int, _ xi: Int, _ weight: Double) -> Double {
            abs(weight) * e[xi] + abs(Double(q.weights[wi]) * c.unitW - weight) * (abs(x[xi]) + e[xi])
        }
        switch self {
        case .conv(let conv):
            let window = conv.window(input: inShape, output: outShape)
            let plane = window.outH * window.outW, inPlane = window.inH * window.inW
            let cg = conv.groupChannels, perGroup = outC / conv.group
            for i in 0..<c.count {
                let b = i / (outC * plane), m = (i / plane) % outC, oy = (i % plane) / window.outW, ox = i % window.outW
                var total = c.half + abs(Double(q.bias[m]) * c.unitS * c.unitW - (conv.bias?.values[m] ?? 0))
                let first = (m / perGroup) * cg
                for cl in 0..<cg {
                    for ky in 0..<window.kH {
                        guard let iy = window.row(oy, ky) else { continue }
                        for kx in 0..<window.kW {
                            guard let ix = window.column(ox, kx) else { continue }
                            let wi = ((m * cg + cl) * window.kH + ky) * window.kW + kx
                            total += term(wi, (b * inC + first + cl) * inPlane + iy * window.inW + ix, conv.weight.values[wi])
                        }
                    }
                }
                result[i] = total
            }
        case .transposed(let conv):
            let window = conv.window(input: inShape, output: outShape), g = window.base
            let plane = g.outH * g.outW, inPlane = g.inH * g.inW
            let cg = inC / conv.group, mg = conv.groupOutputs
            for i in 0..<c.count {
                let b = i / (outC * plane), m = (i / plane) % outC, oy = (i % plane) / g.outW, ox = i % g.outW
                var total = c.half + abs(Double(q.bias[m]) * c.unitS * c.unitW - (conv.bias?.values[m] ?? 0))
                let group = m / mg, ml = m % mg
                for ch in group * cg..<(group + 1) * cg {
                    for ky in 0..<g.kH {
                        guard let iy = window.row(oy, ky) else { continue }
                        for kx in 0..<g.kW {
                            guard let ix = window.column(ox, kx) else { continue }
                            let wi = ((ch * mg + ml) * g.kH + ky) * g.kW + kx
                            total += term(wi, (b * inC + ch) * inPlane + iy * g.inW + ix, conv.weight.values[wi])
                        }
                    }
                }
                result[i] = total
            }
        }
        return result
    }
}
