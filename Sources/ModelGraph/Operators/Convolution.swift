/// The convolution family.
public enum ConvolutionOp: Sendable, Equatable, OperatorFamily {
    case conv(Convolution)

    public var name: String {
        switch self {
        case .conv: return "Conv"
        }
    }

    public var parameterCount: Int {
        switch self {
        case .conv(let c): return c.weight.count + (c.bias?.count ?? 0)
        }
    }

    public func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        try requireArity(shapes, 1)
        switch self {
        case .conv(let conv): return try conv.outputShape(shapes[0])
        }
    }
}

extension LayerOperation {
    public static func conv(_ c: Convolution) -> LayerOperation { .convolution(.conv(c)) }
}

/// 2-D convolution, NCHW, groups = 1.
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

    /// The window geometry over an input of `inputShape` producing `outputShape`.
    public func window(input inputShape: [Int], output outputShape: [Int]) -> Layout.Window {
        Layout.Window(input: inputShape, output: outputShape, kernel: kernel, strides: strides, pads: pads, dilations: dilations)
    }

    func outputShape(_ x: [Int]) throws -> [Int] {
        guard x.count == 4 else { throw ModelGraphError.shapeMismatch("Conv expects NCHW input, got \(Shape.describe(x))") }
        guard x[1] == weight.shape[1] else {
            throw ModelGraphError.shapeMismatch("input has \(x[1]) channels, weight expects \(weight.shape[1])")
        }
        let h = try ShapeInference.windowOutput(x[2], kernel: kernel[0], stride: strides[0], padding: pads[0] + pads[2],
                                                dilation: dilations[0])
        let w = try ShapeInference.windowOutput(x[3], kernel: kernel[1], stride: strides[1], padding: pads[1] + pads[3],
                                                dilation: dilations[1])
        return [x[0], weight.shape[0], h, w]
    }
}
