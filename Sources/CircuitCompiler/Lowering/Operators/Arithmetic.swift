import ModelGraph
import Quantization

/// Add/Sub/Sum and Mul/Div by a constant: folded. Mul of two activations: `ProductGadget` lanes (two ports).
/// MatMul of two activations: rescale lanes reading C = A·B from the stream of its random-point check
/// (`MatMulCheck`, docs/protocol.md §20); `LinearSystem` emits its equations, since they need the plan's groups.
extension ArithmeticOp: CircuitLowering {
    func foldedShift(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) -> Int? {
        switch self {
        case .add, .sub, .sum: return 0
        case .div: return settings.parameterScale
        case .mul: return Self.hasConstant(node, graph) ? settings.parameterScale : nil
        case .matMul: return Self.hasConstant(node, graph) ? nil : settings.activationScale
        }
    }

    var circuitHint: String {
        "MatMul of a computed tensor by a constant on the left or a batched constant runs in `zkinfer run` (and --float); "
            + "the circuit proves MatMul of two computed tensors (a random-point check) and x·W with a 2-D constant W"
    }

    static func hasConstant(_ node: Node, _ graph: ModelGraph) -> Bool {
        node.inputs.contains { graph.values[$0].constant != nil }
    }

    func standaloneKind(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) throws -> LaneKind? {
        guard self == .mul, !Self.hasConstant(node, graph) else { return nil }
        return .product(ProductGadget(shift: settings.activationScale, activationBits: settings.activationBits))
    }

    func emitEquations(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]], layer: String,
                       _ emit: Equations.Emit) throws {
        let outputShape = graph.values[node.output].shape
        let count = outputShape.reduce(1, *)
        switch self {
        case .add, .sub, .sum:
            var columns: [(map: [Int], sign: Int64, elements: [ElementSource]?, constant: [Int64]?)] = []
            for (position, id) in node.inputs.enumerated() {
                let sign: Int64 = position > 0 && self == .sub ? -1 : 1
                if let constant = q.constantOperands[position] {
                    columns.append(([], sign, nil, constant))
                } else {
                    columns.append((Shape.broadcastIndices(from: graph.values[id].shape, to: outputShape), sign, elements[id], nil))
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
        case .matMul:
            throw CompilerError.unsupportedOperation(layer: layer, op: node.operation.name, hint: circuitHint)
        case .mul, .div:
            // By a constant (quantized at scale w, broadcast to the output shape): y_i = x_i·c_i.
            let position = graph.values[node.inputs[0]].constant == nil ? 0 : 1
            let id = node.inputs[position]
            let map = Shape.broadcastIndices(from: graph.values[id].shape, to: outputShape)
            let x = elements[id]
            for i in 0..<count { try emit(i, [(x[map[i]], q.weights[i])], 0) }
        }
    }

    func ports(_ node: Node, graph: ModelGraph) -> (_ index: Int, _ port: Int) -> (ValueID, Int) {
        let outputShape = graph.values[node.output].shape
        let maps = node.inputs.map { Shape.broadcastIndices(from: graph.values[$0].shape, to: outputShape) }
        return { index, port in (node.inputs[port], maps[port][index]) }
    }

    func foldEntries(_ node: Node, graph: ModelGraph, plan: CircuitPlan, group: Int) -> Int {
        let s = plan.settings.activationScale, w = plan.settings.parameterScale
        let outputShape = graph.values[node.output].shape
        let outputs = outputShape.reduce(1, *)
        switch self {
        case .add, .sub, .sum:
            var total = 0
            let maps = node.inputs.map { Shape.broadcastIndices(from: graph.values[$0].shape, to: outputShape) }
            for i in 0..<outputs {
                var weights: [Int: Int64] = [:]  // value id × source index → weight (x − x cancels)
                var constant = 0.0
                for (position, id) in node.inputs.enumerated() {
                    let sign: Int64 = position > 0 && self == .sub ? -1 : 1
                    if let tensor = graph.values[id].constant {
                        constant += Double(sign) * Double(FixedPoint.quantize(tensor.values[maps[position][i]], scale: s) ?? 1)
                    } else {
                        weights[id << 32 | maps[position][i], default: 0] += sign
                    }
                }
                total += weights.values.filter { $0 != 0 }.count + (constant != 0 ? 1 : 0)
            }
            return total + outputs
        case .matMul:
            // Each output: C (weight 1), the rounding offset, the received −1; each stream lane: its copy and −1.
            guard let geometry = try? MatMulGeometry(graph.values[node.inputs[0]].shape, graph.values[node.inputs[1]].shape) else { return 0 }
            let stream = geometry.aOffsets.count * (geometry.k * (geometry.m + geometry.n) + geometry.m * geometry.n)
            return 3 * outputs + 2 * stream
        case .mul where !Self.hasConstant(node, graph):
            return 2 * outputs * plan.groups[group].kind.gadget.receivedCount
        case .mul, .div:
            let position = graph.values[node.inputs[0]].constant == nil ? 1 : 0
            let constant = graph.values[node.inputs[position]].constant!
            let map = Shape.broadcastIndices(from: constant.shape, to: outputShape)
            let weights = (0..<outputs).reduce(0) { total, i in
                let v = constant.values[map[i]]
                return total + (FoldCount.nonZero(self == .div ? 1 / v : v, w) ? 1 : 0)
            }
            return weights + (w > 0 ? outputs : 0) + outputs
        }
    }
}
