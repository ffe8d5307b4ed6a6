#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real-valued meaning of every operation, in Double. It is the float reference path of
/// `zkinfer run --float`, what the importer folds constant subgraphs with, and what calibration and
/// the error report compare the fixed-point path against.
public enum FloatEvaluator {
    /// Runs the whole graph; returns every value (constants included) indexed by `ValueID`.
    public static func run(_ graph: ModelGraph, inputs: [Tensor]) throws -> [Tensor] {
        guard inputs.count == graph.inputs.count else {
            throw ModelGraphError.invalidGraph("expected \(graph.inputs.count) inputs, got \(inputs.count)")
        }
        var values = graph.values.map { $0.constant ?? Tensor(scalar: 0) }
        for (id, tensor) in zip(graph.inputs, inputs) {
            guard tensor.shape == graph.values[id].shape else {
                throw ModelGraphError.shapeMismatch(
                    "input '\(graph.values[id].name)' has shape \(Shape.describe(tensor.shape)), expected \(Shape.describe(graph.values[id].shape))")
            }
            values[id] = tensor
        }
        for node in graph.nodes {
            let output = try evaluate(node.operation, inputs: node.inputs.map { values[$0] },
                                      outputShape: graph.values[node.output].shape)
            values[node.output] = try Tensor(shape: graph.values[node.output].shape, values: output)
        }
        return values
    }

    /// One operation on explicit inputs whose shapes were checked by shape inference.
    public static func evaluate(_ operation: LayerOperation, inputs: [Tensor], outputShape: [Int]) throws -> [Double] {
        let count = outputShape.reduce(1, *)
        switch operation {
        case .linear(let linear):
            let x = inputs[0].values
            let n = linear.outputs, k = linear.inputs
            let rows = x.count / max(k, 1)
            var y = [Double](repeating: 0, count: rows * n)
            let w = linear.weight.values
            w.withUnsafeBufferPointer { wp in
                x.withUnsafeBufferPointer { xp in
                    for r in 0..<rows {
                        for o in 0..<n {
                            let dot = k == 0 ? 0 : DotProduct.dot(wp.baseAddress! + o * k, xp.baseAddress! + r * k, count: k)
                            y[r * n + o] = (linear.bias?.values[o] ?? 0) + dot
                        }
                    }
                }
            }
            return y
        case .conv(let conv):
            return convolution(conv, input: inputs[0], outputShape: outputShape)
        case .channelAffine(let affine):
            let x = inputs[0]
            let inner = x.shape.dropFirst(2).reduce(1, *)
            let channels = x.shape[1]
            return x.values.indices.map { i in
                let c = (i / inner) % channels
                return x.values[i] * affine.scale.values[c] + affine.shift.values[c]
            }
        case .averagePool(let pool):
            return pooling(pool, input: inputs[0], outputShape: outputShape, average: true)
        case .maxPool(let pool):
            return pooling(pool, input: inputs[0], outputShape: outputShape, average: false)
        case .globalAveragePool:
            let x = inputs[0]
            let inner = x.shape.dropFirst(2).reduce(1, *)
            return (0..<count).map { c in x.values[c * inner..<(c + 1) * inner].reduce(0, +) / Double(inner) }
        case .add: return try broadcastBinary(inputs, outputShape, +)
        case .sub: return try broadcastBinary(inputs, outputShape, -)
        case .mul: return try broadcastBinary(inputs, outputShape, *)
        case .div: return try broadcastBinary(inputs, outputShape, /)
        case .sum:
            var result = [Double](repeating: 0, count: count)
            for input in inputs {
                let map = Shape.broadcastIndices(from: input.shape, to: outputShape)
                for i in 0..<count { result[i] += input.values[map[i]] }
            }
            return result
        case .relu: return inputs[0].values.map { max($0, 0) }
        case .leakyRelu(let alpha): return inputs[0].values.map { $0 >= 0 ? $0 : $0 * alpha }
        case .clip(let lower, let upper):
            return inputs[0].values.map { v in
                var r = v
                if let lower { r = max(r, lower) }
                if let upper { r = min(r, upper) }
                return r
            }
        case .sigmoid: return inputs[0].values.map { 1 / (1 + libm.exp(-$0)) }
        case .tanh: return inputs[0].values.map { libm.tanh($0) }
        case .softmax:
            let x = inputs[0].values
            let n = outputShape.last!
            var y = [Double](repeating: 0, count: x.count)
            for row in 0..<(x.count / n) {
                let slice = x[row * n..<(row + 1) * n]
                let m = slice.max()!
                var total = 0.0
                for j in 0..<n { y[row * n + j] = libm.exp(x[row * n + j] - m); total += y[row * n + j] }
                for j in 0..<n { y[row * n + j] /= total }
            }
            return y
        case .reshape:
            return inputs[0].values
        case .transpose(let perm):
            let source = Layout.transposeSource(shape: inputs[0].shape, perm: perm)
            return source.map { inputs[0].values[$0] }
        case .concat(let axis):
            var result: [Double] = []
            result.reserveCapacity(count)
            for run in Layout.concatRuns(shapes: inputs.map(\.shape), axis: axis) {
                result.append(contentsOf: inputs[run.input].values[run.start..<run.start + run.length])
            }
            return result
        }
    }

    static func broadcastBinary(_ inputs: [Tensor], _ shape: [Int], _ op: (Double, Double) -> Double) throws -> [Double] {
        let a = Shape.broadcastIndices(from: inputs[0].shape, to: shape)
        let b = Shape.broadcastIndices(from: inputs[1].shape, to: shape)
        return (0..<a.count).map { op(inputs[0].values[a[$0]], inputs[1].values[b[$0]]) }
    }

    static func convolution(_ conv: Convolution, input: Tensor, outputShape: [Int]) -> [Double] {
        let window = Layout.Window(input: input.shape, output: outputShape, kernel: conv.kernel,
                                   strides: conv.strides, pads: conv.pads, dilations: conv.dilations)
        let batch = input.shape[0], inC = input.shape[1], outC = outputShape[1]
        let x = input.values, w = conv.weight.values
        var y = [Double](repeating: 0, count: outputShape.reduce(1, *))
        let plane = window.outH * window.outW, inPlane = window.inH * window.inW
        for b in 0..<batch {
            for m in 0..<outC {
                for oy in 0..<window.outH {
                    for ox in 0..<window.outW {
                        var acc = conv.bias?.values[m] ?? 0
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

    static func pooling(_ pool: Pooling, input: Tensor, outputShape: [Int], average: Bool) -> [Double] {
        let window = Layout.Window(input: input.shape, output: outputShape, kernel: pool.kernel,
                                   strides: pool.strides, pads: pool.pads, dilations: [1, 1])
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
                            acc = average ? acc + v : max(acc, v)
                        }
                    }
                    y[p * plane + oy * window.outW + ox] = average ? acc / Double(divisors[oy * window.outW + ox]) : acc
                }
            }
        }
        return y
    }
}

/// The C library's functions under one name, so that enum cases such as `.exp` and `.tanh` cannot shadow them.
private enum libm {
    static func exp(_ x: Double) -> Double { _libmExp(x) }
    static func tanh(_ x: Double) -> Double { _libmTanh(x) }
}

private func _libmExp(_ x: Double) -> Double { exp(x) }
private func _libmTanh(_ x: Double) -> Double { tanh(x) }
