import Dispatch
import ModelGraph
import Quantization

/// Gemm/MatMul (spec §4): exact integer W·x + b, then R_w. When the quantizer proved the worst case below 2^61
/// the loops use plain wrapping 64-bit arithmetic; otherwise they accumulate in 128 bits and reject |y| ≥ 2^62.
extension Linear: IntegerKernel {
    func run(_ c: inout KernelContext) throws -> [Int64] {
        let q = c.q
        return c.rescaled(try LinearKernels.linear(
            x: c.input(0), weights: q.weights, bias: q.bias, outputs: outputs, inputs: inputs,
            fitsStatically: q.accumulatorFitsStatically, weightsAsDouble: q.weightsAsDouble,
            rowAbsSums: q.rowAbsSums, layer: c.label))
    }
}

enum LinearKernels {
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
                    let chunks = work >= Accumulator.parallelThreshold ? min(total, 8) : 1
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
        if failed { throw Accumulator.error(layer) }
        return y
    }

}
