extension Linear {
    public func evaluateFloat(_ inputs: [Tensor], outputShape: [Int]) throws -> [Double] {
        let x = inputs[0].values
        let n = outputs, k = self.inputs
        let rows = x.count / max(k, 1)
        var y = [Double](repeating: 0, count: rows * n)
        weight.values.withUnsafeBufferPointer { wp in
            x.withUnsafeBufferPointer { xp in
                for r in 0..<rows {
                    for o in 0..<n {
                        let dot = k == 0 ? 0 : DotProduct.dot(wp.baseAddress! + o * k, xp.baseAddress! + r * k, count: k)
                        y[r * n + o] = (bias?.values[o] ?? 0) + dot
                    }
                }
            }
        }
        return y
    }
}
