/// The real-valued meaning of every operation, in Double (each family's in `Float/`). It is the float
/// reference path of `zkinfer run --float`, what the importer folds constant subgraphs with, and what
/// calibration and the error report compare the fixed-point path against.
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
            // An empty output (data movement of an empty tensor) is computed by no kernel.
            if graph.values[node.output].elementCount == 0 {
                values[node.output] = try Tensor(shape: graph.values[node.output].shape, values: [])
                continue
            }
            let output = try evaluate(node.operation, inputs: node.inputs.map { values[$0] },
                                      outputShape: graph.values[node.output].shape)
            values[node.output] = try Tensor(shape: graph.values[node.output].shape, values: output)
        }
        return values
    }

    /// One operation on explicit inputs whose shapes were checked by shape inference.
    public static func evaluate(_ operation: LayerOperation, inputs: [Tensor], outputShape: [Int]) throws -> [Double] {
        try operation.family.evaluateFloat(inputs, outputShape: outputShape)
    }

    static func broadcastBinary(_ inputs: [Tensor], _ shape: [Int], _ op: (Double, Double) -> Double) -> [Double] {
        let a = Shape.broadcastIndices(from: inputs[0].shape, to: shape)
        let b = Shape.broadcastIndices(from: inputs[1].shape, to: shape)
        return (0..<a.count).map { op(inputs[0].values[a[$0]], inputs[1].values[b[$0]]) }
    }
}
