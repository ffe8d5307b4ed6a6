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
        case .transposed(let conv):
            return c.rescaled(try ConvolutionKernels.transposed(
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
        let cg = conv.groupChannels, perGroup = outC / conv.group
        let kernelSize = cg * window.kH * window.kW
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
                            let b = bm / outC, m = bm % outC, first = (m / perGroup) * cg
                            for oy in 0..<window.outH {
                                for ox in 0..<window.outW {
                                    var acc = bias[m]
                                    var wide = WideAccumulator(bias[m])
                                    for cl in 0..<cg {
                                        let xBase = (b * inC + first + cl) * inPlane
                                        let wBase = (m * cg + cl) * window.kH * window.kW
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


    /// ConvTranspose in gather form (each output sums the taps that land on it), exact like `conv`.
    static func transposed(x: [Int64], inputShape: [Int], outputShape: [Int], conv: ConvTranspose,
                           weights: [Int64], bias: [Int64], fitsStatically: Bool, layer: String) throws -> [Int64] {
        let window = conv.window(input: inputShape, output: outputShape), g = window.base
        let batch = inputShape[0], inC = inputShape[1], outC = outputShape[1]
        let plane = g.outH * g.outW, inPlane = g.inH * g.inW
        let cg = inC / conv.group, mg = conv.groupOutputs
        var y = [Int64](repeating: 0, count: outputShape.reduce(1, *))
        var failed = false
        x.withUnsafeBufferPointer { xp in
            weights.withUnsafeBufferPointer { wp in
                y.withUnsafeMutableBufferPointer { yp in
                    for bm in 0..<(batch * outC) {
                        let b = bm / outC, m = bm % outC, group = m / mg, ml = m % mg
                        for oy in 0..<g.outH {
                            for ox in 0..<g.outW {
                                var acc = bias[m]
                                var wide = WideAccumulator(bias[m])
                                for ch in group * cg..<(group + 1) * cg {
                                    let xBase = (b * inC + ch) * inPlane, wBase = (ch * mg + ml) * g.kH * g.kW
                                    for ky in 0..<g.kH {
                                        guard let iy = window.row(oy, ky) else { continue }
                                        for kx in 0..<g.kW {
                                            guard let ix = window.column(ox, kx) else { continue }
                                            let wv = wp[wBase + ky * g.kW + kx], xv = xp[xBase + iy * g.inW + ix]
                                            if fitsStatically { acc = acc &+ wv &* xv } else { wide.add(wv, xv) }
                                        }
                                    }
                                }
                                let index = bm * plane + oy * g.outW + ox
                                if fitsStatically {
                                    yp[index] = acc
                                } else if let v = wide.value {
                                    yp[index] = v
                                } else {
                                    failed = true
                                }
                            }
                        }
                    }
                }
            }
        }
        if failed { throw Accumulator.error(layer) }
        return y
    }
}
