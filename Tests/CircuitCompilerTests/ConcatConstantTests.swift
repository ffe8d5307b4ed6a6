import ConstraintSystem
import DirectInference
import FieldArithmetic
import ModelGraph
import Quantization
import Testing

@testable import CircuitCompiler

/// A Concat with a constant operand (docs/fixed-point.md §5): the constant's elements are Q_s(c), the
/// direct path and the circuit agree on them, and they are fixed by the circuit (in the fold's constants),
/// so a prover cannot choose them. Before, the direct path trapped on the constant's missing values.
struct ConcatConstantTests {
    /// x [1, 3] → concat(k [1, 2], x) → linear (5 → 2), output; and the concatenation as a second output.
    static func graph(constant: [Double]) throws -> ModelGraph {
        var b = GraphBuilder()
        let x = try b.addInput("x", shape: [1, 3])
        let k = try b.addConstant("k", try Tensor(shape: [1, 2], values: constant))
        let cat = try b.addNode(name: "cat", sourceOp: "Concat", operation: .concat(axis: 1), inputs: [k, x], outputName: "cat.out")
        let fc = try Linear(weight: Tensor(shape: [2, 5], values: [0.5, -1, 0.25, 2, 1, 1, 1, -0.5, 0, 0.75]), bias: nil)
        let y = try b.addNode(name: "fc", sourceOp: "Gemm", operation: .linear(fc), inputs: [cat], outputName: "y")
        try b.markOutput(y)
        try b.markOutput(cat)
        return try b.build()
    }

    @Test func directPathUsesTheQuantizedConstantAndTheCircuitAgrees() throws {
        let graph = try Self.graph(constant: [0.3, -1.1])
        let input: [[Int64]] = [[65536, -32768, 7]]
        let c = try Compiled(graph, input: input)
        let k = [FixedPoint.quantize(0.3, scale: 16)!, FixedPoint.quantize(-1.1, scale: 16)!]
        #expect(c.trace.values[graph.outputs[1]] == k + input[0])
        let failures = c.check(try c.witness())
        #expect(failures.isEmpty, "\(failures.prefix(3))")

        // The error bound of a constant element is its own rounding.
        let floatValues = try FloatEvaluator.run(graph, inputs: [try Tensor(shape: [1, 3], values: input[0].map { Double($0) / 65536 })])
        let bounds = ErrorBound.predict(c.model, floatValues: floatValues)
        #expect(abs(bounds[graph.outputs[1]][0] - abs(Double(k[0]) / 65536 - 0.3)) < 1e-15)
    }

    @Test func theConstantIsFixedByTheCircuit() throws {
        // A witness for one constant does not satisfy the circuit compiled with another.
        let input: [[Int64]] = [[1000, 2000, 3000]]
        let honest = try Compiled(try Self.graph(constant: [0.3, -1.1]), input: input)
        let other = try Compiled(try Self.graph(constant: [0.3, -1.0]), input: input)
        #expect(other.check(try other.witness()).isEmpty)
        let failures = ConstraintChecker.check(other.compiled.circuit, try honest.witness())
        #expect(!failures.isEmpty)
    }
}
