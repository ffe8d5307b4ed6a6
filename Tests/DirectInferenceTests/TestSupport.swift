import Foundation
import DirectInference
import ModelGraph
import ONNXImport

enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let models = ["cnn_small", "mlp_deep", "mlp_mnist", "mlp_tiny"]
    /// Operator-coverage models from bench/vectors/make_onnx_ops.py (onnxruntime outputs).
    static let vectors = ["conv_net", "elementwise_net", "affine_net", "pool_net", "softmax_net"]

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func expectedOutputs(_ relative: String) throws -> [[Double]] {
        let data = try Data(contentsOf: root.appendingPathComponent(relative))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (object["output_data"] as! [[Any]]).map { $0.map { ($0 as! NSNumber).doubleValue } }
    }

    /// (model path, input path, expected path) of a shared model or a vector.
    static func files(_ name: String) -> (String, String, String) {
        if models.contains(name) {
            return ("circuits/\(name)/model.onnx", "circuits/\(name)/input.json", "circuits/\(name)/expected_output.json")
        }
        let base = "Tests/DirectInferenceTests/Vectors/\(name)"
        return ("\(base).onnx", "\(base).input.json", "\(base).expected.json")
    }
}

/// Builds a one-node graph over inputs of the given shapes (constants allowed), for per-op tests.
func singleNodeGraph(_ operation: LayerOperation, inputs: [[Int]], constants: [Tensor] = []) throws -> ModelGraph {
    var builder = GraphBuilder()
    var ids: [ValueID] = []
    for (i, shape) in inputs.enumerated() { ids.append(try builder.addInput("x\(i)", shape: shape)) }
    for (i, tensor) in constants.enumerated() { ids.append(try builder.addConstant("c\(i)", tensor)) }
    let y = try builder.addNode(name: "node", sourceOp: operation.name, operation: operation, inputs: ids, outputName: "y")
    try builder.markOutput(y)
    return try builder.build()
}
