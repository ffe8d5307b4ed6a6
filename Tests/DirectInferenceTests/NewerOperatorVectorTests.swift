import Foundation
import Testing
import DirectInference
import ModelGraph
import ONNXImport
import Quantization

/// The vectors of bench/vectors/make_onnx_newer_ops.py (comparisons, logic, rounding, the newer activations,
/// reductions, normalizations and selections; onnxruntime float32 outputs): the float path within 1e-5 relative of
/// onnxruntime; the fixed-point path within the bound `ErrorBound` predicts, that bound no larger than the
/// manifest's, and the same integers on a second run (the direct path is deterministic).
struct NewerOperatorVectorTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let bound: Double
        var description: String { name }
    }

    static let directory = "Tests/DirectInferenceTests/Vectors/newer_ops"

    static let cases: [Case] = {
        guard let data = try? Data(contentsOf: Repository.root.appendingPathComponent("\(directory)/manifest.json")),
              let list = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else { return [] }
        return list.map { Case(name: $0["name"] as! String, bound: ($0["bound"] as! NSNumber).doubleValue) }
    }()

    static func load(_ name: String) throws -> (ModelGraph, ModelInput, [[Double]]) {
        let base = "\(directory)/\(name)"
        let graph = try ONNXImporter.load(path: Repository.path("\(base).onnx")).graph
        let input = try InputFile.load(path: Repository.path("\(base).input.json"), graph: graph)[0]
        return (graph, input, try Repository.expectedOutputs("\(base).expected.json"))
    }

    static func close(_ ours: Double, _ theirs: Double) -> Bool { abs(ours - theirs) <= 1e-5 * max(1, abs(theirs)) }

    @Test func manifestIsPresent() { #expect(Self.cases.count >= 30) }

    @Test(arguments: cases)
    func floatPathMatchesOnnxruntime(_ c: Case) throws {
        let (graph, input, expected) = try Self.load(c.name)
        let result = try Inference.runFloat(graph, input: input)
        #expect(result.outputs.count == expected.count)
        for (ours, theirs) in zip(result.outputs, expected) {
            #expect(ours.count == theirs.count, "\(c.name): \(ours.count) outputs, onnxruntime \(theirs.count)")
            for (a, b) in zip(ours, theirs) where !Self.close(a, b) {
                Issue.record("\(c.name): float \(a), onnxruntime \(b)")
                return
            }
        }
    }

    @Test(arguments: cases)
    func fixedPointStaysWithinItsBoundAndRepeats(_ c: Case) throws {
        let (graph, input, expected) = try Self.load(c.name)
        let model = try QuantizedModel(graph, settings: .default)
        let report = try Inference.errorReport(model, input: input)
        #expect(report.withinBounds, "\(c.name): \(report.elementwiseViolations)")
        #expect(report.outputs.allSatisfy { $0.bound <= c.bound }, "\(c.name): bound \(report.outputs.map(\.bound)) above \(c.bound)")
        let run = try Inference.runFixed(model, input: input)
        #expect(try Inference.runFixed(model, input: input).fixed! == run.fixed!, "\(c.name): two runs differ")
        let floats = try FloatEvaluator.run(graph, inputs: try input.realTensors(for: graph))
        let bounds = ErrorBound.predict(model, floatValues: floats)
        for (k, output) in graph.outputs.enumerated() {
            for (i, (ours, theirs)) in zip(run.outputs[k], expected[k]).enumerated()
            where abs(ours - theirs) > bounds[output][i] + 1e-5 * max(1, abs(theirs)) {
                Issue.record("\(c.name)[\(i)]: fixed \(ours), onnxruntime \(theirs), bound \(bounds[output][i])")
                return
            }
        }
    }
}
