/// Normalisations: a stand-alone BatchNormalization (channel affine) and Softmax.
public enum NormalizationOp: Sendable, Equatable, OperatorFamily {
    /// y[:, c, ...] = x[:, c, ...]·scale[c] + shift[c]: a BatchNormalization with nothing to fold into.
    case channelAffine(ChannelAffine)
    /// Softmax over the last axis.
    case softmax

    public var name: String {
        switch self {
        case .channelAffine: return "ChannelAffine"
        case .softmax: return "Softmax"
        }
    }

    public var parameterCount: Int {
        switch self {
        case .channelAffine(let a): return a.scale.count + a.shift.count
        case .softmax: return 0
        }
    }

    public func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        try requireArity(shapes, 1)
        let x = shapes[0]
        switch self {
        case .channelAffine(let affine):
            guard x.count >= 2, x[1] == affine.scale.count else {
                throw ModelGraphError.shapeMismatch("input \(Shape.describe(x)) does not have \(affine.scale.count) channels on axis 1")
            }
        case .softmax:
            guard let last = x.last, last > 0 else {
                throw ModelGraphError.shapeMismatch("Softmax needs a non-empty last axis, got \(Shape.describe(x))")
            }
        }
        return x
    }
}

extension LayerOperation {
    public static func channelAffine(_ a: ChannelAffine) -> LayerOperation { .normalization(.channelAffine(a)) }
    public static let softmax = LayerOperation.normalization(.softmax)
}

public struct ChannelAffine: Sendable, Equatable {
    public var scale: Tensor
    public var shift: Tensor

    public init(scale: Tensor, shift: Tensor) throws {
        guard scale.shape.count == 1, scale.shape == shift.shape else {
            throw ModelGraphError.invalidTensor("channel affine needs [C] scale and shift")
        }
        self.scale = scale
        self.shift = shift
    }
}
