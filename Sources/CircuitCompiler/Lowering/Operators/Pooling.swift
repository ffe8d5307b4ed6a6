import ModelGraph
import Quantization

/// AveragePool and GlobalAveragePool: folded (multipliers Q_w(1/n)). MaxPool: `MaxPoolGadget` lanes, one port
/// per window position. ReduceMax/ReduceMin: the same lanes (`minimum` for ReduceMin), one per output, one port per
/// member of its reduced group (at most `maxReduceGroup`).
extension PoolingOp: CircuitLowering {
    func foldedShift(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) -> Int? {
        switch self {
        case .average, .globalAverage: return settings.parameterScale
        case .max, .globalMax, .reduceExtremum, .maxIndex: return nil
        case .reduce(let r): return r.mean ? settings.parameterScale : 0
        }
    }

    func standaloneKind(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) throws -> LaneKind? {
        switch self {
        case .max(let pool):
            return .maxPool(MaxPoolGadget(window: pool.kernel.reduce(1, *), activationBits: settings.activationBits))
        case .globalMax:
            // One MaxPool lane per channel; its gate grows with the plane, so large planes are refused (`circuitHint`).
            let inner = graph.values[node.inputs[0]].shape.dropFirst(2).reduce(1, *)
            guard inner <= Self.maxGlobalWindow else { return nil }
            return .maxPool(MaxPoolGadget(window: inner, activationBits: settings.activationBits))
        case .reduceExtremum(let r, let maximum):
            let group = r.count(graph.values[node.inputs[0]].shape)
            guard group >= 1, group <= Self.maxReduceGroup else { return nil }
            return .maxPool(MaxPoolGadget(window: group, activationBits: settings.activationBits, minimum: !maximum))
        case .average, .globalAverage, .reduce, .maxIndex:
            return nil
        }
    }

    func emitEquations(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]], layer: String,
                       _ emit: Equations.Emit) throws {
        let x = elements[node.inputs[0]]
        let inputShape = graph.values[node.inputs[0]].shape, outputShape = graph.values[node.output].shape
        switch self {
        case .average(let pool):
            let window = pool.window(input: inputShape, output: outputShape)
            let planes = inputShape[0] * inputShape[1]
            let plane = window.outH * window.outW, inPlane = window.inH * window.inW
            for p in 0..<planes {
                for oy in 0..<window.outH {
                    for ox in 0..<window.outW {
                        let multiplier = q.weights[oy * window.outW + ox]
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
        case .globalAverage:
            let inner = inputShape.dropFirst(2).reduce(1, *)
            for p in 0..<(inputShape[0] * inputShape[1]) {
                try emit(p, (0..<inner).map { (x[p * inner + $0], q.weights[0]) }, 0)
            }
        case .reduce(let r):
            var terms = [[(ElementSource, Int64)]](repeating: [], count: graph.values[node.output].elementCount)
            let weight = r.mean ? q.weights[0] : 1
            if weight != 0 { for (i, o) in r.outputIndex(inputShape).enumerated() { terms[o].append((x[i], weight)) } }
            for (o, t) in terms.enumerated() { try emit(o, t, 0) }
        case .max, .globalMax, .reduceExtremum, .maxIndex:
            throw CompilerError.unsupportedOperation(layer: layer, op: node.operation.name, hint: "MaxPool is not folded")
        }
    }

    /// Largest plane a GlobalMaxPool is proved over in one lane (ONNX import's `PoolingImport.globalMaxLane`).
    static let maxGlobalWindow = 9
    /// Largest group a ReduceMax/ReduceMin is proved over in one lane (4 limbs and a bit per member). ONNX import
    /// cuts larger groups into a tree of reductions of at most this many (`ExtremumTree`, the same limit).
    static let maxReduceGroup = 16

    var circuitHint: String {
        if case .reduceExtremum(_, let maximum) = self {
            return "\(maximum ? "ReduceMax" : "ReduceMin") over more than \(Self.maxReduceGroup) elements per output runs in `zkinfer run`; ONNX import cuts such groups into a tree of reductions of at most \(Self.maxReduceGroup), so this graph was not built by it; to prove it, reduce in steps of at most \(Self.maxReduceGroup)"
        }
        if case .maxIndex = self {
            return "MaxPool's Indices output has no circuit gadget: it runs in `zkinfer run` (and --float); proving it is not supported yet"
        }
        return "GlobalMaxPool over more than \(Self.maxGlobalWindow) positions runs in `zkinfer run`; ONNX import turns larger planes into a tree of ReduceMax reductions, so this graph was not built by it; to prove it, reduce the plane with MaxPool first"
    }

    func ports(_ node: Node, graph: ModelGraph) -> (_ index: Int, _ port: Int) -> (ValueID, Int) {
        let input = node.inputs[0]
        if self == .globalMax {
            let inner = graph.values[input].shape.dropFirst(2).reduce(1, *)
            return { index, port in (input, index * inner + port) }
        }
        if case .reduceExtremum(let r, _) = self {
            // Each output's group: the input positions mapping to it, in input order.
            var members = [[Int]](repeating: [], count: graph.values[node.output].elementCount)
            for (i, o) in r.outputIndex(graph.values[input].shape).enumerated() { members[o].append(i) }
            return { index, port in (input, members[index][port]) }
        }
        guard case .max(let pool) = self else { return { index, _ in (input, index) } }
        let windows = Self.maxPoolWindows(inputShape: graph.values[input].shape,
                                          outputShape: graph.values[node.output].shape, pool: pool)
        return { index, port in (input, windows[index][port]) }
    }

    /// The input positions of every MaxPool window, K = kH·kW each: positions inside the input in window order,
    /// then the first of them repeated for positions in the padding (which never win; a repeated element
    /// changes no maximum).
    static func maxPoolWindows(inputShape: [Int], outputShape: [Int], pool: Pooling) -> [[Int]] {
        let window = pool.window(input: inputShape, output: outputShape)
        let planes = inputShape[0] * inputShape[1]
        let inPlane = window.inH * window.inW
        let k = window.kH * window.kW
        var result: [[Int]] = []
        result.reserveCapacity(planes * window.outH * window.outW)
        for p in 0..<planes {
            for oy in 0..<window.outH {
                for ox in 0..<window.outW {
                    var positions: [Int] = []
                    for ky in 0..<window.kH {
                        guard let iy = window.row(oy, ky) else { continue }
                        for kx in 0..<window.kW {
                            guard let ix = window.column(ox, kx) else { continue }
                            positions.append(p * inPlane + iy * window.inW + ix)
                        }
                    }
                    // Every window holds at least one input position (pads < kernel, spec §5).
                    positions += [Int](repeating: positions[0], count: k - positions.count)
                    result.append(positions)
                }
            }
        }
        return result
    }

    func foldEntries(_ node: Node, graph: ModelGraph, plan: CircuitPlan, group: Int) -> Int {
        let w = plan.settings.parameterScale
        let inputShape = graph.values[node.inputs[0]].shape, outputShape = graph.values[node.output].shape
        let outputs = outputShape.reduce(1, *)
        switch self {
        case .average(let pool):
            let window = pool.window(input: inputShape, output: outputShape)
            let divisors = Layout.averageDivisors(window, countIncludePad: pool.countIncludePad)
            var perPlane = 0
            for oy in 0..<window.outH {
                for ox in 0..<window.outW where FoldCount.nonZero(1 / Double(divisors[oy * window.outW + ox]), w) {
                    perPlane += window.validCount(oy, ox)
                }
            }
            return inputShape[0] * inputShape[1] * perPlane + (w > 0 ? outputs : 0) + outputs
        case .globalAverage:
            let inner = inputShape.dropFirst(2).reduce(1, *)
            return (FoldCount.nonZero(1 / Double(inner), w) ? graph.values[node.inputs[0]].elementCount : 0)
                + (w > 0 ? outputs : 0) + outputs
        case .reduce(let r):
            let inputs = graph.values[node.inputs[0]].elementCount
            let weight = r.mean ? FoldCount.nonZero(1 / Double(r.count(inputShape)), w) : true
            return (weight ? inputs : 0) + (r.mean && w > 0 ? outputs : 0) + outputs
        case .max, .globalMax, .reduceExtremum, .maxIndex:
            return 2 * outputs * plan.groups[group].kind.gadget.receivedCount
        }
    }
}
