import Foundation
import Testing
import DirectInference
import ModelGraph
import ONNXImport
import Quantization

/// The operator-family vectors of bench/vectors/make_onnx_family_ops.py (onnxruntime float32 outputs): the float
/// path within 1e-5 relative of onnxruntime, and the fixed-point path within the bound `ErrorBound` predicts for
/// the same input (checked element by element against our float path, and against onnxruntime with the float
/// tolerance added).
struct OperatorVectorTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        let circuit: Bool
        var description: String { name }
    }

    static let directory = "Tests/DirectInferenceTests/Vectors/ops"

    static let vectors = OnnxruntimeVectors(directory: directory)

    static let cases: [Case] = {
        vectors.manifest.map { Case(name: $0["name"] as! String, circuit: $0["circuit"] as! Bool) }
    }()

    static func load(_ name: String) throws -> (ModelGraph, ModelInput, [[Double]]) { try vectors.load(name) }

    @Test func manifestIsPresent() { #expect(Self.cases.count >= 30) }

    @Test(arguments: cases)
    func floatPathMatchesOnnxruntime(_ c: Case) throws { try Self.vectors.expectFloatPathMatches(c.name) }

    @Test(arguments: cases)
    func fixedPointStaysWithinItsBound(_ c: Case) throws {
        let (graph, input, expected) = try Self.load(c.name)
        let model = try QuantizedModel(graph, settings: .default)
        let report = try Inference.errorReport(model, input: input)
        #expect(report.withinBounds, "\(c.name): \(report.elementwiseViolations)")
        #expect(report.outputs.allSatisfy { $0.bound < 0.01 }, "\(c.name): vacuous bound")
        // Against onnxruntime: the bound plus the float tolerance.
        let run = try Inference.runFixed(model, input: input)
        try OnnxruntimeVectors.expectFixedWithinBound(c.name, model: model, graph: graph, input: input, run: run, expected: expected)
    }

    /// Token ids are taken as integers (never scaled); a fractional id or one outside the table is a clear error on
    /// both paths, never a crash.
    @Test func tokenIdsAreExactIntegersAndCheckedAgainstTheTable() throws {
        let (graph, _, _) = try Self.load("embedding_int64_ids")
        let model = try QuantizedModel(graph, settings: .default)
        #expect(graph.values[graph.inputs[0]].isInteger)
        func sample(_ ids: String) throws -> ModelInput { try InputFile.parse(Array(#"{"ids": [\#(ids)]}"#.utf8), graph: graph)[0] }
        let ok = try sample("9, 0, -10, 1, 2")
        #expect(try ok.quantized(for: graph, settings: .default)[0] == [9, 0, -10, 1, 2])
        #expect(throws: InferenceError.self) { try sample("1.5, 0, 0, 0, 0").quantized(for: graph, settings: .default) }
        let outside = try sample("10, 0, 0, 0, 0")
        #expect(throws: InferenceError.self) { try Inference.runFixed(model, input: outside) }
        #expect(throws: ModelGraphError.self) { try Inference.runFloat(graph, input: outside) }
    }
}
