import DirectInference
import ModelGraph
import Quantization
import Testing
@testable import ONNXImport

/// Einsum (docs/fixed-point.md §6c) on the forms attention exporters emit and the node test cases use (those are
/// opset 28, beyond the accepted opsets, so the conformance harness cannot run them): each checked against values
/// computed here, in both paths, including a product of two computed tensors (x·xᵀ).
struct EinsumFormTests {
    let forms = NodeFormTests()

    func model(_ equation: String, _ shape: [Int64], constant: (dims: [Int64], values: [Float])? = nil,
               transposedSecond: Bool = false) -> OnnxBuilder {
        var m = OnnxBuilder()
        m.opset = 20
        m.input("x", shape)
        var inputs = ["x"]
        if let constant {
            m.floats("w", constant.dims, constant.values)
            inputs.append("w")
        } else if transposedSecond {
            m.node("Transpose", ["x"], ["xt"], [("perm", .ints([0, 2, 1]))])
            inputs.append("xt")
        }
        m.node("Einsum", inputs, ["y"], [("equation", .string(equation))])
        m.outputs = ["y"]
        return m
    }

    @Test func oneOperandTransposeAndSum() throws {
        let x: [Double] = [1, -2, 3, 0.5, 4, -1]  // [[1, −2, 3], [0.5, 4, −1]]
        let (t, tf, tb, _) = try forms.run(model("ij->ji", [2, 3]), x)
        forms.expectClose(t, [1, 0.5, -2, 4, 3, -1], 1e-12)
        forms.expectClose(tf, [1, 0.5, -2, 4, 3, -1], tb)
        let (s, sf, sb, _) = try forms.run(model("i j -> i", [2, 3]), x)
        forms.expectClose(s, [2, 3.5], 1e-12)
        forms.expectClose(sf, [2, 3.5], sb)
    }

    @Test func innerProductWithAConstantAndImplicitOutput() throws {
        let x: [Double] = [0.5, -1, 2]
        let (y, fixed, bound, graph) = try forms.run(model("i,i", [3], constant: ([3], [2, 0.25, -1])), x)
        forms.expectClose(y, [1 - 0.25 - 2], 1e-9)
        forms.expectClose(fixed, [-1.25], bound)
        #expect(graph.values[graph.outputs[0]].shape == [])
    }

    @Test func batchedProductOfTwoComputedTensors() throws {
        // x [2, 2, 3]; y[b] = x[b]·x[b]ᵀ, both operands computed (attention's QKᵀ form).
        let x: [Double] = [1, 2, -1, 0.5, 0, 3, -2, 1, 1, 0.25, -0.5, 2]
        var want: [Double] = []
        for b in 0..<2 {
            for i in 0..<2 {
                for j in 0..<2 { want.append((0..<3).reduce(0) { $0 + x[b * 6 + i * 3 + $1] * x[b * 6 + j * 3 + $1] }) }
            }
        }
        let (y, fixed, bound, graph) = try forms.run(model("bij,bjk->bik", [2, 2, 3], transposedSecond: true), x)
        forms.expectClose(y, want, 1e-12)
        forms.expectClose(fixed, want, bound)
        #expect(graph.nodes.contains { $0.operation == .arithmetic(.matMul) })
    }

    @Test func ellipsisBroadcastsAgainstAConstantMatrix() throws {
        // "...ij,jk": x [2, 1, 2] times w [2, 3].
        let x: [Double] = [1, 2, -1, 0.5]
        let w: [Float] = [1, 0, 2, -1, 0.5, 0.25]
        var want: [Double] = []
        for b in 0..<2 { for k in 0..<3 { want.append(x[b * 2] * Double(w[k]) + x[b * 2 + 1] * Double(w[3 + k])) } }
        let (y, fixed, bound, graph) = try forms.run(model("...ij,jk", [2, 1, 2], constant: ([2, 3], w)), x)
        forms.expectClose(y, want, 1e-6)
        forms.expectClose(fixed, want, bound)
        #expect(graph.values[graph.outputs[0]].shape == [2, 1, 3])
    }
}

/// A repeated index within one operand takes that diagonal first (the wheel's test_einsum_batch_diagonal form).
struct EinsumDiagonalTests {
    let forms = NodeFormTests()

    @Test func diagonalsAndTraces() throws {
        let x: [Double] = [1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -2, -3, -4, -5, -6, -7, -8, -9]  // [2, 3, 3]
        let (d, df, db, _) = try forms.run(EinsumFormTests().model("bii->bi", [2, 3, 3]), x)
        forms.expectClose(d, [1, 5, 9, -1, -5, -9], 1e-12)
        forms.expectClose(df, [1, 5, 9, -1, -5, -9], db)
        let (t, tf, tb, _) = try forms.run(EinsumFormTests().model("bii", [2, 3, 3]), x)  // implicit output: the traces per b
        forms.expectClose(t, [15, -15], 1e-12)
        forms.expectClose(tf, [15, -15], tb)
    }
}
