import ModelGraph

/// Add/Sub/Sum: exact sums at scale s, constants Q_s(c). Mul/Div by a constant: R_w(x·Q_w(c)) (Div uses
/// Q_w(1/c)); Mul of two activations: R_s(a·b) (docs/fixed-point.md §5).
extension ArithmeticOp: IntegerStage {
    func quantize(_ c: QuantizationContext) throws -> QuantizedNode {
        var q = QuantizedNode()
        let inputs = c.node.inputs
        switch self {
        case .add, .sub, .sum:
            q.constantOperands = try inputs.map { try c.constantOperand($0, scale: c.s) }
        case .mul:
            let constants = try inputs.map { try c.constantOperand($0, scale: c.w) }
            if let index = constants.firstIndex(where: { $0 != nil }) {
                if constants.allSatisfy({ $0 != nil }) {
                    throw QuantizationError.invalidSettings("node \(c.node.label) multiplies two constants; fold it before quantizing")
                }
                q.weights = constants[index]!
                q.shift = c.w
            } else {
                q.shift = c.s  // activation × activation: product at scale 2s
            }
        case .matMul:
            // Both operands at scale s (a constant one quantized so), products at 2s, one rescale R_s.
            q.constantOperands = try inputs.map { id in try c.graph.values[id].constant.map { try c.quantizeAll($0.values, scale: c.s, "constant") } }
            q.shift = c.s
        case .div:
            q.weights = try c.constantOperand(inputs[1], scale: c.w, transform: { 1 / $0 }) ?? []
            q.shift = c.w
        }
        return q
    }

    func errorBound(_ c: BoundContext) -> [Double] {
        let graph = c.graph, node = c.node, q = c.q, outShape = c.outputShape, count = c.count
        var result = [Double](repeating: 0, count: count)
        switch self {
        case .add, .sub, .sum:
            // Sums add the operands' bounds; a constant contributes its own rounding.
            for (position, input) in node.inputs.enumerated() {
                let map = Shape.broadcastIndices(from: graph.values[input].shape, to: outShape)
                if let constant = graph.values[input].constant, let quantized = q.constantOperands[position] {
                    for i in 0..<count { result[i] += abs(Double(quantized[i]) * c.unitS - constant.values[map[i]]) }
                } else {
                    for i in 0..<count { result[i] += c.bounds[input][map[i]] }
                }
            }
        case .matMul:
            // Σ_t |a|·e_b + |b|·e_a + e_a·e_b over the row and column, then the rescale's rounding.
            let geometry = try? MatMulGeometry(graph.values[node.inputs[0]].shape, graph.values[node.inputs[1]].shape)
            guard let geometry else { return result }
            var operands: [(values: [Double], errors: [Double])] = []
            for (position, id) in node.inputs.enumerated() {
                let real = c.floatValues[id].values
                if let quantized = q.constantOperands[position] {
                    operands.append((real, (0..<real.count).map { abs(Double(quantized[$0]) * c.unitS - real[$0]) }))
                } else {
                    operands.append((real, c.bounds[id]))
                }
            }
            let (a, ea) = operands[0], (b, eb) = operands[1]
            let (m, k, n) = (geometry.m, geometry.k, geometry.n)
            for (batch, (ao, bo)) in zip(geometry.aOffsets, geometry.bOffsets).enumerated() {
                for i in 0..<m {
                    for j in 0..<n {
                        var total = c.half
                        for t in 0..<k {
                            let x = ao + i * k + t, y = bo + t * n + j
                            total += abs(a[x]) * eb[y] + abs(b[y]) * ea[x] + ea[x] * eb[y]
                        }
                        result[(batch * m + i) * n + j] = total
                    }
                }
            }
        case .mul, .div:
            if q.weights.isEmpty {
                let mapA = Shape.broadcastIndices(from: graph.values[node.inputs[0]].shape, to: outShape)
                let mapB = Shape.broadcastIndices(from: graph.values[node.inputs[1]].shape, to: outShape)
                let x = c.x, e = c.e, b = c.floatValues[node.inputs[1]].values, eb = c.bounds[node.inputs[1]]
                for i in 0..<count {
                    let (ea, ebi) = (e[mapA[i]], eb[mapB[i]])
                    result[i] = abs(x[mapA[i]]) * ebi + abs(b[mapB[i]]) * ea + ea * ebi + c.half
                }
            } else {
                let position = graph.values[node.inputs[0]].constant == nil ? 0 : 1
                let input = node.inputs[position], constantID = node.inputs[1 - position]
                let constant = graph.values[constantID].constant!
                let mapC = Shape.broadcastIndices(from: constant.shape, to: outShape)
                let mapX = Shape.broadcastIndices(from: graph.values[input].shape, to: outShape)
                let xv = c.floatValues[input].values, ex = c.bounds[input]
                for i in 0..<count {
                    let exact = self == .div ? 1 / constant.values[mapC[i]] : constant.values[mapC[i]]
                    let approx = Double(q.weights[i]) * c.unitW
                    result[i] = abs(approx) * ex[mapX[i]] + abs(approx - exact) * abs(xv[mapX[i]]) + c.half
                }
            }
        }
        return result
    }
}
