import DirectInference
import Foundation
import ModelGraph
import Quantization
import Testing
@testable import ONNXImport

/// Static control flow resolved at import (Loop unrolled, If inlined, sequences, CastLike), against onnxruntime's
/// outputs for the fixtures in Fixtures/control_flow (made by make_fixtures.py there), and the refusals of control
/// flow that depends on the input or would unroll without bound.
struct ControlFlowTests {
    struct Expected: Decodable {
        struct Output: Decodable {
            let name: String
            let shape: [Int]
            let values: [Double]
        }

        let input: [Double]
        let models: [String: [Output]]
        let refused: [String: Refusal]
    }

    struct Refusal: Decodable {
        /// "unsupported": listed among the unsupported nodes; "invalid": an error of the model (the unrolling budget).
        let kind: String
        let reason: String
    }

    static let folder = "Tests/ONNXImportTests/Fixtures/control_flow/"

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(try Repository.bytes(folder + "expected.json")))
    }

    @Test(arguments: ["loop_carried_scan", "loop_condition_if_sequence", "if_constant_condition", "if_condition_from_input"])
    func matchesOnnxruntime(_ name: String) throws {
        let expected = try Self.expected()
        let want = try #require(expected.models[name])
        let graph = try ONNXImporter.importModel(bytes: try Repository.bytes(Self.folder + name + ".onnx")).graph
        let sample = ModelInput(tensors: [expected.input.map { .float($0) }])
        let float = try Inference.runFloat(graph, input: sample)
        let quantized = try QuantizedModel(graph, settings: .default)
        let fixed = try Inference.runFixed(quantized, input: sample)
        let report = try Inference.errorReport(quantized, input: sample)
        #expect(report.withinBounds)
        #expect(float.names == want.map(\.name))
        for (index, output) in want.enumerated() {
            #expect(float.shapes[index] == output.shape, "\(output.name)")
            let bound = report.outputs.first { $0.name == output.name }?.bound ?? 0
            for (got, ref) in zip(float.outputs[index], output.values) { #expect(abs(got - ref) <= 1e-6, "\(output.name)") }
            for (got, ref) in zip(fixed.outputs[index], output.values) { #expect(abs(got - ref) <= bound + 1e-6, "\(output.name)") }
        }
        // Nothing of the control flow is left: the graph is straight-line supported operators.
        #expect(!graph.nodes.contains { ["Loop", "If", "SequenceInsert", "ConcatFromSequence"].contains($0.sourceOp) })
    }

    @Test func loopUnrollsIntoOneNodeSetPerIteration() throws {
        let graph = try ONNXImporter.importModel(bytes: try Repository.bytes(Self.folder + "loop_carried_scan.onnx")).graph
        // Per iteration one Mul by the iteration number, one Add and one Mul by ½ (Cast, Less fold away).
        #expect(graph.nodes.filter { $0.name.hasPrefix("acc_final/iteration") }.count == 9)
        #expect(graph.nodes.filter { $0.name.hasPrefix("acc_final/iteration3/") }.isEmpty)
    }

    @Test(arguments: ["loop_trip_count_from_input", "if_branch_shapes_differ", "loop_hostile_trip_count", "loop_endless_condition",
                      "loop_nested_product"])
    func refusedNamingTheNode(_ name: String) throws {
        let refusal = try #require(try Self.expected().refused[name])
        let bytes = try Repository.bytes(Self.folder + name + ".onnx")
        do {
            _ = try ONNXImporter.importModel(bytes: bytes)
            Issue.record("\(name) imported")
        } catch ONNXImportError.unsupportedOperators(let nodes) {
            #expect(refusal.kind == "unsupported")
            #expect(nodes.count == 1, "\(nodes)")
            #expect(["Loop", "If"].contains(nodes.first?.opType ?? ""), "\(nodes)")
            #expect(nodes.first?.reason.contains(refusal.reason) == true, "\(nodes)")
        } catch ONNXImportError.invalidNode(let node, let op, let reason) {
            #expect(refusal.kind == "invalid")
            #expect(op == "Loop" && node.contains("Loop_"), "\(node) \(op)")  // the inner loop of loop_nested_product: "y/iteration87/Loop_1"
            #expect(reason.contains(refusal.reason), "\(reason)")
        }
    }

    /// The zoo's EmbeddingBag classifier in both torch exports (a TorchScript Loop with a folded trip count; dynamo's
    /// SequenceEmpty, condition-driven Loop, nested Ifs, CastLike and ConcatFromSequence, with external data) against
    /// onnxruntime's output.
    @Test(arguments: ["torchscript", "dynamo"])
    func embeddingBagZooModelMatchesOnnxruntime(_ export: String) throws {
        struct Reference: Decodable { let output_data: [[Double]] }
        let folder = Repository.root.appendingPathComponent("circuits/zoo/embeddingbag_text/\(export)")
        let graph = try ONNXImporter.load(path: folder.appendingPathComponent("model.onnx").path).graph
        #expect(graph.nodes.contains { $0.operation.name == "Embedding" || $0.sourceOp == "Gather" })
        let sample = try #require(try InputFile.load(path: folder.appendingPathComponent("input.json").path, graph: graph).first)
        let want = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: folder.appendingPathComponent("expected_output.json")))
            .output_data[0]
        let float = try Inference.runFloat(graph, input: sample).outputs[0]
        let quantized = try QuantizedModel(graph, settings: .default)
        let fixed = try Inference.runFixed(quantized, input: sample).outputs[0]
        let report = try Inference.errorReport(quantized, input: sample)
        #expect(report.withinBounds)
        let bound = report.outputs.map(\.bound).max() ?? 0
        #expect(float.count == want.count && fixed.count == want.count)
        for (got, ref) in zip(float, want) { #expect(abs(got - ref) <= 1e-5 * abs(ref) + 1e-6) }
        for (got, ref) in zip(fixed, want) { #expect(abs(got - ref) <= bound + 1e-6) }
    }

    @Test func controlFlowOperatorsAreListed() {
        #expect(SupportedOperators.resolved.isSubset(of: SupportedOperators.names))
        #expect(SupportedOperators.resolved.isDisjoint(with: SupportedOperators.computed))
        #expect(ControlFlow.takesSubgraphs.isSubset(of: SupportedOperators.resolved))
    }

    @Test func aGraphAttributeOnAnotherOperatorIsRefused() throws {
        // A Relu carrying a graph attribute: not a Loop or If, so the subgraph is refused, not ignored.
        var model = ProtoWriter()
        model.int(1, 8)
        model.message(8) { $0.string(1, ""); $0.int(2, 13) }
        model.message(7) { graph in
            graph.message(1) { node in
                node.string(1, "x"); node.string(2, "y"); node.string(3, "relu"); node.string(4, "Relu")
                node.message(5) { a in
                    a.string(1, "body"); a.int(20, 5)
                    a.message(6) { g in g.message(12) { $0.string(1, "z") } }
                }
            }
            graph.message(11) { info in
                info.string(1, "x")
                info.message(2) { $0.message(1) { t in t.int(1, 1); t.message(2) { s in s.message(1) { $0.int(1, 4) } } } }
            }
            graph.message(12) { $0.string(1, "y") }
        }
        #expect(throws: ONNXImportError.self) { try ONNXImporter.importModel(bytes: model.bytes) }
    }
}
