import Foundation
import Testing
import DirectInference
import ModelGraph
import ONNXImport
import Quantization

/// A folder of onnxruntime vectors written by bench/vectors/make_onnx_*.py — `<name>.onnx`, `.input.json`,
/// `.expected.json` (float32 outputs) and `manifest.json` — and the two checks every such folder gets.
struct OnnxruntimeVectors {
    let directory: String

    /// The manifest's entries (empty when the folder is missing: the suites' `manifestIsPresent` fails then).
    var manifest: [[String: Any]] {
        guard let data = try? Data(contentsOf: Repository.root.appendingPathComponent("\(directory)/manifest.json")),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list
    }

    func load(_ name: String) throws -> (ModelGraph, ModelInput, [[Double]]) {
        let base = "\(directory)/\(name)"
        let graph = try ONNXImporter.load(path: Repository.path("\(base).onnx")).graph
        let input = try InputFile.load(path: Repository.path("\(base).input.json"), graph: graph)[0]
        return (graph, input, try Repository.expectedOutputs("\(base).expected.json"))
    }

    static func close(_ ours: Double, _ theirs: Double) -> Bool { abs(ours - theirs) <= 1e-5 * max(1, abs(theirs)) }

    /// The float path within 1e-5 relative of onnxruntime; records the first difference.
    func expectFloatPathMatches(_ name: String) throws {
        let (graph, input, expected) = try load(name)
        let result = try Inference.runFloat(graph, input: input)
        #expect(result.outputs.count == expected.count)
        for (ours, theirs) in zip(result.outputs, expected) {
            #expect(ours.count == theirs.count, "\(name): \(ours.count) outputs, onnxruntime \(theirs.count)")
            for (a, b) in zip(ours, theirs) where !Self.close(a, b) {
                Issue.record("\(name): float \(a), onnxruntime \(b)")
                return
            }
        }
    }

    /// A fixed-point run against onnxruntime: each element within the bound `ErrorBound` predicts for it plus the
    /// float tolerance; records the first element outside.
    static func expectFixedWithinBound(_ name: String, model: QuantizedModel, graph: ModelGraph, input: ModelInput,
                                       run: InferenceResult, expected: [[Double]]) throws {
        let floats = try FloatEvaluator.run(graph, inputs: try input.realTensors(for: graph))
        let bounds = ErrorBound.predict(model, floatValues: floats)
        for (k, output) in graph.outputs.enumerated() {
            for (i, (ours, theirs)) in zip(run.outputs[k], expected[k]).enumerated()
            where abs(ours - theirs) > bounds[output][i] + 1e-5 * max(1, abs(theirs)) {
                Issue.record("\(name)[\(i)]: fixed \(ours), onnxruntime \(theirs), bound \(bounds[output][i])")
                return
            }
        }
    }
}
