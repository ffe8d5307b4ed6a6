extension NormalizationOp {
    public func evaluateFloat(_ inputs: [Tensor], outputShape: [Int]) throws -> [Double] {
        let x = inputs[0]
        switch self {
        case .channelAffine(let affine):
            let inner = x.shape.dropFirst(2).reduce(1, *)
            let channels = x.shape[1]
            return x.values.indices.map { i in
                let c = (i / inner) % channels
                return x.values[i] * affine.scale.values[c] + affine.shift.values[c]
            }
        case .softmax:
            let values = x.values
            let n = outputShape.last!
            var y = [Double](repeating: 0, count: values.count)
            for row in 0..<(values.count / n) {
                let m = values[row * n..<(row + 1) * n].max()!
                var total = 0.0
                for j in 0..<n { y[row * n + j] = libm.exp(values[row * n + j] - m); total += y[row * n + j] }
                for j in 0..<n { y[row * n + j] /= total }
            }
            return y
        }
    }
}
