import Testing
import ModelGraph
@testable import Quantization

struct QuantizedModelTests {
    func linearGraph(weight: [Double], bias: [Double], k: Int) throws -> ModelGraph {
        var builder = GraphBuilder()
        let x = try builder.addInput("x", shape: [1, k])
        let n = weight.count / k
        let linear = try Linear(weight: Tensor(shape: [n, k], values: weight), bias: Tensor(shape: [n], values: bias))
        let y = try builder.addNode(name: "fc", sourceOp: "Gemm", operation: .linear(linear), inputs: [x], outputName: "y")
        try builder.markOutput(y)
        return try builder.build()
    }

    @Test func weightsAtParameterScaleBiasAtSumOfScales() throws {
        let graph = try linearGraph(weight: [0.75, -0.375], bias: [0.3], k: 2)
        let model = try QuantizedModel(graph, settings: QuantizationSettings(activationScale: 4, parameterScale: 3, activationBits: 16))
        #expect(model.nodes[0].weights == [6, -3])
        #expect(model.nodes[0].bias == [FixedPoint.quantize(0.3, scale: 7)!])  // 38.4 → 38
        #expect(model.nodes[0].shift == 3)
        #expect(model.nodes[0].accumulatorFitsStatically)
    }

    @Test func hugeWeightsLoseTheStaticGuaranteeOrAreRejected() throws {
        let graph = try linearGraph(weight: [Double](repeating: 1e6, count: 64), bias: [0], k: 64)
        let model = try QuantizedModel(graph, settings: QuantizationSettings(activationScale: 16, parameterScale: 30, activationBits: 32))
        #expect(!model.nodes[0].accumulatorFitsStatically)
        let tooBig = try linearGraph(weight: [1e12], bias: [0], k: 1)
        #expect(throws: QuantizationError.self) {
            try QuantizedModel(tooBig, settings: QuantizationSettings(activationScale: 16, parameterScale: 30, activationBits: 32))
        }
    }
}
