extension ArithmeticOp {
    public func evaluateFloat(_ inputs: [Tensor], outputShape: [Int]) throws -> [Double] {
        switch self {
        case .add: return FloatEvaluator.broadcastBinary(inputs, outputShape, +)
        case .sub: return FloatEvaluator.broadcastBinary(inputs, outputShape, -)
        case .mul: return FloatEvaluator.broadcastBinary(inputs, outputShape, *)
        case .div: return FloatEvaluator.broadcastBinary(inputs, outputShape, /)
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
