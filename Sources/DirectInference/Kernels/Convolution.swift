import Dispatch
import ModelGraph
import Quantization

/// Conv (spec §4): exact integer window sums W·x + b, then R_w.
extension ConvolutionOp: IntegerKernel {
    func run(_ c: inout KernelContext) throws -> [Int64] {
        switch self {
        case .conv(let conv):
            return c.rescaled(try ConvolutionKernels.conv(
                x: c.input(0), inputShape: c.inputShape, outputShape: c.outputShape, conv: conv, weights: c.q.weights,
                bias: c.q.bias, fitsStatically: c.q.accumulatorFitsStatically, layer: c.label))
        }
    }
}

enum ConvolutionKernels {
    static func conv(x: [Int64], inputShape: [Int], outputShape: [Int], conv: Convolution,
                     weights: [Int64], bias: [Int64], fitsStatically: Bool, layer: String) throws -> [Int64] {
        let window = conv.window(input: inputShape, output: outputShape)
        let batch = inputShape[0], inC = inputShape[1], outC = outputShape[1]
        let plane = window.outH * window.outW, inPlane = window.inH * window.inW
        let kernelSize = inC * window.kH * window.kW
        var y = [Int64](repeating: 0, count: outputShape.reduce(1, *))
        var failed = false
        x.withUnsafeBufferPointer { xp in
            weights.withUnsafeBufferPointer { wp in
                y.withUnsafeMutableBufferPointer { ypInout in
                    let yp = ypInout
                    let planes = batch * outC
                    let chunks = planes * plane * kernelSize >= Accumulator.parallelThreshold ? min(planes, 8) : 1
                    let failures = UnsafeMutableBufferPointer<Bool>.allocate(capacity: chunks)
                    failures.initialize(repeating: false)
                    defer { failures.deallocate() }
                    let body = { (chunk: Int) in
                        for bm in (planes * chunk / chunks)..<(planes * (chunk + 1) / chunks) {
                            let b = bm / outC, m = bm % outC
                            for oy in 0..<window.outH {
                                for ox in 0..<window.outW {
                                    var acc = bias[m]
                                    var wide = WideAccumulator(bias[m])
                                    for c in 0..<inC {
                                        let xBase = (b * inC + c) * inPlane
                                        let wBase = (m * inC + c) * window.kH * window.kW
                                        for ky in 0..<window.kH {
                                            guard let iy = window.row(oy, ky) else { continue }
                                            for kx in 0..<window.kW {
                                                guard let ix = window.column(ox, kx) else { continue }
                                                let wv = wp[wBase + ky * window.kW + kx], xv = xp[xBase + iy * window.inW + ix]
                                                if fitsStatically { acc = acc &+ wv &* xv } else { wide.add(wv, xv) }
                                            }
                                        }
                                    }
                                    let index = bm * plane + oy * window.outW + ox
                                    if fitsStatically {
                                        yp[index] = acc
                                    } else if let v = wide.value {
                                        yp[index] = v
                                    } else {
                                        failures[chunk] = true
                                    }
                                }
                            }
                        }
                    }
                    if chunks == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: body) }
                    failed = failures.contains(true)
                }
            }
        }
        if failed { throw Accumulator.error(layer) }
        return y
    }

}
