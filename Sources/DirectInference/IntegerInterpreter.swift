import ModelGraph
import SystemSupport
import Quantization

/// The fixed-point path: runs a `QuantizedModel` on integers exactly as docs/fixed-point.md states,
/// checking every bound. Its trace is the witness the circuit compiler lays out.
public struct IntegerInterpreter: Sendable {
    public let model: QuantizedModel

    public init(_ model: QuantizedModel) { self.model = model }

    /// Runs on already-quantized inputs (one array per graph input, scale 2^s).
    public func run(quantizedInputs: [[Int64]], trace wantsTrace: Bool = false) throws -> IntegerTrace {
        let graph = model.graph, settings = model.settings
        guard quantizedInputs.count == graph.inputs.count else {
            throw InferenceError.invalidInput("expected \(graph.inputs.count) inputs, got \(quantizedInputs.count)")
        }
        var values = [[Int64]](repeating: [], count: graph.values.count)
        for (id, input) in zip(graph.inputs, quantizedInputs) {
            guard input.count == graph.values[id].elementCount else {
                throw InferenceError.invalidInput(
                    "input '\(graph.values[id].name)' has \(input.count) values, expected \(graph.values[id].elementCount) (shape \(Shape.describe(graph.values[id].shape)))")
            }
            try checkBounds(input, layer: "input '\(graph.values[id].name)'", settings: settings)
            values[id] = input
        }
        var layers: [LayerTrace] = []
        if wantsTrace { layers.reserveCapacity(graph.nodes.count) }
        for (index, node) in graph.nodes.enumerated() {
            StepProgress.report("inference", index, of: graph.nodes.count, "layer \(node.label)")
            var layer = LayerTrace(nodeIndex: index, name: node.name, op: node.sourceOp, inputs: node.inputs, output: node.output)
            // An empty output (data movement of an empty tensor) is computed by no kernel.
            let output = graph.values[node.output].elementCount == 0
                ? [] : try evaluate(node, model.nodes[index], values: values, layer: &layer, trace: wantsTrace)
            try checkBounds(output, layer: node.label, settings: settings)
            values[node.output] = output
            if wantsTrace { layers.append(layer) }
        }
        StepProgress.done("inference", parts: graph.nodes.count)
        if !wantsTrace {
            // Keep only inputs and outputs.
            var keep = Set(graph.inputs)
            keep.formUnion(graph.outputs)
            for id in values.indices where !keep.contains(id) { values[id] = [] }
        }
        return IntegerTrace(settings: settings, values: values, layers: layers)
    }

    func checkBounds(_ values: [Int64], layer: String, settings: QuantizationSettings) throws {
        let low = settings.activationMin, high = settings.activationMaxExclusive
        var outside = false
        for v in values where v < low || v >= high { outside = true; break }
        guard outside, let bad = values.first(where: { $0 < low || $0 >= high }) else { return }
        let index = values.firstIndex(of: bad)!
        throw QuantizationError.outOfRange(
            layer: layer, what: "element \(index) =", value: "\(bad) (≈ \(FixedPoint.dequantize(bad, scale: settings.activationScale)))",
            bound: "[−2^\(settings.activationBits - 1), 2^\(settings.activationBits - 1)) at scale 2^\(settings.activationScale)")
    }

    /// One node, by its family's kernel (`Kernels/<Family>.swift`).
    func evaluate(_ node: Node, _ q: QuantizedNode, values: [[Int64]], layer: inout LayerTrace, trace: Bool) throws -> [Int64] {
        var context = KernelContext(node: node, q: q, graph: model.graph, settings: model.settings, values: values,
                                    layer: layer, trace: trace)
        let output = try node.operation.kernel.run(&context)
        layer = context.layer
        return output
    }
}
