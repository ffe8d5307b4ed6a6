import DirectInference
import ModelGraph
import Quantization
import Testing
@testable import ONNXImport

/// Cast onto every ONNX numeric type, the narrow types' decoding, integer arithmetic, and opsets 26…28. Known
/// answers are the onnx wheel's (ml_dtypes' casts, `onnx.numpy_helper.saturate_cast`) or computed by hand.
struct CastAndIntegerTests {
    @Test func floatFormatsRoundAsTheReferenceDoes() throws {
        // numpy float16 / ml_dtypes bfloat16 of float32 inputs.
        let f16 = FloatFormat.float16
        #expect(try f16.round(0.1) == 0.0999755859375)
        #expect(try f16.round(Double(Float(0.47892547))) == 0.47900390625)
        #expect(try f16.round(Double(Float(1e-7))) == 1.1920928955078125e-07)  // subnormal
        #expect(try f16.round(65519) == 65504)
        #expect(throws: ModelGraphError.self) { try f16.round(65520) }  // → infinity
        #expect(try FloatFormat.bfloat16.round(Double(Float(0.47892547))) == 0.478515625)
        #expect(try FloatFormat.bfloat16.round(Double(Float(0.333))) == 0.33203125)
        // onnx.numpy_helper.saturate_cast to the float8 types of [0.47892547, 0.7229038, 1e6, −1e6, 1e-7, 0.0137, 300].
        let inputs: [Double] = [0.47892547, 0.7229038, 1_000_000, -1_000_000, 1e-7, 0.0137, 300].map { Double(Float($0)) }
        let expected: [(FloatFormat, [Double])] = [
            (.float8e4m3fn(saturate: true), [0.46875, 0.75, 448, -448, 0, 0.013671875, 288]),
            (.float8e4m3fnuz(saturate: true), [0.46875, 0.75, 240, -240, 0, 0.013671875, 240]),
            (.float8e5m2(saturate: true), [0.5, 0.75, 57344, -57344, 0, 0.013671875, 320]),
            (.float8e5m2fnuz(saturate: true), [0.5, 0.75, 57344, -57344, 0, 0.013671875, 320]),
        ]
        for (format, want) in expected {
            #expect(try inputs.map { try format.round($0) } == want, "\(format.name)")
        }
        #expect(throws: ModelGraphError.self) { try FloatFormat.float8e4m3fn(saturate: false).round(1_000_000) }
        // The wheel's test_cast_FLOAT_to_FLOAT4E2M1 (finite elements): ties to even, saturation at ±6.
        let float4: [Double] = [0.48, 0.25, 1.05, -3.5, -8, 9, 1_000_000, 1e-7, -4, 0.01].map { Double(Float($0)) }
        #expect(try float4.map { try FloatFormat.float4e2m1.round($0) } == [0.5, 0, 1, -4, -6, 6, 6, 0, -4, 0])
    }

    @Test func bitPatternsDecode() {
        let e4m3 = FloatFormat.float8e4m3fn(saturate: true)
        #expect(e4m3.value(bits: 0x7E) == 448)
        #expect(e4m3.value(bits: 0x7F).isNaN)
        #expect(e4m3.value(bits: 0x01) == 0x1p-9)  // smallest subnormal
        #expect(e4m3.value(bits: 0xB8) == -1)
        #expect(FloatFormat.float8e4m3fnuz(saturate: true).value(bits: 0x80).isNaN)
        #expect(FloatFormat.float8e5m2(saturate: true).value(bits: 0x7C) == .infinity)
        #expect(FloatFormat.float16.value(bits: 0x7BFF) == 65504)
        #expect(FloatFormat.bfloat16.value(bits: 0x3F80) == 1)
        #expect(FloatFormat.float4e2m1.value(bits: 0x7) == 6)
        #expect(FloatFormat.float4e2m1.value(bits: 0xF) == -6)
        #expect(TensorProto.value(bits: 0x8, type: .int4) == -8)
        #expect(TensorProto.value(bits: 0x3, type: .int2) == -1)
        #expect(TensorProto.value(bits: 127, type: .float8e8m0) == 1)
    }

    @Test func integerCastsWrapOrTruncate() throws {
        let int8 = NumberFormat.integer(bits: 8, signed: true), uint4 = NumberFormat.integer(bits: 4, signed: false)
        #expect(try int8.convert(200, fromInteger: true) == -56)  // the ONNX spec's example
        #expect(try uint4.convert(17, fromInteger: true) == 1)
        #expect(try int8.convert(-3.9, fromInteger: false) == -3)
        #expect(try NumberFormat.integer(bits: 4, signed: true).convert(-9, fromInteger: false) == 0)  // out of range
        // float8e8m0, round up with saturation (the wheel's test_cast_e8m0_FLOAT_to_FLOAT8E8M0).
        let e8m0 = NumberFormat.powerOfTwo(rounding: .up, saturate: true)
        #expect(try [0, 0.124, 0.25, 0.5, 1.1, 2, 4, 8].map { try e8m0.convert($0, fromInteger: false) }
                == [0x1p-127, 0.125, 0.25, 0.5, 2, 2, 4, 8])
        #expect(try NumberFormat.powerOfTwo(rounding: .nearest, saturate: true).convert(1.4, fromInteger: false) == 1)
        #expect(try NumberFormat.powerOfTwo(rounding: .down, saturate: true).convert(1.9, fromInteger: false) == 1)
    }

    func run(_ model: OnnxBuilder, _ input: [Double]) throws -> (float: [Double], fixed: [Double], bound: Double) {
        let graph = try ONNXImporter.importModel(bytes: model.bytes).graph
        let sample = ModelInput(tensors: [input.map { InputValue.float($0) }])
        let float = try Inference.runFloat(graph, input: sample).outputs[0]
        let quantized = try QuantizedModel(graph, settings: .default)
        let fixed = try Inference.runFixed(quantized, input: sample).outputs[0]
        let report = try Inference.errorReport(quantized, input: sample)
        #expect(report.withinBounds)
        return (float, fixed, report.outputs.map(\.bound).max() ?? 0)
    }

    @Test func castToNarrowTypesInBothPaths() throws {
        // float → int4 (truncation, 0 out of range), → float8e4m3fn (saturating), → float16, at opset 28.
        for (to, want) in [(Int64(22), [0, -8, 7, 0, 3, -2]), (17, [-9, -8, 7, 8, 3.75, -2.5]), (10, [-9, -8, 7, 8, 3.69921875, -2.5])] {
            var m = OnnxBuilder()
            m.opset = 28
            m.input("x", [1, 6])
            m.node("Cast", ["x"], ["y"], [("to", .int(to))])
            m.outputs = ["y"]
            let input = [-9, -8, 7, 8, 3.7, -2.5]
            let (float, fixed, bound) = try run(m, input)
            #expect(float == want, "to \(to)")
            for (f, w) in zip(fixed, want) { #expect(abs(f - w) <= bound + 1e-12, "to \(to)") }
        }
    }

    @Test func narrowInitializersAndInputsAreRead() throws {
        // An int4 input plus a packed int4 initializer [−8, 7, −1, 0] (bytes 0x78, 0x0F), wrapping at 4 bits.
        var m = OnnxBuilder()
        m.input("x", [1, 4])
        m.inputTypes["x"] = 22
        m.raw("c", [4], type: 22, [0x78, 0x0F])
        m.node("Add", ["x", "c"], ["y"])
        m.outputs = ["y"]
        let (float, fixed, bound) = try run(m, [1, 1, -8, 3])
        #expect(float == [-7, -8, 7, 3])  // 7 + 1 wraps to −8; −8 − 1 wraps to 7
        #expect(fixed == float)
        #expect(bound == 0)
    }

    /// y = op(x, c) for an integer [1, 4] input x and a constant c of its type: both paths give exactly `want`,
    /// with a zero error bound.
    func expectExact(_ op: String, _ attributes: [(String, AttributeValue)], type: Int64, constant: [Int64], opset: Int64,
                     _ input: [Double], _ want: [Double]) throws {
        var m = OnnxBuilder()
        m.opset = opset
        m.input("x", [1, 4])
        m.inputTypes["x"] = type
        m.raw("c", [1, 4], type: type, Self.littleEndian(constant, type: type))
        m.node(op, ["x", "c"], ["y"], attributes)
        m.outputs = ["y"]
        let (float, fixed, bound) = try run(m, input)
        #expect(float == want, "\(op) \(type)")
        #expect(fixed == want, "\(op) \(type)")
        #expect(bound == 0)
    }

    @Test func integerArithmeticIsExactAndWraps() throws {
        let cases: [(op: String, type: Int64, constant: [Int64], input: [Double], want: [Double])] = [
            ("Add", 2, [10, 10, 10, 10], [250, 3, 7, 100], [4, 13, 17, 110]),      // uint8 wraps at 256
            ("Sub", 2, [5, 5, 5, 5], [3, 5, 7, 255], [254, 0, 2, 250]),            // uint8 below zero wraps
            ("Mul", 3, [2, -3, 4, 100], [100, 5, -7, 3], [-56, -15, -28, 44]),       // int8 wraps
            ("Div", 6, [2, 2, -2, 3], [-7, 7, 7, -9], [-3, 3, -3, -3]),             // int32 truncates toward zero
            ("Max", 7, [0, 5, -5, 2], [-1, 9, -9, 2], [0, 9, -5, 2]),
            ("Min", 7, [0, 5, -5, 2], [-1, 9, -9, 2], [-1, 5, -9, 2]),
        ]
        for t in cases {
            try expectExact(t.op, [], type: t.type, constant: t.constant, opset: 14, t.input, t.want)
        }
        // Clip of an int8 tensor by constant bounds, and MaxPool of an integer tensor.
        var clip = OnnxBuilder()
        clip.input("x", [1, 4])
        clip.inputTypes["x"] = 3
        clip.raw("lo", [], type: 3, [0xFE])  // −2
        clip.raw("hi", [], type: 3, [0x03])
        clip.node("Clip", ["x", "lo", "hi"], ["y"])
        clip.outputs = ["y"]
        #expect(try run(clip, [-5, 0, 2, 9]).fixed == [-2, 0, 2, 3])
        var pool = OnnxBuilder()
        pool.input("x", [1, 1, 4])
        pool.inputTypes["x"] = 2
        pool.node("MaxPool", ["x"], ["y"], [("kernel_shape", .ints([2])), ("strides", .ints([2]))])
        pool.outputs = ["y"]
        #expect(try run(pool, [3, 200, 7, 1]).fixed == [200, 7])
    }

    /// Mod, BitShift and the Bitwise operators on integer tensors: numpy's answers (np.mod, np.fmod, <<, >>, &, |, ^,
    /// ~) worked by hand, and the opset-28 BitShift rule for shifts by a negative amount or the width or more.
    @Test func integerOnlyOperatorsFollowNumpy() throws {
        let cases: [(op: String, attributes: [(String, AttributeValue)], type: Int64, constant: [Int64], input: [Double], want: [Double])] = [
            ("Mod", [], 7, [2, -3, 8, -2], [-4, 7, 5, 5], [0, -2, 5, -1]),                       // the divisor's sign
            ("Mod", [("fmod", .int(1))], 7, [3, -3, 8, -2], [-4, 7, -5, 5], [-1, 1, -5, 1]),     // the dividend's sign
            ("BitShift", [("direction", .string("LEFT"))], 3, [1, 2, 8, -1], [16, 100, 3, 3], [32, -112, 0, 0]),
            ("BitShift", [("direction", .string("RIGHT"))], 3, [1, 2, 8, 9], [16, -100, -3, 3], [8, -25, -1, 0]),
            ("BitShift", [("direction", .string("LEFT"))], 2, [1, 4, 7, 8], [200, 15, 1, 1], [144, 240, 128, 0]),  // uint8
            ("BitwiseAnd", [], 6, [12, -1, 7, 0], [10, 5, -8, 9], [8, 5, 0, 0]),
            ("BitwiseOr", [], 6, [12, -1, 7, 0], [10, 5, -8, 9], [14, -1, -1, 9]),
            ("BitwiseXor", [], 2, [12, 255, 7, 0], [10, 5, 248, 9], [6, 250, 255, 9]),
        ]
        for t in cases {
            try expectExact(t.op, t.attributes, type: t.type, constant: t.constant, opset: 28, t.input, t.want)
        }
        var not = OnnxBuilder()
        not.opset = 18
        not.input("x", [1, 4])
        not.inputTypes["x"] = 2  // uint8
        not.node("BitwiseNot", ["x"], ["y"])
        not.outputs = ["y"]
        #expect(try run(not, [0, 5, 255, 128]).fixed == [255, 250, 0, 127])
    }

    @Test func integerArithmeticRefusesAFractionalConstant() {
        var m = OnnxBuilder()
        m.input("x", [1, 2])
        m.inputTypes["x"] = 3
        m.floats("c", [2], [0.5, 1])
        m.node("Add", ["x", "c"], ["y"])
        m.outputs = ["y"]
        #expect(throws: ONNXImportError.self) { try ONNXImporter.importModel(bytes: m.bytes) }
    }

    static func littleEndian(_ values: [Int64], type: Int64) -> [UInt8] {
        let width = [2: 1, 3: 1, 6: 4, 7: 8][type]!
        return values.flatMap { v in (0..<width).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    }

    @Test func opsetsBeyond25AreCheckedPerOperator() throws {
        #expect(SupportedOperators.versionProblem(op: "Relu", opset: 28) == nil)
        #expect(SupportedOperators.versionProblem(op: "Cast", opset: 28) == nil)
        #expect(SupportedOperators.versionProblem(op: "Range", opset: 27) == nil)
        #expect(SupportedOperators.versionProblem(op: "Einsum", opset: 25) == nil)
        #expect(SupportedOperators.versionProblem(op: "Einsum", opset: 27) == nil)
        // Einsum 28 only added bfloat16 (onnx 1.23: the schema text is unchanged), so it is read as before.
        #expect(SupportedOperators.versionProblem(op: "Einsum", opset: 28) == nil)
        #expect(SupportedOperators.versionProblem(op: "ReverseSequence", opset: 28)?.contains("ReverseSequence changed in opset 28") == true)
        #expect(SupportedOperators.versionProblem(op: "ReverseSequence", opset: 27) == nil)
    }

    @Test func resizeLinearMatchesTheSpecExample() throws {
        // The ONNX operator documentation's upsample_scales_linear (half_pixel): [[1, 2], [3, 4]] at scales 2×2.
        var m = OnnxBuilder()
        m.input("x", [1, 1, 2, 2])
        m.floats("scales", [4], [1, 1, 2, 2])
        m.node("Resize", ["x", "", "scales"], ["y"], [("mode", .string("linear"))])
        m.outputs = ["y"]
        let want = [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]
        let (float, fixed, bound) = try run(m, [1, 2, 3, 4])
        #expect(float == want)
        for (f, w) in zip(fixed, want) { #expect(abs(f - w) <= bound) }
        // align_corners: the corners stay, the rest on thirds.
        m.nodes[0].attributes.append(("coordinate_transformation_mode", .string("align_corners")))
        let corners = try run(m, [1, 2, 3, 4]).float
        for (f, w) in zip(corners, [1, 4.0 / 3, 5.0 / 3, 2]) { #expect(abs(f - w) < 1e-12) }
    }

    @Test func threeDimensionalPoolsAreSeparable() throws {
        for op in ["MaxPool", "AveragePool"] {
            // x[d][h][w] = 1…12 row-major over [2, 2, 3]; one 2×2×2 window (stride 2 along w).
            var m = OnnxBuilder()
            m.input("x", [1, 1, 2, 2, 3])
            m.node(op, ["x"], ["y"], [("kernel_shape", .ints([2, 2, 2])), ("strides", .ints([1, 1, 2]))])
            m.outputs = ["y"]
            let (float, fixed, bound) = try run(m, (1...12).map(Double.init))
            let x = (1...12).map(Double.init)
            func at(_ d: Int, _ h: Int, _ w: Int) -> Double { x[d * 6 + h * 3 + w] }
            let box = (0..<2).flatMap { d in (0..<2).flatMap { h in (0..<2).map { w in at(d, h, w) } } }
            let expected = op == "MaxPool" ? box.max()! : box.reduce(0, +) / 8
            #expect(float == [expected])
            #expect(abs(fixed[0] - expected) <= bound)
        }
    }

    @Test func matMulByBatchedAndVectorWeights() throws {
        // x [2, 1, 2] · W [2, 2, 1]: per batch [1, 2]·[1, 2]ᵀ = 5 and [3, 4]·[3, 4]ᵀ = 25.
        var m = OnnxBuilder()
        m.input("x", [2, 1, 2])
        m.floats("w", [2, 2, 1], [1, 2, 3, 4])
        m.node("MatMul", ["x", "w"], ["y"])
        m.outputs = ["y"]
        let (float, fixed, bound) = try run(m, [1, 2, 3, 4])
        #expect(float == [5, 25])
        for (f, w) in zip(fixed, [5.0, 25]) { #expect(abs(f - w) <= bound) }
        // x [2, 3] · w [3] → [2].
        var v = OnnxBuilder()
        v.input("x", [2, 3])
        v.floats("w", [3], [1, -1, 0.5])
        v.node("MatMul", ["x", "w"], ["y"])
        v.outputs = ["y"]
        #expect(try run(v, [1, 2, 3, 4, 5, 6]).float == [0.5, 2])
    }
}
