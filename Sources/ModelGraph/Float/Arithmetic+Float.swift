extension ArithmeticOp {
    public func evaluateFloat(_ inputs: [Tensor], outputShape: [Int]) throws -> [Double] {
        switch self {
        case .add: return FloatEvaluator.broadcastBinary(inputs, outputShape, +)
        case .sub: return FloatEvaluator.broadcastBinary(inputs, outputShape, -)
        case .mul: return FloatEvaluator.broadcastBinary(inputs, outputShape, *)
        case .div: return FloatEvaluator.broadcastBinary(inputs, outputShape, /)
        case .matMul:
            let geometry = try MatMulGeometry(inputs[0].shape, inputs[1].shape)
            let a = inputs[0].values, b = inputs[1].values
            let (m, k, n) = (geometry.m, geometry.k, geometry.n)
            var result = [Double](repeating: 0, count: outputShape.reduce(1, *))
            for (batch, (ao, bo)) in zip(geometry.aOffsets, geometry.bOffsets).enumerated() {
                for i in 0..<m {
                    for j in 0..<n {
                        var total = 0.0
                        for t in 0..<k { total += a[ao + i * k + t] * b[bo + t * n + j] }
                        result[(batch * m + i) * n + j] = total
                    }
                }
            }
            return result
        case .sum:
            let count = outputShape.reduce(1, *)
            var result = [Double](repeating: 0, count: count)
            for input in inputs {
                let map = Shape.broadcastIndices(from: input.shape, to: outputShape)
                for i in 0..<count { result[i] += input.values[map[i]] }
            }
            return result
        }
    }
}
