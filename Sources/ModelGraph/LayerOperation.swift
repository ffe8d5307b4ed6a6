/// The operations of the model IR, already normalised by the importer: Gemm and MatMul become `linear`
/// with a `[N, K]` weight, constant attributes are resolved, and shapes are static.
/// Every case has one integer semantics in docs/fixed-point.md.
public enum LayerOperation: Sendable, Equatable {
    /// y[..., n] = Σ_k x[..., k]·weight[n, k] + bias[n] over the last axis (Gemm, MatMul by a constant).
    case linear(Linear)
    /// 2-D convolution, NCHW, groups = 1.
    case conv(Convolution)
    /// y[:, c, ...] = x[:, c, ...]·scale[c] + shift[c]: a BatchNormalization with nothing to fold into.
    case channelAffine(ChannelAffine)
    case averagePool(Pooling)
    case maxPool(Pooling)
    /// Mean over all spatial positions of each channel: [N, C, H, W] → [N, C, 1, 1].
    case globalAveragePool
    /// Elementwise with numpy broadcasting; either operand may be a constant value.
    case add, sub, mul
    /// Division by a constant (the second input must be constant).
    case div
    /// Elementwise sum of any number of inputs (broadcasting).
    case sum
    case relu
    case leakyRelu(alpha: Double)
    /// Clamp to [lower, upper]; nil means unbounded on that side.
    case clip(lower: Double?, upper: Double?)
    case sigmoid
    case tanh
    /// Softmax over the last axis.
    case softmax
    /// Pure data movement: the element order of the output is a fixed permutation of the inputs'.
    case reshape([Int])
    case transpose([Int])
    case concat(axis: Int)

    /// Short name used in messages and statistics.
    public var name: String {
        switch self {
        case .linear: return "Linear"
        case .conv: return "Conv"
        case .channelAffine: return "ChannelAffine"
        case .averagePool: return "AveragePool"
        case .maxPool: return "MaxPool"
        case .globalAveragePool: return "GlobalAveragePool"
        case .add: return "Add"
        case .sub: return "Sub"
        case .mul: return "Mul"
        case .div: return "Div"
        case .sum: return "Sum"
        case .relu: return "Relu"
        case .leakyRelu: return "LeakyRelu"
        case .clip: return "Clip"
        case .sigmoid: return "Sigmoid"
        case .tanh: return "Tanh"
        case .softmax: return "Softmax"
        case .reshape: return "Reshape"
        case .transpose: return "Transpose"
        case .concat: return "Concat"
        }
    }

    /// Number of learned parameters carried by the operation itself.
    public var parameterCount: Int {
        switch self {
        case .linear(let l): return l.weight.count + (l.bias?.count ?? 0)
        case .conv(let c): return c.weight.count + (c.bias?.count ?? 0)
        case .channelAffine(let a): return a.scale.count + a.shift.count
        default: return 0
        }
    }
}

public struct Linear: Sendable, Equatable {
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
}

public struct Convolution: Sendable, Equatable {
    /// [M, C, kH, kW]
    public var weight: Tensor
    /// [M] or nil
    public var bias: Tensor?
    /// [sH, sW], each ≥ 1
    public var strides: [Int]
    /// [top, left, bottom, right], each ≥ 0
    public var pads: [Int]
    /// [dH, dW], each ≥ 1
    public var dilations: [Int]

    public init(weight: Tensor, bias: Tensor?, strides: [Int], pads: [Int], dilations: [Int]) throws {
        guard weight.shape.count == 4 else {
            throw ModelGraphError.invalidTensor("conv weight must be [M, C, kH, kW], got \(Shape.describe(weight.shape))")
        }
        if let bias, bias.shape != [weight.shape[0]] {
            throw ModelGraphError.invalidTensor("conv bias must be [\(weight.shape[0])], got \(Shape.describe(bias.shape))")
        }
        try Pooling.checkWindow(strides: strides, pads: pads, dilations: dilations)
        self.weight = weight
        self.bias = bias
        self.strides = strides
        self.pads = pads
        self.dilations = dilations
    }

    public var kernel: [Int] { [weight.shape[2], weight.shape[3]] }
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

/// A 2-D pooling window over NCHW input.
public struct Pooling: Sendable, Equatable {
    public var kernel: [Int]
    public var strides: [Int]
    /// [top, left, bottom, right]
    public var pads: [Int]
    /// AveragePool only: whether padded positions count in the divisor.
    public var countIncludePad: Bool

    public init(kernel: [Int], strides: [Int], pads: [Int], countIncludePad: Bool = false) throws {
        guard kernel.count == 2, kernel.allSatisfy({ $0 >= 1 }) else {
            throw ModelGraphError.invalidTensor("pool kernel must be two positive sizes, got \(Shape.describe(kernel))")
        }
        try Pooling.checkWindow(strides: strides, pads: pads, dilations: [1, 1])
        guard pads[0] < kernel[0], pads[2] < kernel[0], pads[1] < kernel[1], pads[3] < kernel[1] else {
            throw ModelGraphError.invalidTensor("pool padding must be smaller than the kernel")
        }
        self.kernel = kernel
        self.strides = strides
        self.pads = pads
        self.countIncludePad = countIncludePad
    }

    static func checkWindow(strides: [Int], pads: [Int], dilations: [Int]) throws {
        guard strides.count == 2, strides.allSatisfy({ $0 >= 1 && $0 <= 1 << 16 }) else {
            throw ModelGraphError.invalidTensor("strides must be two sizes in 1...65536, got \(Shape.describe(strides))")
        }
        guard pads.count == 4, pads.allSatisfy({ $0 >= 0 && $0 <= 1 << 16 }) else {
            throw ModelGraphError.invalidTensor("pads must be four sizes in 0...65536, got \(Shape.describe(pads))")
        }
        guard dilations.count == 2, dilations.allSatisfy({ $0 >= 1 && $0 <= 1 << 16 }) else {
            throw ModelGraphError.invalidTensor("dilations must be two sizes in 1...65536, got \(Shape.describe(dilations))")
        }
    }
}
