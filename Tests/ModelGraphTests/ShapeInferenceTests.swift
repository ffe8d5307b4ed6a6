import Testing
@testable import ModelGraph

struct ShapeInferenceTests {
    func tensor(_ shape: [Int], _ fill: Double = 1) throws -> Tensor {
        try Tensor(shape: shape, values: [Double](repeating: fill, count: shape.reduce(1, *)))
    }

    @Test func convOutputSizeFollowsTheOnnxFormula() throws {
        // H: (9 + 1 + 1 − ((3−1)·2 + 1)) / 1 + 1 = 7; W: (8 + 2 + 0 − 3) / 2 + 1 = 4.
        let conv = try Convolution(weight: tensor([4, 2, 3, 3]), bias: nil, strides: [1, 2], pads: [1, 2, 1, 0], dilations: [2, 1])
        #expect(try ShapeInference.outputShape(of: .conv(conv), inputs: [[1, 2, 9, 8]]) == [1, 4, 7, 4])
        #expect(throws: ModelGraphError.self) { try ShapeInference.outputShape(of: .conv(conv), inputs: [[1, 3, 9, 8]]) }
        #expect(throws: ModelGraphError.self) { try ShapeInference.outputShape(of: .conv(conv), inputs: [[1, 2, 2, 2]]) }
    }

    @Test func broadcastingAndItsErrors() throws {
        #expect(try Shape.broadcast([1, 4], [4]) == [1, 4])
        #expect(try Shape.broadcast([3, 1], [1, 5]) == [3, 5])
        #expect(throws: ModelGraphError.self) { try Shape.broadcast([3], [4]) }
        // Each output element reads the right source under broadcasting.
        #expect(Shape.broadcastIndices(from: [3, 1], to: [3, 2]) == [0, 0, 1, 1, 2, 2])
        #expect(Shape.broadcastIndices(from: [2], to: [3, 2]) == [0, 1, 0, 1, 0, 1])
    }

    @Test func reshapeTransposeConcatChecks() throws {
        #expect(try ShapeInference.outputShape(of: .reshape([2, 6]), inputs: [[3, 4]]) == [2, 6])
        #expect(throws: ModelGraphError.self) { try ShapeInference.outputShape(of: .reshape([5, 2]), inputs: [[3, 4]]) }
        #expect(try ShapeInference.outputShape(of: .transpose([1, 0, 2]), inputs: [[2, 3, 4]]) == [3, 2, 4])
        #expect(throws: ModelGraphError.self) { try ShapeInference.outputShape(of: .transpose([0, 0, 1]), inputs: [[2, 3, 4]]) }
        #expect(try ShapeInference.outputShape(of: .concat(axis: 1), inputs: [[1, 2], [1, 3]]) == [1, 5])
        #expect(throws: ModelGraphError.self) { try ShapeInference.outputShape(of: .concat(axis: 1), inputs: [[1, 2], [2, 3]]) }
    }

    @Test func transposeMapMatchesNaiveIndexing() {
        let shape = [2, 3, 4], perm = [2, 0, 1]
        let map = Layout.transposeSource(shape: shape, perm: perm)
        var expected: [Int] = []
        for k in 0..<4 { for i in 0..<2 { for j in 0..<3 { expected.append(i * 12 + j * 4 + k) } } }
        #expect(map == expected)
    }

    @Test func builderRejectsBadGraphs() throws {
        var builder = GraphBuilder()
        let x = try builder.addInput("x", shape: [1, 4])
        #expect(throws: ModelGraphError.self) { try builder.addInput("x", shape: [1, 4]) }
        let linear = try Linear(weight: tensor([3, 5]), bias: nil)
        #expect(throws: ModelGraphError.self) {
            try builder.addNode(name: "fc", sourceOp: "Gemm", operation: .linear(linear), inputs: [x], outputName: "y")
        }
        let c = try builder.addConstant("c", tensor([1, 4]))
        #expect(throws: ModelGraphError.self) {
            try builder.addNode(name: "d", sourceOp: "Div", operation: .div, inputs: [c, x], outputName: "q")
        }
        // Element counts are bounded before anything is allocated from a shape.
        #expect(throws: ModelGraphError.self) { try Shape.elementCount([1 << 20, 1 << 20]) }
        #expect(throws: ModelGraphError.self) { try builder.build() }  // no outputs yet
    }

    @Test func floatEvaluatorAveragePoolExcludesPadding() throws {
        // 2×2 input, 2×2 window, pads top/left 1: corner windows see 1, 2 or 4 inputs.
        let pool = try Pooling(kernel: [2, 2], strides: [1, 1], pads: [1, 1, 0, 0])
        let x = try Tensor(shape: [1, 1, 2, 2], values: [1, 2, 3, 4])
        let y = try FloatEvaluator.evaluate(.averagePool(pool), inputs: [x], outputShape: [1, 1, 2, 2])
        #expect(y == [1, 1.5, 2, 2.5])
        let m = try FloatEvaluator.evaluate(.maxPool(pool), inputs: [x], outputShape: [1, 1, 2, 2])
        #expect(m == [1, 2, 3, 4])
    }
}
