import DirectInference
import Foundation
import ModelGraph
import Quantization
import Testing
@testable import ONNXImport

/// Forms that used to be refused and are computed now (docs/fixed-point.md §5c): integer CumSum, reductions over an
/// empty set, the hyperbolic functions and Tan, RMSNormalization. Known answers computed here
/// (Foundation's libm), in both paths, the fixed-point result within its reported bound.
struct RefusalFixTests {
    let forms = NodeFormTests()

    func unary(_ op: String, _ shape: [Int64], opset: Int64 = 22, _ attributes: [(String, AttributeValue)] = [],
               _ extra: (inout OnnxBuilder) -> [String] = { _ in [] }) -> OnnxBuilder {
        var m = OnnxBuilder()
        m.opset = opset
        m.input("x", shape)
        m.node(op, ["x"] + extra(&m), ["y"], attributes)
        m.outputs = ["y"]
        return m
    }

    @Test func integerCumSumIsExact() throws {
        var m = unary("CumSum", [5], opset: 14, [("exclusive", .int(1))]) { $0.ints("a", [], [0]); return ["a"] }
        m.inputTypes["x"] = 6  // int32
        let (float, fixed, bound, _) = try forms.run(m, [1, 2, 3, 4, 5])
        #expect(float == [0, 1, 3, 6, 10])
        #expect(fixed == [0, 1, 3, 6, 10])
        #expect(bound == 0)
        var r = unary("CumSum", [2, 3], opset: 14, [("reverse", .int(1))]) { $0.ints("a", [], [0]); return ["a"] }
        r.inputTypes["x"] = 6
        let (rf, rx, _, _) = try forms.run(r, [1, 2, 3, 4, 5, 6])
        #expect(rf == [5, 7, 9, 4, 5, 6])
        #expect(rx == [5, 7, 9, 4, 5, 6])
    }

    @Test func reductionsOverAnEmptySet() throws {
        for (op, want) in [("ReduceL1", 0.0), ("ReduceL2", 0), ("ReduceSumSquare", 0), ("ReduceProd", 1)] {
            let m = unary(op, [2, 0, 4], opset: 13, [("axes", .ints([1]))])
            let (float, fixed, bound, _) = try forms.run(m, [])
            #expect(float == [Double](repeating: want, count: 8), "\(op)")
            #expect(fixed == [Double](repeating: want, count: 8), "\(op)")
            #expect(bound == 0, "\(op)")
        }
        #expect(throws: (any Error).self) { try ONNXImporter.importModel(bytes: unary("ReduceLogSum", [2, 0, 4], opset: 13, [("axes", .ints([1]))]).bytes) }
    }

    @Test func hyperbolicFunctionsAndTan() throws {
        let x: [Double] = [-2.5, -1, -0.25, 0, 0.5, 1.25, 2.25]
        let unit: [Double] = [-0.9, -0.5, 0, 0.3, 0.75, 0.95]
        let cases: [(String, [Double], (Double) -> Double)] = [
            ("Sinh", x, Foundation.sinh), ("Cosh", x, Foundation.cosh), ("Asinh", x, Foundation.asinh), ("Tan", x, Foundation.tan),
            ("Acosh", [1, 1.5, 2, 4, 9.5], Foundation.acosh), ("Atanh", unit, Foundation.atanh),
        ]
        for (op, input, f) in cases {
            let (float, fixed, bound, _) = try forms.run(unary(op, [Int64(input.count)]), input)
            let want = input.map(f)
            forms.expectClose(float, want, 1e-9 * 100)
            forms.expectClose(fixed, want, bound + 1e-9)
            #expect(bound < 0.05, "\(op): bound \(bound)")
        }
    }

    @Test func rmsNormalization() throws {
        let x: [Double] = [1, -2, 3, 0.5, 4, -1]  // [2, 3]
        let scale: [Float] = [1, 0.5, -2]
        let rms = unary("RMSNormalization", [2, 3], opset: 23, [("epsilon", .float(0.1))]) { $0.floats("s", [3], scale); return ["s"] }
        var want: [Double] = []
        for row in 0..<2 {
            let r = x[(3 * row)..<(3 * row + 3)]
            let inverse = 1 / (r.map { $0 * $0 }.reduce(0, +) / 3 + Double(Float(0.1))).squareRoot()
            want += zip(r, scale).map { $0 * inverse * Double($1) }
        }
        let (float, fixed, bound, _) = try forms.run(rms, x)
        forms.expectClose(float, want, 1e-6)
        forms.expectClose(fixed, want, bound + 1e-9)
    }

    @Test func malformedNormalizationsAreRefused() {
        NewerOperatorHostileTests.expectMalformed(
            unary("RMSNormalization", [2, 3], opset: 23) { $0.floats("s", [4], [1, 1, 1, 1]); return ["s"] }.bytes, "RMSNormalization scale [4]")
    }
}
