import Dispatch
import ModelGraph
import Quantization

/// Accumulators of the linear family (spec §4): exact integer W·x + b. When the quantizer proved the
/// worst case below 2^61 the loops use plain wrapping 64-bit arithmetic; otherwise they accumulate in
/// 128 bits and reject any |y| ≥ 2^62.
enum LinearKernels {
    /// Work (multiply-adds) above which a layer is split across cores.
    static let parallelThreshold = 1 << 18

    /// y[r, n] = b[n] + Σ_k W[n, k]·x[r, k].
    static func linear(x: [Int64], weights: [Int64], bias: [Int64], outputs n: Int, inputs k: Int,
                       fitsStatically: Bool, weightsAsDouble: [Double], rowAbsSums: [Double],
                       layer: String) throws -> [Int64] {
        let rows = k == 0 ? 0 : x.count / k
        // Exact in Doubles when every partial sum is an integer below 2^52 (checked with this input's
        // largest |x|): then the vectorised dot product gives the same integers as 64-bit arithmetic.
        var xd = [Double](repeating: 0, count: x.count)
        var largest: UInt64 = 0
        xd.withUnsafeMutableBufferPointer { d in
            x.withUnsafeBufferPointer { s in
                for i in 0..<s.count {
                    d[i] = Double(s[i])
                    largest = max(largest, s[i].magnitude)
                }
            }
        }
        if !weightsAsDouble.isEmpty,
           (0..<n).allSatisfy({ rowAbsSums[$0] * Double(largest) + Double(bias[$0].magnitude) < 0x1p52 }) {
            var y = [Int64](repeating: 0, count: rows * n)
            weightsAsDouble.withUnsafeBufferPointer { wp in
                xd.withUnsafeBufferPointer { xp in
                    for r in 0..<rows {
                        for o in 0..<n {
                            y[r * n + o] = bias[o] + Int64(DotProduct.dot(wp.baseAddress! + o * k, xp.baseAddress! + r * k, count: k))
                        }
                    }
                }
            }
            return y
        }
        var y = [Int64](repeating: 0, count: rows * n)
        var failed = false
        x.withUnsafeBufferPointer { xp in
            weights.withUnsafeBufferPointer { wp in
                y.withUnsafeMutableBufferPointer { ypInout in
                    let yp = ypInout
                    let total = rows * n
                    let work = total * max(k, 1)
                    let chunks = work >= parallelThreshold ? min(total, 8) : 1
                    let failures = UnsafeMutableBufferPointer<Bool>.allocate(capacity: chunks)
                    failures.initialize(repeating: false)
                    defer { failures.deallocate() }
                    let body = { (chunk: Int) in
                        let start = total * chunk / chunks, end = total * (chunk + 1) / chunks
                        for index in start..<end {
                            let r = index / n, o = index % n
                            let xRow = r * k, wRow = o * k
                            if fitsStatically {
                                var acc = bias[o]
                                for i in 0..<k { acc = acc &+ wp[wRow + i] &* xp[xRow + i] }
                                yp[index] = acc
                            } else {
                                var wide = WideAccumulator(bias[o])
                                for i in 0..<k { wide.add(wp[wRow + i], xp[xRow + i]) }
                                if let v = wide.value { yp[index] = v } else { failures[chunk] = true }
                            }
                        }
                    }
                    if chunks == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: chunks, execute: body) }
                    failed = failures.contains(true)
                }
            }
        }
        if failed { throw accumulatorError(layer) }
        return y
    }

    static func conv(x: [Int64], inputShape: [Int], outputShape: [Int], conv: Convolution,
                     weights: [Int64], bias: [Int64], fitsStatically: Bool, layer: String) throws -> [Int64] {
        let window = Layout.Window(input: inputShape, output: outputShape, kernel: conv.kernel,
                                   strides: conv.strides, pads: conv.pads, dilations: conv.dilations)
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
                    let chunks = planes * plane * kernelSize >= parallelThreshold ? min(planes, 8) : 1
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
        if failed { throw accumulatorError(layer) }
        return y
    }

    /// Window sums of an AveragePool times the per-position multiplier Q_w(1/n).
    static func averagePool(x: [Int64], inputShape: [Int], outputShape: [Int], pool: Pooling,
                            multipliers: [Int64], layer: String) throws -> [Int64] {
        let window = Layout.Window(input: inputShape, output: outputShape, kernel: pool.kernel,
                                   strides: pool.strides, pads: pool.pads, dilations: [1, 1])
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
                    y[p * plane + oy * window.outW + ox] = try checkedProduct(sum, multipliers[oy * window.outW + ox], layer)
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
            y[p] = try checkedProduct(sum, multiplier, layer)
        }
        return y
    }

    /// a·b + c with the spec's accumulator bound; any overflow is out of range as well.
    @inline(__always)
    static func checkedProduct(_ a: Int64, _ b: Int64, _ layer: String, plus c: Int64 = 0) throws -> Int64 {
        let (p, o1) = a.multipliedReportingOverflow(by: b)
        let (v, o2) = p.addingReportingOverflow(c)
        guard !o1, !o2, v > -FixedPoint.accumulatorLimit, v < FixedPoint.accumulatorLimit else {
            throw accumulatorError(layer)
        }
        return v
    }

    static func accumulatorError(_ layer: String) -> QuantizationError {
        .outOfRange(layer: layer, what: "accumulator", value: "with |y| ≥ 2^62", bound: "(−2^62, 2^62)")
    }
}

/// A signed 128-bit running sum of 64×64-bit products, for layers whose worst case exceeds 2^61.
struct WideAccumulator {
    var high: Int64
    var low: UInt64

    init(_ start: Int64) {
        high = start < 0 ? -1 : 0
        low = UInt64(bitPattern: start)
    }

    @inline(__always)
    mutating func add(_ a: Int64, _ b: Int64) {
        let p = a.multipliedFullWidth(by: b)
        let (sum, carry) = low.addingReportingOverflow(p.low)
        low = sum
        high = high &+ p.high &+ (carry ? 1 : 0)
    }

    /// The sum when |sum| < 2^62, else nil.
    var value: Int64? {
        let v = Int64(bitPattern: low)
        let fits = (high == 0 && v >= 0) || (high == -1 && v < 0)
        guard fits, v > -FixedPoint.accumulatorLimit, v < FixedPoint.accumulatorLimit else { return nil }
        return v
    }
}
