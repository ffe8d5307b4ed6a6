extension ConvolutionOp {
    public func evaluateFloat(_ inputs: [Tensor], outputShape: [Int]) throws -> [Double] {
        switch self {
        case .conv(let conv): return conv.evaluateFloat(inputs[0], outputShape: outputShape)
        }
    }
}

extension Convolution {
    func evaluateFloat(_ input: Tensor, outputShape: [Int]) -> [Double] {
        let window = window(input: input.shape, output: outputShape)
        let batch = input.shape[0], inC = input.shape[1], outC = outputShape[1]
        let x = input.values, w = weight.values
        var y = [Double](repeating: 0, count: outputShape.reduce(1, *))
        let plane = window.outH * window.outW, inPlane = window.inH * window.inW
        for b in 0..<batch {
            for m in 0..<outC {
                for oy in 0..<window.outH {
                    for ox in 0..<window.outW {
                        var acc = bias?.values[m] ?? 0
                        for c in 0..<inC {
                            for ky in 0..<window.kH {
                                guard let iy = window.row(oy, ky) else { continue }
                                for kx in 0..<window.kW {
                                    guard let ix = window.column(ox, kx) else { continue }
                                    acc += w[((m * inC + c) * window.kH + ky) * window.kW + kx]
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
