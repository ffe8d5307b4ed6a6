import DirectInference
import Foundation
import ModelGraph
import Quantization
import Testing
@testable import ONNXImport

/// Attribute and input forms of the supported operators that the ONNX spec allows (and the node test cases
/// use), each checked against values computed here by hand, in both paths.
struct NodeFormTests {
    func run(_ model: OnnxBuilder, _ input: [Double]) throws -> (float: [Double], fixed: [Double], bound: Double, graph: ModelGraph) {
        let graph = try ONNXImporter.importModel(bytes: model.bytes).graph
        let sample = ModelInput(tensors: [input.map { .float($0) }])
        let float = try Inference.runFloat(graph, input: sample).outputs[0]
        let quantized = try QuantizedModel(graph, settings: .default)
        let fixed = try Inference.runFixed(quantized, input: sample).outputs[0]
        let report = try Inference.errorReport(quantized, input: sample)
        #expect(report.withinBounds)
        return (float, fixed, report.outputs.map(\.bound).max() ?? 0, graph)
    }

    func expectClose(_ got: [Double], _ want: [Double], _ tolerance: Double = 1e-9, _ comment: Comment? = nil) {
        #expect(got.count == want.count, comment)
        for (g, w) in zip(got, want) { #expect(abs(g - w) <= tolerance, comment) }
    }

    @Test func gemmTransposedAAndAMatrixBias() throws {
        // x [1, 6] reshaped to A [3, 2]; Gemm(Aᵀ... ) with transA: Aᵀ is [2, 3] · B [3, 2] + C.
        var m = OnnxBuilder()
        m.input("x", [1, 6])
        m.ints("shape", [2], [3, 2])
        m.floats("b", [3, 2], [1, 0.5, -1, 2, 0.25, -0.5])
        m.floats("c", [2, 2], [0.1, 0.2, 0.3, 0.4])  // varies along M: an Add after the product
        m.node("Reshape", ["x", "shape"], ["a"])
        m.node("Gemm", ["a", "b", "c"], ["y"], [("transA", .int(1)), ("alpha", .float(0.5)), ("beta", .float(2))])
        m.outputs = ["y"]
        let x: [Double] = [1, 2, 3, 4, 5, 6]  // A = [[1, 2], [3, 4], [5, 6]]
        let a = [[1.0, 3, 5], [2, 4, 6]], b = [[1.0, 0.5], [-1, 2], [0.25, -0.5]], c = [[0.1, 0.2], [0.3, 0.4]]
        var want: [Double] = []
        for i in 0..<2 { for j in 0..<2 { want.append(0.5 * (0..<3).reduce(0) { $0 + a[i][$1] * b[$1][j] } + 2 * c[i][j]) } }
        let (float, fixed, bound, graph) = try run(m, x)
        expectClose(float, want, 1e-6)
        expectClose(fixed, want, bound)
        #expect(graph.nodes.map(\.operation.name) == ["Reshape", "Transpose", "Linear", "Add"])
    }

    @Test func softmaxAxisFollowsTheOpset() throws {
        // x [1, 2, 3], axis 1. Opset 13: over that axis (pairs). Opset 11: over the flattened dims 1... (all 6).
        let x: [Double] = [0.5, -1, 2, 1.5, 0, -0.25]
        func softmax(_ v: [Double]) -> [Double] {
            let e = v.map { exp($0 - v.max()!) }
            return e.map { $0 / e.reduce(0, +) }
        }
        for opset: Int64 in [11, 13] {
            var m = OnnxBuilder()
            m.opset = opset
            m.input("x", [1, 2, 3])
            m.node("Softmax", ["x"], ["y"], [("axis", .int(1))])
            m.outputs = ["y"]
            var want: [Double]
            if opset >= 13 {
                want = [Double](repeating: 0, count: 6)
                for j in 0..<3 {
                    let pair = softmax([x[j], x[3 + j]])
                    (want[j], want[3 + j]) = (pair[0], pair[1])
                }
            } else {
                want = softmax(x)
            }
            let (float, fixed, bound, graph) = try run(m, x)
            expectClose(float, want, 1e-12, "opset \(opset)")
            expectClose(fixed, want, bound, "opset \(opset)")
            #expect(graph.values[graph.outputs[0]].shape == [1, 2, 3])
        }
        // Opset 13, negative axis and the last axis: no data movement added.
        var m = OnnxBuilder()
        m.input("x", [1, 2, 3])
        m.node("Softmax", ["x"], ["y"], [("axis", .int(-1))])
        m.outputs = ["y"]
        #expect(try run(m, x).graph.nodes.map(\.operation.name) == ["Softmax"])
    }

    @Test func flattenCountsNegativeAxesFromTheEnd() throws {
        // [1, 2, 3, 2]: axis −1 → [6, 2], −3 → [1, 12], −4 → [1, 12], 4 → [12, 1], 0 → [1, 12]. A negative axis
        // used to be offset by rank + 1 (−1 gave [12, 1]): a wrong shape, not an error.
        for (axis, shape) in [(-1, [6, 2]), (-2, [2, 6]), (-3, [1, 12]), (-4, [1, 12]), (4, [12, 1]), (0, [1, 12])] {
            var m = OnnxBuilder()
            m.input("x", [1, 2, 3, 2])
            m.node("Flatten", ["x"], ["y"], [("axis", .int(Int64(axis)))])
            m.outputs = ["y"]
            let graph = try ONNXImporter.importModel(bytes: m.bytes).graph
            #expect(graph.values[graph.outputs[0]].shape == shape, "axis \(axis)")
        }
        var m = OnnxBuilder()
        m.input("x", [1, 2, 3, 2])
        m.node("Flatten", ["x"], ["y"], [("axis", .int(-5))])
        m.outputs = ["y"]
        #expect(throws: ONNXImportError.self) { try ONNXImporter.importModel(bytes: m.bytes) }
    }

    @Test func broadcastingAndShapeInputForms() throws {
        // Sub with the constant first and of higher rank: c [2, 1, 3] − x [1, 3] → [2, 1, 3]; then
        // Reshape with 0 and −1 from an input tensor, Unsqueeze and Squeeze with axes inputs (opset 13).
        var m = OnnxBuilder()
        m.input("x", [1, 3])
        m.floats("c", [2, 1, 3], [1, 2, 3, 4, 5, 6])
        m.ints("shape", [3], [0, -1, 1])
        m.ints("ax", [2], [-1, 0])
        m.ints("sq", [2], [0, -1])
        m.node("Sub", ["c", "x"], ["d"])
        m.node("Reshape", ["d", "shape"], ["r"])  // [2, 3, 1]
        m.node("Unsqueeze", ["r", "ax"], ["u"])  // [1, 2, 3, 1, 1]
        m.node("Squeeze", ["u", "sq"], ["y"])  // [2, 3, 1]
        m.outputs = ["y"]
        let x = [0.5, -1, 0.25]
        let want = (0..<6).map { Double($0 + 1) - x[$0 % 3] }
        let (float, fixed, bound, graph) = try run(m, x)
        expectClose(float, want, 1e-6)
        expectClose(fixed, want, bound)
        #expect(graph.values[graph.outputs[0]].shape == [2, 3, 1])
    }

    @Test func clipWithMinAboveMaxGivesMax() throws {
        var m = OnnxBuilder()
        m.input("x", [1, 3])
        m.floats("lo", [], [2])
        m.floats("hi", [], [1])
        m.node("Clip", ["x", "lo", "hi"], ["y"])
        m.outputs = ["y"]
        let (float, fixed, _, _) = try run(m, [-3, 1.5, 7])
        expectClose(float, [1, 1, 1])
        expectClose(fixed, [1, 1, 1])
    }

    @Test func dropoutInTrainingModeIsRefusedUnlessItsRatioIsZero() throws {
        func model(ratio: Float, training: Bool) -> OnnxBuilder {
            var m = OnnxBuilder()
            m.input("x", [1, 3])
            m.floats("r", [], [ratio])
            m.ints("t", [], [training ? 1 : 0])  // bool as int64 is not the spec's type, but only the value matters here
            m.node("Dropout", ["x", "r", "t"], ["d"])
            m.node("Relu", ["d"], ["y"])
            m.outputs = ["y"]
            return m
        }
        do {
            _ = try ONNXImporter.importModel(bytes: model(ratio: 0.5, training: true).bytes)
            Issue.record("training-mode dropout imported")
        } catch ONNXImportError.unsupportedOperators(let nodes) {
            #expect(nodes.first?.reason.contains("random mask") == true)
        }
        expectClose(try run(model(ratio: 0, training: true), [-1, 0.5, 2]).float, [0, 0.5, 2])
        expectClose(try run(model(ratio: 0.5, training: false), [-1, 0.5, 2]).float, [0, 0.5, 2])
    }

    @Test func aGraphOfIdentitiesComputesItsOutput() throws {
        var m = OnnxBuilder()
        m.opset = 25
        m.input("x", [1, 2, 2])
        m.node("Identity", ["x"], ["y"])
        m.outputs = ["y"]
        let (float, fixed, _, graph) = try run(m, [1, -2, 0.5, 4])
        expectClose(float, [1, -2, 0.5, 4])
        expectClose(fixed, [1, -2, 0.5, 4])
        #expect(graph.nodes.count == 1 && graph.outputNames == ["y"])
    }

    @Test func concatWithConstantsFirstAndNegativeAxes() throws {
        var m = OnnxBuilder()
        m.input("x", [1, 2])
        m.floats("c", [1, 3], [0.1, -0.2, 1e-6])
        m.node("Concat", ["c", "x", "c"], ["y"], [("axis", .int(-1))])
        m.outputs = ["y"]
        let (float, fixed, bound, _) = try run(m, [0.5, -0.75])
        let want = [0.1, -0.2, 1e-6, 0.5, -0.75, 0.1, -0.2, 1e-6]
        expectClose(float, want.map { Double(Float($0)) })
        expectClose(fixed, want, bound)
        #expect(bound >= 0x1p-17 && bound < 1e-4)
    }

    @Test func newerOpsetsAreAcceptedAndOlderOrNewerOnesSayWhy() throws {
        for opset: Int64 in [7, 22, 23, 24, 25, 26, 27, 28] {
            #expect(throws: Never.self) { try ONNXImporter.importModel(bytes: tinyModel(opset: opset)) }
        }
        func message(_ opset: Int64) -> String {
            do { _ = try ONNXImporter.importModel(bytes: tinyModel(opset: opset)); return "imported" } catch { return "\(error)" }
        }
        #expect(message(29).contains("newer than this build follows (7...28)"))
        #expect(message(6).contains("opset 6; supported 7...28"))
        // Before opset 7 a model is read only when each operator's schema is its version 1 (unchanged since):
        // Relu changed at opset 6, Softsign did not change until 22.
        for opset: Int64 in [1, 6] {
            #expect(throws: Never.self) { try ONNXImporter.importModel(bytes: tinyModel(opset: opset, op: "Softsign")) }
        }
        #expect(throws: (any Error).self) { try ONNXImporter.importModel(bytes: tinyModel(opset: 1, op: "Relu")) }
        #expect(throws: (any Error).self) { try ONNXImporter.importModel(bytes: tinyModel(opset: 0, op: "Softsign")) }
    }

    /// Inputs that used to trap: each is now an error with a message.
    @Test func formerTrapsAreErrors() throws {
        func message(_ build: (inout OnnxBuilder) -> Void) -> String {
            var m = OnnxBuilder()
            m.input("x", [1, 4])
            m.outputs = ["y"]
            build(&m)
            do { _ = try ONNXImporter.importModel(bytes: m.bytes); return "imported" } catch { return "\(error)" }
        }
        // A reshaping node without inputs (was a force-unwrap).
        #expect(message { $0.node("Relu", ["x"], ["h"]); $0.node("Flatten", [], ["y"]) }.contains("missing input 0"))
        #expect(message { $0.node("Transpose", [""], ["y"]) }.contains("missing input 0"))
        // Range whose length does not fit an Int (was Int(Double) of 1e38).
        #expect(message {
            $0.floats("a", [], [0]); $0.floats("b", [], [3e38]); $0.floats("d", [], [1e-30])
            $0.node("Range", ["a", "b", "d"], ["r"]); $0.node("Add", ["x", "r"], ["y"])
        }.contains("too large to fold"))
        // A Slice step of Int64.max (was an overflow in the size arithmetic): one element.
        #expect(message {
            $0.floats("t", [1, 4], [1, 2, 3, 4]); $0.ints("s", [1], [0]); $0.ints("e", [1], [4]); $0.ints("ax", [1], [1])
            $0.ints("st", [1], [Int64.max]); $0.node("Slice", ["t", "s", "e", "ax", "st"], ["c"]); $0.node("Add", ["x", "c"], ["y"])
        } == "imported")
        #expect(message {
            $0.floats("t", [1, 4], [1, 2, 3, 4]); $0.ints("s", [1], [3]); $0.ints("e", [1], [Int64.min]); $0.ints("ax", [1], [1])
            $0.ints("st", [1], [Int64.min]); $0.node("Slice", ["t", "s", "e", "ax", "st"], ["c"]); $0.node("Add", ["x", "c"], ["y"])
        } == "imported")
        // A ConstantOfShape of 2^40 elements: refused before allocating.
        #expect(message {
            $0.ints("shape", [2], [1 << 20, 1 << 20]); $0.node("ConstantOfShape", ["shape"], ["c"]); $0.node("Add", ["x", "c"], ["y"])
        }.contains("more than"))
        // A broadcast fold of 2^30 elements from two small constants.
        #expect(message {
            $0.floats("p", [1 << 15, 1], [Float](repeating: 1, count: 1 << 15))
            $0.floats("q", [1, 1 << 15], [Float](repeating: 1, count: 1 << 15))
            $0.node("Mul", ["p", "q"], ["c"]); $0.node("Add", ["x", "c"], ["y"])
        }.contains("folding this node would create 1073741824 constant elements"))
        // A zero-sized result (a weight with no output rows).
        #expect(message { $0.floats("w", [4, 0], []); $0.node("MatMul", ["x", "w"], ["y"]) }.contains("no elements"))
        // Work beyond the budget: a 100 × 65536 pooling window at each of 3072 positions (2^34 comparisons).
        #expect(message {
            $0.inputs = [("x", [1, 3, 32, 32])]
            $0.node("MaxPool", ["x"], ["y"], [("kernel_shape", .ints([100, 65536])), ("auto_pad", .string("SAME_LOWER"))])
        }.contains("larger than 2^33"))
        // SAME padding with a zero stride (was a division by zero).
        #expect(message {
            $0.inputs = [("x", [1, 1, 3, 3])]
            $0.node("MaxPool", ["x"], ["y"], [("kernel_shape", .ints([2, 2])), ("strides", .ints([0, 1])), ("auto_pad", .string("SAME_UPPER"))])
        }.contains("must be at least 1"))
        // Activations beyond the budget: a padded Conv whose output would hold 2^28 values.
        #expect(message {
            $0.inputs = [("x", [1, 1, 1, 1])]
            $0.floats("w", [1, 1, 1, 1], [1]); $0.node("Conv", ["x", "w"], ["y"], [("pads", .ints([8192, 8192, 8192, 8192]))])
        }.contains("ZKInfer's limit"))
    }
}

