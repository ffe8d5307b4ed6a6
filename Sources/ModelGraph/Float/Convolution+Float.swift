extension ConvolutionOp {
    public func evaluateFloat(_ inputs: [Tensor], outputShape: [Int]) throws -> [Double] {
        switch self {
        case .conv(let conv): return conv.evaluateFloat(inputs[0], outputShape: outputShape)
        case .transposed(let conv): return conv.evaluateFloat(inputs[0], outputShape: outputShape)
        }
    }
}

extension Convolution {
    func evaluateFloat(_ input: Tensor, outputShape: [Int]) -> [Double] {
        let window = window(input: input.shape, output: outputShape)
        let batch = input.shape[0], inC = input.shape[1], outC = outputShape[1]
        let cg = groupChannels, perGroup = outC / group
        let x = input.values, w = weight.values
        var y = [Double](repeating: 0, count: outputShape.reduce(1, *))
        let plane = window.outH * window.outW, inPlane = window.inH * window.inW
        for b in 0..<batch {
            for m in 0..<outC {
                let firstChannel = (m / perGroup) * cg
                for oy in 0..<window.outH {
                    for ox in 0..<window.outW {
                        var acc = bias?.values[m] ?? 0
                        for cl in 0..<cg {
                            let c = firstChannel + cl
                            for ky in 0..<window.kH {
                                guard let iy = window.row(oy, ky) else { continue }
                                for kx in 0..<window.kW {
                                    guard let ix = window.column(ox, kx) else { continue }
                                    acc += w[((m * cg + cl) * window.kH + ky) * window.kW + kx]
                                        * x[(b * inC + c) * inPlane + iy * window.inW + ix]
                                }
                            }
                        }
                        y[(b * outC + m) * plane + oy * window.outW + ox] = acc
                    }
                }
            }
        }
        return y
    }
}

extension ConvTranspose {
    func evaluateFloat(_ input: Tensor, outputShape: [Int]) -> [Double] {
        let window = window(input: input.shape, output: outputShape), g = window.base
        let batch = input.shape[0], inC = input.shape[1], outC = outputShape[1]
        let cg = inC / group, mg = groupOutputs
        let x = input.values, w = weight.values
        var y = [Double](repeating: 0, count: outputShape.reduce(1, *))
        let plane = g.outH * g.outW, inPlane = g.inH * g.inW
        for b in 0..<batch {
            for m in 0..<outC {
                let groupIndex = m / mg, ml = m % mg
                for oy in 0..<g.outH {
                    for ox in 0..<g.outW {
                        var acc = bias?.values[m] ?? 0
                        for c in groupIndex * cg..<(groupIndex + 1) * cg {
                            for ky in 0..<g.kH {
                                guard let iy = window.row(oy, ky) else { continue }
                                for kx in 0..<g.kW {
                                    guard let ix = window.column(ox, kx) else { continue }
                                    acc += w[((c * mg + ml) * g.kH + ky) * g.kW + kx] * x[(b * inC + c) * inPlane + iy * g.inW + ix]
                                }
                            }
                        }
                        y[(b * outC + m) * plane + oy * g.outW + ox] = acc
                    }
                }
            }
        }
        return y
    }
}
