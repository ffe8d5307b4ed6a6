import ModelGraph
import Quantization

/// The equations each folded operation contributes (docs/fixed-point.md §4–§5): for output element i,
/// `Σ weight·element + constant` equals the accumulator y_i the receiving lane rescales.
enum Equations {
    typealias Emit = (_ index: Int, _ terms: [(ElementSource, Int64)], _ constant: Int64) throws -> Void

    static func emit(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]],
                     layer: String, _ emit: Emit) throws {
        let input = { (position: Int) -> [ElementSource] in elements[node.inputs[position]] }
        let inputShape = graph.values[node.inputs[0]].shape
        let outputShape = graph.values[node.output].shape
        switch node.operation {
        case .linear(let linear):
            try LinearEquations.linear(x: input(0), weights: q.weights, bias: q.bias, outputs: linear.outputs,
                                       inputs: linear.inputs, emit)
        case .conv(let conv):
            try LinearEquations.conv(x: input(0), inputShape: inputShape, outputShape: outputShape, conv: conv,
                                     weights: q.weights, bias: q.bias, emit)
        case .channelAffine:
            let x = input(0)
            let inner = inputShape.dropFirst(2).reduce(1, *), channels = inputShape[1]
            for i in 0..<x.count {
                let c = (i / inner) % channels
                try emit(i, [(x[i], q.weights[c])], q.bias[c])
            }
        case .averagePool(let pool):
            try LinearEquations.averagePool(x: input(0), inputShape: inputShape, outputShape: outputShape, pool: pool,
                                            multipliers: q.weights, emit)
        case .globalAveragePool:
            let x = input(0)
            let inner = inputShape.dropFirst(2).reduce(1, *)
            for p in 0..<(inputShape[0] * inputShape[1]) {
                try emit(p, (0..<inner).map { (x[p * inner + $0], q.weights[0]) }, 0)
            }
        case .add, .sub, .sum:
            let count = outputShape.reduce(1, *)
            var columns: [(map: [Int], sign: Int64, elements: [ElementSource]?, constant: [Int64]?)] = []
            for (position, id) in node.inputs.enumerated() {
                let sign: Int64 = position > 0 && node.operation == .sub ? -1 : 1
                if let constant = q.constantOperands[position] {
                    columns.append(([], sign, nil, constant))
                } else {
                    columns.append((Shape.broadcastIndices(from: graph.values[id].shape, to: outputShape), sign,
                                    elements[id], nil))
                }
            }
            for i in 0..<count {
                var terms: [(ElementSource, Int64)] = []
                var constant: Int64 = 0
                for c in columns {
                    if let values = c.constant {
                        constant += c.sign * values[i]
                    } else if let e = c.elements {
                        terms.append((e[c.map[i]], c.sign))
                    }
                }
                try emit(i, terms, constant)
            }
        case .mul, .div:
            // By a constant (quantized at scale w, broadcast to the output shape): y_i = x_i·c_i.
            let count = outputShape.reduce(1, *)
            let position = graph.values[node.inputs[0]].constant == nil ? 0 : 1
            let id = node.inputs[position]
            let map = Shape.broadcastIndices(from: graph.values[id].shape, to: outputShape)
            let x = elements[id]
            for i in 0..<count { try emit(i, [(x[map[i]], q.weights[i])], 0) }
        case .relu:
            // A standalone Relu lane receives its input unchanged.
            let x = input(0)
            for i in 0..<x.count { try emit(i, [(x[i], 1)], 0) }
        default:
            throw CompilerError.unsupportedOperation(layer: layer, op: node.operation.name, hint: "")
        }
    }
}

/// Weights of the linear family, laid out exactly as `DirectInference`'s kernels read them.
enum LinearEquations {
    static func linear(x: [ElementSource], weights: [Int64], bias: [Int64], outputs n: Int, inputs k: Int,
                       _ emit: Equations.Emit) throws {
        let rows = k == 0 ? 0 : x.count / k
        for r in 0..<rows {
            for o in 0..<n {
                var terms: [(ElementSource, Int64)] = []
                terms.reserveCapacity(k)
                for i in 0..<k where weights[o * k + i] != 0 { terms.append((x[r * k + i], weights[o * k + i])) }
                try emit(r * n + o, terms, bias[o])
            }
        }
    }

    static func conv(x: [ElementSource], inputShape: [Int], outputShape: [Int], conv: Convolution, weights: [Int64],
                     bias: [Int64], _ emit: Equations.Emit) throws {
        let window = Layout.Window(input: inputShape, output: outputShape, kernel: conv.kernel, strides: conv.strides,
                                   pads: conv.pads, dilations: conv.dilations)
        let batch = inputShape[0], inC = inputShape[1], outC = outputShape[1]
        let plane = window.outH * window.outW, inPlane = window.inH * window.inW
        for b in 0..<batch {
            for m in 0..<outC {
                for oy in 0..<window.outH {
                    for ox in 0..<window.outW {
                        var terms: [(ElementSource, Int64)] = []
                        for c in 0..<inC {
                            let xBase = (b * inC + c) * inPlane
                            let wBase = (m * inC + c) * window.kH * window.kW
                            for ky in 0..<window.kH {
                                guard let iy = window.row(oy, ky) else { continue }
                                for kx in 0..<window.kW {
                                    guard let ix = window.column(ox, kx) else { continue }
                                    let w = weights[wBase + ky * window.kW + kx]
                                    if w != 0 { terms.append((x[xBase + iy * window.inW + ix], w)) }
                                }
                            }
                        }
                        try emit((b * outC + m) * plane + oy * window.outW + ox, terms, bias[m])
                    }
                }
            }
        }
    }

    static func averagePool(x: [ElementSource], inputShape: [Int], outputShape: [Int], pool: Pooling,
                            multipliers: [Int64], _ emit: Equations.Emit) throws {
        let window = Layout.Window(input: inputShape, output: outputShape, kernel: pool.kernel, strides: pool.strides,
                                   pads: pool.pads, dilations: [1, 1])
        let planes = inputShape[0] * inputShape[1]
        let plane = window.outH * window.outW, inPlane = window.inH * window.inW
        for p in 0..<planes {
            for oy in 0..<window.outH {
                for ox in 0..<window.outW {
                    let multiplier = multipliers[oy * window.outW + ox]
                    var terms: [(ElementSource, Int64)] = []
                    for ky in 0..<window.kH {
                        guard let iy = window.row(oy, ky) else { continue }
                        for kx in 0..<window.kW {
                            guard let ix = window.column(ox, kx) else { continue }
                            terms.append((x[p * inPlane + iy * window.inW + ix], multiplier))
                        }
                    }
                    try emit(p * plane + oy * window.outW + ox, terms, 0)
                }
            }
        }
    }
}
