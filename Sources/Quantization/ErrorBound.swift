#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ModelGraph

/// The spec's predicted error (docs/fixed-point.md §9): for every element of every value, an upper bound
/// on |integer/2^s − real| given the real (float-path) values of this input. Propagated node by node from
/// the rounding of inputs, parameters, rescales and tables; rigorous, not a statistical estimate.
/// Per-element bounds matter: a ReLU whose real input is below −e outputs 0 on both paths, so its error
/// is exactly 0, which keeps deep networks' bounds from compounding.
public enum ErrorBound {
    /// Per-element bounds indexed by `ValueID` (empty for constants).
    public static func predict(_ model: QuantizedModel, floatValues: [Tensor]) -> [[Double]] {
        let graph = model.graph, settings = model.settings
        let s = settings.activationScale, w = settings.parameterScale
        let half = Double(sign: .plus, exponent: -(s + 1), significand: 1)
        let unitW = Double(sign: .plus, exponent: -w, significand: 1)
        let unitS = Double(sign: .plus, exponent: -s, significand: 1)
        var bound = [[Double]](repeating: [], count: graph.values.count)
        for id in graph.inputs { bound[id] = [Double](repeating: half, count: graph.values[id].elementCount) }

        for (index, node) in graph.nodes.enumerated() {
            let q = model.nodes[index]
            let outShape = graph.values[node.output].shape
            let count = outShape.reduce(1, *)
            let x = floatValues[node.inputs[0]].values
            let e = bound[node.inputs[0]]
            var result = [Double](repeating: 0, count: count)
            switch node.operation {
            case .linear(let linear):
                let k = linear.inputs, n = linear.outputs
                let deltaW = (0..<linear.weight.count).map { abs(Double(q.weights[$0]) * unitW - linear.weight.values[$0]) }
                for i in 0..<count {
                    let r = i / n, o = i % n
                    var total = half + abs(Double(q.bias[o]) * unitS * unitW - (linear.bias?.values[o] ?? 0))
                    for j in 0..<k {
                        total += abs(linear.weight.values[o * k + j]) * e[r * k + j] + deltaW[o * k + j] * (abs(x[r * k + j]) + e[r * k + j])
                    }
                    result[i] = total
                }
            case .conv(let conv):
                let inShape = graph.values[node.inputs[0]].shape
                let window = Layout.Window(input: inShape, output: outShape, kernel: conv.kernel, strides: conv.strides,
                                           pads: conv.pads, dilations: conv.dilations)
                let inC = inShape[1], outC = outShape[1], plane = window.outH * window.outW, inPlane = window.inH * window.inW
                for i in 0..<count {
                    let b = i / (outC * plane), m = (i / plane) % outC, oy = (i % plane) / window.outW, ox = i % window.outW
                    var total = half + abs(Double(q.bias[m]) * unitS * unitW - (conv.bias?.values[m] ?? 0))
                    for c in 0..<inC {
                        for ky in 0..<window.kH {
                            guard let iy = window.row(oy, ky) else { continue }
                            for kx in 0..<window.kW {
                                guard let ix = window.column(ox, kx) else { continue }
                                let wi = ((m * inC + c) * window.kH + ky) * window.kW + kx
                                let xi = (b * inC + c) * inPlane + iy * window.inW + ix
                                let weight = conv.weight.values[wi]
                                total += abs(weight) * e[xi] + abs(Double(q.weights[wi]) * unitW - weight) * (abs(x[xi]) + e[xi])
                            }
                        }
                    }
                    result[i] = total
                }
            case .channelAffine(let affine):
                let inShape = graph.values[node.inputs[0]].shape
                let inner = inShape.dropFirst(2).reduce(1, *), channels = inShape[1]
                for i in 0..<count {
                    let c = (i / inner) % channels, a = affine.scale.values[c]
                    result[i] = abs(a) * e[i] + abs(Double(q.weights[c]) * unitW - a) * (abs(x[i]) + e[i])
                        + abs(Double(q.bias[c]) * unitS * unitW - affine.shift.values[c]) + half
                }
            case .averagePool(let pool):
                let inShape = graph.values[node.inputs[0]].shape
                let window = Layout.Window(input: inShape, output: outShape, kernel: pool.kernel, strides: pool.strides,
                                           pads: pool.pads, dilations: [1, 1])
                let divisors = Layout.averageDivisors(window, countIncludePad: pool.countIncludePad)
                let plane = window.outH * window.outW, inPlane = window.inH * window.inW
                for i in 0..<count {
                    let p = i / plane, position = i % plane, oy = position / window.outW, ox = position % window.outW
                    let multiplier = Double(q.weights[position]) * unitW, exact = 1 / Double(divisors[position])
                    var total = half
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
            case .globalAveragePool:
                let inner = graph.values[node.inputs[0]].shape.dropFirst(2).reduce(1, *)
                let multiplier = Double(q.weights[0]) * unitW, exact = 1 / Double(inner)
                for i in 0..<count {
                    var total = half
                    for j in i * inner..<(i + 1) * inner { total += multiplier * e[j] + abs(multiplier - exact) * abs(x[j]) }
                    result[i] = total
                }
            case .maxPool(let pool):
                let inShape = graph.values[node.inputs[0]].shape
                let window = Layout.Window(input: inShape, output: outShape, kernel: pool.kernel, strides: pool.strides,
                                           pads: pool.pads, dilations: [1, 1])
                let plane = window.outH * window.outW, inPlane = window.inH * window.inW
                for i in 0..<count {
                    let p = i / plane, oy = (i % plane) / window.outW, ox = i % window.outW
                    var worst = 0.0
                    for ky in 0..<window.kH {
                        guard let iy = window.row(oy, ky) else { continue }
                        for kx in 0..<window.kW {
                            guard let ix = window.column(ox, kx) else { continue }
                            worst = max(worst, e[p * inPlane + iy * window.inW + ix])
                        }
                    }
                    result[i] = worst
                }
            case .add, .sub, .sum:
                for (position, input) in node.inputs.enumerated() {
                    let map = Shape.broadcastIndices(from: graph.values[input].shape, to: outShape)
                    if let constant = graph.values[input].constant, let quantized = q.constantOperands[position] {
                        for i in 0..<count { result[i] += abs(Double(quantized[i]) * unitS - constant.values[map[i]]) }
                    } else {
                        for i in 0..<count { result[i] += bound[input][map[i]] }
                    }
                }
            case .mul, .div:
                if q.weights.isEmpty {
                    let mapA = Shape.broadcastIndices(from: graph.values[node.inputs[0]].shape, to: outShape)
                    let mapB = Shape.broadcastIndices(from: graph.values[node.inputs[1]].shape, to: outShape)
                    let b = floatValues[node.inputs[1]].values, eb = bound[node.inputs[1]]
                    for i in 0..<count {
                        let (ea, eb) = (e[mapA[i]], eb[mapB[i]])
                        result[i] = abs(x[mapA[i]]) * eb + abs(b[mapB[i]]) * ea + ea * eb + half
                    }
                } else {
                    let position = graph.values[node.inputs[0]].constant == nil ? 0 : 1
                    let input = node.inputs[position], constantID = node.inputs[1 - position]
                    let constant = graph.values[constantID].constant!
                    let mapC = Shape.broadcastIndices(from: constant.shape, to: outShape)
                    let mapX = Shape.broadcastIndices(from: graph.values[input].shape, to: outShape)
                    let xv = floatValues[input].values, ex = bound[input]
                    for i in 0..<count {
                        let exact = node.operation == .div ? 1 / constant.values[mapC[i]] : constant.values[mapC[i]]
                        let approx = Double(q.weights[i]) * unitW
                        result[i] = abs(approx) * ex[mapX[i]] + abs(approx - exact) * abs(xv[mapX[i]]) + half
                    }
                }
            case .relu:
                // Real input below −e: both paths output exactly 0.
                for i in 0..<count { result[i] = x[i] < -e[i] ? 0 : e[i] }
            case .reshape:
                result = e
            case .transpose(let perm):
                result = Layout.transposeSource(shape: graph.values[node.inputs[0]].shape, perm: perm).map { e[$0] }
            case .concat(let axis):
                result = []
                for run in Layout.concatRuns(shapes: node.inputs.map { graph.values[$0].shape }, axis: axis) {
                    let input = node.inputs[run.input]
                    if let constant = graph.values[input].constant, let quantized = q.constantOperands[run.input] {
                        // A constant operand's only error is its own rounding Q_s(c).
                        for i in run.start..<run.start + run.length {
                            result.append(abs(Double(quantized[i]) * unitS - constant.values[i]))
                        }
                    } else {
                        result.append(contentsOf: bound[input][run.start..<run.start + run.length])
                    }
                }
            case .leakyRelu(let alpha):
                let approx = Double(q.weights[0]) * unitW
                for i in 0..<count {
                    result[i] = x[i] > e[i] ? e[i] : max(1, abs(approx)) * e[i] + abs(approx - alpha) * (abs(x[i]) + e[i]) + half
                }
            case .clip(let lower, let upper):
                let dl = lower.map { abs(Double(q.lower!) * unitS - $0) } ?? 0
                let du = upper.map { abs(Double(q.upper!) * unitS - $0) } ?? 0
                for i in 0..<count { result[i] = max(e[i], dl, du) }
            case .sigmoid, .tanh:
                // Interpolated table (spec §6): L·e (input error) + h²/8·|f''| (interpolation) + 2^−s (table entries
                // and the interpolation's rounding), plus the clamp tail where the input may leave the grid.
                let table = q.table!
                let tableStep = Double(sign: .plus, exponent: -table.inputScale, significand: 1)
                let lowEdge = Double(table.minIndex) * tableStep, highEdge = Double(table.maxIndex + 1) * tableStep
                let tails = table.clampTails
                let inside = tableStep * tableStep / 8 * table.curvature + unitS
                for i in 0..<count {
                    var tail = 0.0
                    if x[i] - e[i] < lowEdge { tail = max(tail, tails.low) }
                    if x[i] + e[i] >= highEdge { tail = max(tail, tails.high) }
                    result[i] = table.lipschitz * e[i] + inside + tail
                }
            case .softmax:
                // ½-Lipschitz in the inputs; each exponent within δ of exp(d) (interpolation, entries, rounding and
                // the clamp below the grid); the division by S ≥ 1 spreads those over n + 1 terms; final rounding.
                let n = outShape.last!
                let table = q.table!
                let tableStep = Double(sign: .plus, exponent: -table.inputScale, significand: 1)
                let delta = tableStep * tableStep / 8 * table.curvature + unitS + table.clampTails.low
                for row in 0..<(count / n) {
                    let worst = e[row * n..<(row + 1) * n].max() ?? 0
                    let rowBound = worst / 2 + Double(n + 1) * delta + half
                    for j in 0..<n { result[row * n + j] = rowBound }
                }
            }
            bound[node.output] = result
        }
        return bound
    }
}
