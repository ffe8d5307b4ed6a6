import DirectInference
import ModelGraph
import Quantization
import Testing
@testable import ONNXImport

/// Node forms the ONNX node test cases use that were refused before (issue 16 item 2): Pow of integer tensors,
/// ReduceMax/ReduceMin of bool, Dropout's mask, BatchNormalization in training mode, MaxPool's Indices, Einsum at
/// opset 28. Known answers are the onnx wheel's node cases or its reference evaluator (onnxruntime agrees).
struct ConformanceFormTests {
    /// Every output of `model` on `input` in both paths, with each output's predicted bound; the report must hold.
    func run(_ model: OnnxBuilder, _ input: [Double]) throws -> (float: [[Double]], fixed: [[Double]], bounds: [Double]) {
        let graph = try ONNXImporter.importModel(bytes: model.bytes).graph
        let sample = ModelInput(tensors: [input.map { .float($0) }])
        let float = try Inference.runFloat(graph, input: sample)
        let quantized = try QuantizedModel(graph, settings: .default)
        let fixed = try Inference.runFixed(quantized, input: sample)
        let report = try Inference.errorReport(quantized, input: sample)
        #expect(report.withinBounds)
        let bounds = graph.outputNames.map { name in report.outputs.first { $0.name == name }?.bound ?? .infinity }
        return (float.outputs, fixed.outputs, bounds)
    }

    func expectClose(_ got: [Double], _ want: [Double], _ tolerance: Double, _ comment: Comment? = nil) {
        #expect(got.count == want.count, comment)
        for (g, w) in zip(got, want) { #expect(abs(g - w) <= tolerance, comment) }
    }

    @Test func powOfIntegerTensorsIsExactAndWraps() throws {
        // The wheel's test_pow_types_int32_int64: [1, 2, 3] ^ [4, 5, 6] = [1, 32, 729], in both paths, exactly.
        var m = OnnxBuilder()
        m.opset = 15
        m.input("x", [3])
        m.inputTypes["x"] = 6  // int32
        m.ints("y", [3], [4, 5, 6])
        m.node("Pow", ["x", "y"], ["z"])
        m.outputs = ["z"]
        let (float, fixed, bounds) = try run(m, [1, 2, 3])
        #expect(float[0] == [1, 32, 729])
        #expect(fixed[0] == [1, 32, 729])
        #expect(bounds[0] == 0)
        // int8: 3^5 = 243 wraps to −13 as numpy's int8 power does; x^0 = 1.
        var wrap = OnnxBuilder()
        wrap.input("x", [2])
        wrap.inputTypes["x"] = 3  // int8
        wrap.ints("y", [2], [5, 0])
        wrap.node("Pow", ["x", "y"], ["z"])
        wrap.outputs = ["z"]
        let wrapped = try run(wrap, [3, -7])
        #expect(wrapped.float[0] == [-13, 1])
        #expect(wrapped.fixed[0] == [-13, 1])
        // A negative exponent has no integer result: refused, naming it.
        wrap.initializers[0].ints = [-1, 2]
        do {
            _ = try ONNXImporter.importModel(bytes: wrap.bytes)
            Issue.record("Pow of an integer by −1 imported")
        } catch ONNXImportError.unsupportedOperators(let nodes) {
            #expect(nodes.first?.reason.contains("Pow of an integer tensor with exponent -1") == true, "\(nodes)")
        }
    }

    @Test func reduceMaxAndMinOfBoolStayExact() throws {
        // The wheel's test_reduce_max_bool_inputs / test_reduce_min_bool_inputs: [[T, T], [T, F], [F, T], [F, F]].
        for (op, want) in [("ReduceMax", [1.0, 1, 1, 0]), ("ReduceMin", [1.0, 0, 0, 0])] {
            var m = OnnxBuilder()
            m.opset = 20
            m.input("x", [4, 2])
            m.inputTypes["x"] = 9  // bool
            m.ints("axes", [1], [1])
            m.node(op, ["x", "axes"], ["y"], [("keepdims", .int(1))])
            m.outputs = ["y"]
            let (float, fixed, bounds) = try run(m, [1, 1, 1, 0, 0, 1, 0, 0])
            #expect(float[0] == want, "\(op)")
            #expect(fixed[0] == want, "\(op)")
            #expect(bounds[0] == 0, "\(op)")
        }
    }

    @Test func dropoutMaskIsTrueEverywhere() throws {
        // The wheel's test_dropout_default_mask (inference) and test_training_dropout_zero_ratio_mask (ratio 0).
        for training in [false, true] {
            var m = OnnxBuilder()
            m.opset = 22
            m.input("x", [2, 3])
            var inputs = ["x"]
            if training {
                m.floats("ratio", [], [0])
                m.raw("mode", [], type: 9, [1])
                inputs += ["ratio", "mode"]
            }
            m.node("Dropout", inputs, ["y", "mask"])
            m.outputs = ["y", "mask"]
            let x = [0.5, -1.25, 2, 0, 3.75, -0.125]
            let (float, fixed, bounds) = try run(m, x)
            #expect(float[0] == x)
            #expect(float[1] == [Double](repeating: 1, count: 6))
            #expect(fixed[1] == [Double](repeating: 1, count: 6))
            #expect(bounds[1] <= 0x1p-16)  // exact; the predicted bound is the product's and sum's generic one
        }
        // A ratio > 0 in training mode still draws a random mask: refused.
        var random = OnnxBuilder()
        random.opset = 22
        random.input("x", [2, 3])
        random.floats("ratio", [], [0.5])
        random.raw("mode", [], type: 9, [1])
        random.node("Dropout", ["x", "ratio", "mode"], ["y", "mask"])
        random.outputs = ["y", "mask"]
        #expect(throws: ONNXImportError.self) { try ONNXImporter.importModel(bytes: random.bytes) }
    }

    @Test func batchNormalizationTrainingModeMatchesTheReference() throws {
        // onnx.reference (and onnxruntime) on x [2, 2, 2], epsilon 0.01, momentum 0.75.
        var m = OnnxBuilder()
        m.opset = 15
        m.input("x", [2, 2, 2])
        m.floats("s", [2], [1.5, -0.5])
        m.floats("b", [2], [0.25, 1])
        m.floats("m", [2], [0.1, -0.2])
        m.floats("v", [2], [1, 2])
        m.node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y", "running_mean", "running_var"],
               [("training_mode", .int(1)), ("epsilon", .float(0.01)), ("momentum", .float(0.75))])
        m.outputs = ["y", "running_mean", "running_var"]
        let want: [[Double]] = [
            [0.6634883880615234, -1.8174419403076172, 0.707420825958252, 1.3375914096832275, 2.317441940307617,
             -0.16348838806152344, 1.6076643466949463, 0.3473234176635742],
            [0.13750000298023224, 0.14687499403953552],
            [0.953125, 1.9794921875],
        ]
        let (float, fixed, bounds) = try run(m, [0.5, -1, 2, 0.25, 1.5, 0, -0.5, 3])
        for index in 0..<3 {
            expectClose(float[index], want[index], 1e-6, "output \(index)")
            expectClose(fixed[index], want[index], bounds[index] + 1e-6, "output \(index)")
            #expect(bounds[index] < 0.05, "output \(index)")
        }
    }

    @Test func maxPoolIndicesFollowTheFlattenedConvention() throws {
        // The wheel's test_maxpool_with_argmax_2d_precomputed_strides (storage_order 1) and _pads (row-major).
        let x = (1...25).map(Double.init)
        var strided = OnnxBuilder()
        strided.opset = 22
        strided.input("x", [1, 1, 5, 5])
        strided.node("MaxPool", ["x"], ["y", "z"], [("kernel_shape", .ints([2, 2])), ("strides", .ints([2, 2])),
                                                    ("storage_order", .int(1))])
        strided.outputs = ["y", "z"]
        let a = try run(strided, x)
        #expect(a.float[0] == [7, 9, 17, 19])
        #expect(a.float[1] == [6, 16, 8, 18])
        #expect(a.fixed[1] == [6, 16, 8, 18])
        #expect(a.bounds[1] == 0)
        var padded = OnnxBuilder()
        padded.opset = 22
        padded.input("x", [1, 1, 5, 5])
        padded.node("MaxPool", ["x"], ["y", "z"], [("kernel_shape", .ints([5, 5])), ("pads", .ints([2, 2, 2, 2]))])
        padded.outputs = ["y", "z"]
        let b = try run(padded, x)
        let want: [Double] = [12, 13, 14, 14, 14, 17, 18, 19, 19, 19, 22, 23, 24, 24, 24, 22, 23, 24, 24, 24, 22, 23, 24, 24, 24]
        #expect(b.float[1] == want)
        #expect(b.fixed[1] == want)
        // Two values closer than their rounding bounds: the index may change, and the bound says by how much.
        var close = OnnxBuilder()
        close.input("x", [1, 1, 1, 4])
        close.node("MaxPool", ["x"], ["y", "z"], [("kernel_shape", .ints([1, 4]))])
        close.outputs = ["y", "z"]
        let c = try run(close, [0, 1 + 0x1p-40, 1, 0])
        #expect(c.float[1] == [1])
        #expect(c.bounds[1] == 1)
    }

    @Test func einsumReadsAtOpset28() throws {
        // Einsum 28 only added bfloat16; the wheel's test_einsum_sum: ij->i.
        var m = OnnxBuilder()
        m.opset = 28
        m.input("x", [2, 3])
        m.node("Einsum", ["x"], ["y"], [("equation", .string("ij->i"))])
        m.outputs = ["y"]
        let (float, fixed, _) = try run(m, [1, 2, 3, 4, 5, 6.5])
        #expect(float[0] == [6, 15.5])
        #expect(fixed[0] == [6, 15.5])
    }

    @Test func emptyTensorsAreMovedAndSummedOnly() throws {
        // The wheel's test_slice_start_out_of_bounds: a start past the end gives an empty axis.
        var slice = OnnxBuilder()
        slice.input("x", [2, 3])
        slice.ints("starts", [1], [1000])
        slice.ints("ends", [1], [1000])
        slice.ints("axes", [1], [1])
        slice.node("Slice", ["x", "starts", "ends", "axes"], ["y"])
        slice.outputs = ["y"]
        let graph = try ONNXImporter.importModel(bytes: slice.bytes).graph
        let sample = ModelInput(tensors: [[1, 2, 3, 4, 5, 6].map { .float($0) }])
        let float = try Inference.runFloat(graph, input: sample)
        #expect(float.shapes == [[2, 0]] && float.outputs == [[]])
        let fixed = try Inference.runFixed(try QuantizedModel(graph, settings: .default), input: sample)
        #expect(fixed.shapes == [[2, 0]] && fixed.outputs == [[]])
        // The wheel's test_reduce_sum_empty_set: sums over an empty axis are 0; zero-size Split parts are empty.
        var reduce = OnnxBuilder()
        reduce.input("x", [2, 0, 4])
        reduce.ints("axes", [1], [1])
        reduce.ints("split", [3], [0, 4, 0])
        reduce.node("ReduceSum", ["x", "axes"], ["y"], [("keepdims", .int(1))])
        reduce.node("Split", ["y", "split"], ["a", "b", "c"], [("axis", .int(2))])
        reduce.outputs = ["y", "a", "b"]
        let reduced = try ONNXImporter.importModel(bytes: reduce.bytes).graph
        let empty = ModelInput(tensors: [[]])
        let sums = try Inference.runFloat(reduced, input: empty)
        #expect(sums.shapes == [[2, 1, 4], [2, 1, 0], [2, 1, 4]])
        #expect(sums.outputs == [[Double](repeating: 0, count: 8), [], [Double](repeating: 0, count: 8)])
        let quantized = try QuantizedModel(reduced, settings: .default)
        #expect(try Inference.runFixed(quantized, input: empty).outputs == sums.outputs)
        #expect(try Inference.errorReport(quantized, input: empty).withinBounds)
        // ReduceMax of nothing is −∞ and ReduceMean NaN, and an elementwise operator of an empty tensor is refused.
        for op in ["ReduceMax", "ReduceMean", "Relu"] {
            var m = OnnxBuilder()
            m.opset = 18
            m.input("x", [2, 0, 4])
            m.ints("axes", [1], [1])
            m.node(op, op == "Relu" ? ["x"] : ["x", "axes"], ["y"])
            m.outputs = ["y"]
            #expect(throws: ONNXImportError.self, "\(op)") { try ONNXImporter.importModel(bytes: m.bytes) }
        }
    }

    @Test func convTransposeOutputShapeBeyondTheFullResultEndsInTheBias() throws {
        // The wheel's test_convtranspose_output_shape (full result 9×7, output_shape 10×8) with a bias [0.5, −1]:
        // onnxruntime and onnx.reference give the bias at the extra last row and column.
        var m = OnnxBuilder()
        m.opset = 22
        m.input("x", [1, 1, 3, 3])
        m.floats("w", [1, 2, 3, 3], [Float](repeating: 1, count: 18))
        m.floats("b", [2], [0.5, -1])
        m.node("ConvTranspose", ["x", "w", "b"], ["y"], [("strides", .ints([3, 2])), ("output_shape", .ints([10, 8]))])
        m.outputs = ["y"]
        let (float, fixed, bounds) = try run(m, (0..<9).map(Double.init))
        try #require(float[0].count == 2 * 10 * 8 && fixed[0].count == 2 * 10 * 8)
        let rows: [(Int, [Double])] = [
            (3, [3.5, 3.5, 7.5, 4.5, 9.5, 5.5, 5.5, 0.5]), (9, [Double](repeating: 0.5, count: 8)),
            (10, [-1, -1, 0, 0, 2, 1, 1, -1]), (19, [Double](repeating: -1, count: 8)),  // channel 1: rows 10...19
        ]
        for (row, want) in rows {
            #expect(Array(float[0][row * 8..<(row + 1) * 8]) == want, "row \(row)")
            expectClose(Array(fixed[0][row * 8..<(row + 1) * 8]), want, bounds[0], "row \(row)")
        }
        // output_padding itself must stay below the stride or the dilation.
        m.nodes[0].attributes = [("strides", .ints([3, 2])), ("output_padding", .ints([3, 0]))]
        #expect(throws: ONNXImportError.self) { try ONNXImporter.importModel(bytes: m.bytes) }
    }
}
