/// Gemm and MatMul by a constant, normalised to a `[N, K]` weight over the last axis of the input.
public struct Linear: Sendable, Equatable, OperatorFamily {
    /// [N, K]
    public var weight: Tensor
    /// [N] or nil
    public var bias: Tensor?

    public init(weight: Tensor, bias: Tensor?) throws {
        guard weight.shape.count == 2 else {
            throw ModelGraphError.invalidTensor("linear weight must be [N, K], got \(Shape.describe(weight.shape))")
        }
        if let bias, bias.shape != [weight.shape[0]] {
            throw ModelGraphError.invalidTensor("linear bias must be [\(weight.shape[0])], got \(Shape.describe(bias.shape))")
        }
        self.weight = weight
        self.bias = bias
    }

    public var outputs: Int { weight.shape[0] }
    public var inputs: Int { weight.shape[1] }

    public var name: String { "Linear" }
    public var parameterCount: Int { weight.count + (bias?.count ?? 0) }

    /// Any leading dimensions: [..., K] → [..., N].
    public func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        try requireArity(shapes, 1)
        let x = shapes[0]
        guard let last = x.last, last == inputs else {
            throw ModelGraphError.shapeMismatch("input \(Shape.describe(x)) does not end in the weight's \(inputs) input features")
        }
        return x.dropLast() + [outputs]
    }
}
