import DirectInference
import Foundation
import ModelGraph
import Quantization
import Testing

/// The integer semantics of the transformer op set (docs/fixed-point.md §6a–§6c) at the default settings: exact
/// roots and quotients checked by their defining inequalities, and every op's output within its predicted bound
/// of the real function over a sweep of inputs (the bound itself is what `zkinfer run` reports).
struct TransformerOpTests {
    let settings = QuantizationSettings.default
    var s: Int { settings.activationScale }

    func run(_ op: LayerOperation, _ x: [Int64]) throws -> (out: [Int64], real: [Double], bound: [Double]) {
        let graph = try singleNodeGraph(op, inputs: [[x.count]])
        let model = try QuantizedModel(graph, settings: settings)
        let trace = try IntegerInterpreter(model).run(quantizedInputs: [x], trace: true)
        let input = try Tensor(shape: [x.count], values: x.map { FixedPoint.dequantize($0, scale: s) })
        let floats = try FloatEvaluator.run(graph, inputs: [input])
        let bounds = ErrorBound.predict(model, floatValues: floats)
        return (trace.values[graph.outputs[0]], floats[graph.outputs[0]].values, bounds[graph.outputs[0]])
    }

    /// A sweep of activations at scale 2^16: dense near 0, then geometric up to `limit` (real units).
    func sweep(from low: Double, to high: Double, count: Int = 4001) -> [Int64] {
        (0..<count).map { i in FixedPoint.quantize(low + (high - low) * Double(i) / Double(count - 1), scale: s)! }
    }

    /// Every element within its bound; and the worst error relative to max(1, |f|) below 1e−2.
    func expectWithinBounds(_ op: LayerOperation, _ x: [Int64], _ name: String) throws {
        let (out, real, bound) = try run(op, x)
        var worst = 0.0
        for i in 0..<x.count {
            let error = abs(FixedPoint.dequantize(out[i], scale: s) - real[i])
            worst = max(worst, error / max(1, abs(real[i])))
            #expect(error <= bound[i], "\(name)(\(FixedPoint.dequantize(x[i], scale: s))): error \(error) > bound \(bound[i])")
        }
        #expect(worst < 1e-2, "\(name): worst error \(worst)")
    }

    @Test func sqrtIsTheRoundedIntegerRoot() throws {
        let x: [Int64] = [0, 1, 2, 3, 4, 65535, 65536, 65537, 1 << 20, 123_456_789, (1 << 31) - 1]
        let (out, _, _) = try run(.activation(.sqrt), x)
        for (xi, yi) in zip(x, out) {
            let n = xi << Int64(s)  // y = round(√(x·2^s)): (2y − 1)² ≤ 4n ≤ (2y + 1)²
            #expect(yi == 0 ? n == 0 : (2 * yi - 1) * (2 * yi - 1) <= 4 * n && 4 * n < (2 * yi + 1) * (2 * yi + 1), "x = \(xi)")
        }
        #expect(out[4] == 512 && out[6] == 65536)  // √(4/65536) = 1/128; √1 = 1
        #expect(throws: QuantizationError.self) { try run(.activation(.sqrt), [-1]) }
    }

    @Test func reciprocalIsTheRoundedQuotient() throws {
        let x: [Int64] = [1 << 16, -(1 << 16), 3, -3, 7 << 16, 12345, 1 << 30]
        let (out, _, _) = try run(.activation(.reciprocal), x)
        for (xi, yi) in zip(x, out) {
            // |y·x − 2^32| ≤ |x|/2: the nearest integer quotient.
            #expect(abs(yi * xi - (1 << 32)) <= abs(xi) / 2 + 1, "x = \(xi)")
        }
        #expect(out[0] == 1 << 16 && out[1] == -(1 << 16))
        #expect(throws: QuantizationError.self) { try run(.activation(.reciprocal), [0]) }
        #expect(throws: QuantizationError.self) { try run(.activation(.reciprocal), [1]) }  // 2^32 is out of range
    }

    @Test func everyNewOpIsWithinItsPredictedBound() throws {
        try expectWithinBounds(.activation(.sqrt), sweep(from: 0, to: 200), "Sqrt")
        try expectWithinBounds(.activation(.reciprocal), sweep(from: 0.05, to: 100), "Reciprocal")
        try expectWithinBounds(.activation(.reciprocal), sweep(from: -100, to: -0.05), "Reciprocal")
        try expectWithinBounds(.activation(.exp), sweep(from: -30, to: 10), "Exp")
        try expectWithinBounds(.activation(.log), sweep(from: 0.001, to: 30000), "Log")
        try expectWithinBounds(.activation(.erf), sweep(from: -10, to: 10), "Erf")
        try expectWithinBounds(.activation(.normalCDF), sweep(from: -10, to: 10), "NormalCDF")
        try expectWithinBounds(.activation(.geluTanhGate), sweep(from: -10, to: 10), "GeluTanhGate")
    }

    @Test func expAndLogAreAccurate() throws {
        // The range-reduced Exp within 1e−4 relative plus one output unit; Log within 1e−3 plus the input's rounding.
        let x = sweep(from: -5, to: 10)
        let (e, real, _) = try run(.activation(.exp), x)
        for i in 0..<x.count {
            #expect(abs(FixedPoint.dequantize(e[i], scale: s) - real[i]) < 1e-4 * real[i] + 0x1p-16, "e^\(FixedPoint.dequantize(x[i], scale: s))")
        }
        let positive = sweep(from: 0.01, to: 20000)
        let (l, realLog, _) = try run(.activation(.log), positive)
        for i in 0..<positive.count {
            #expect(abs(FixedPoint.dequantize(l[i], scale: s) - realLog[i]) < 1e-3 + 2 / Double(positive[i]))
        }
        #expect(throws: QuantizationError.self) { try run(.activation(.log), [0]) }
        #expect(throws: QuantizationError.self) { try run(.activation(.exp), [11 << 16]) }  // e^11 > 2^15
    }

    @Test func reduceMaxMinAndActivationMatMul() throws {
        let reduction = Reduction(axes: [1], keepDims: false, mean: false)
        let graph = try singleNodeGraph(.pooling(.reduceExtremum(reduction, maximum: true)), inputs: [[2, 3]])
        let model = try QuantizedModel(graph, settings: settings)
        #expect(try IntegerInterpreter(model).run(quantizedInputs: [[5, -7, 2, -1, -9, -3]]).values[graph.outputs[0]] == [5, -1])
        let minimum = try singleNodeGraph(.pooling(.reduceExtremum(Reduction(axes: [0], keepDims: true, mean: false), maximum: false)), inputs: [[2, 3]])
        let minModel = try QuantizedModel(minimum, settings: settings)
        #expect(try IntegerInterpreter(minModel).run(quantizedInputs: [[5, -7, 2, -1, -9, -3]]).values[minimum.outputs[0]] == [-1, -9, -3])
        // [1, 2] × [2, 1] of two activations: R_s(Σ a·b) = R_16(1.5·2^16·2·2^16 + 0.25·2^16·4·2^16) = 4·2^16.
        let product = try singleNodeGraph(.arithmetic(.matMul), inputs: [[1, 2], [2, 1]])
        let productModel = try QuantizedModel(product, settings: settings)
        let out = try IntegerInterpreter(productModel).run(quantizedInputs: [[3 << 15, 1 << 14], [2 << 16, 4 << 16]]).values[product.outputs[0]]
        #expect(out == [4 << 16])
    }
}
