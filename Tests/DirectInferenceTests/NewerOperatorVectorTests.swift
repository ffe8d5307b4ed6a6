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

    static let vectors = OnnxruntimeVectors(directory: directory)

    static let cases: [Case] = {
        vectors.manifest.map { Case(name: $0["name"] as! String, bound: ($0["bound"] as! NSNumber).doubleValue) }
    }()

    static func load(_ name: String) throws -> (ModelGraph, ModelInput, [[Double]]) { try vectors.load(name) }

    @Test func manifestIsPresent() { #expect(Self.cases.count >= 30) }

    @Test(arguments: cases)
    func floatPathMatchesOnnxruntime(_ c: Case) throws { try Self.vectors.expectFloatPathMatches(c.name) }

    @Test(arguments: cases)
    func fixedPointStaysWithinItsBoundAndRepeats(_ c: Case) throws {
        let (graph, input, expected) = try Self.load(c.name)
        let model = try QuantizedModel(graph, settings: .default)
        let report = try Inference.errorReport(model, input: input)
        #expect(report.withinBounds, "\(c.name): \(report.elementwiseViolations)")
        #expect(report.outputs.allSatisfy { $0.bound <= c.bound }, "\(c.name): bound \(report.outputs.map(\.bound)) above \(c.bound)")
        let run = try Inference.runFixed(model, input: input)
        #expect(try Inference.runFixed(model, input: input).fixed! == run.fixed!, "\(c.name): two runs differ")
        try OnnxruntimeVectors.expectFixedWithinBound(c.name, model: model, graph: graph, input: input, run: run, expected: expected)
    }
}
