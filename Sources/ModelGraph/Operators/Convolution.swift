/// The convolution family: Conv and ConvTranspose, 1-D ([N, C, W]) or 2-D ([N, C, H, W]), grouped.
public enum ConvolutionOp: Sendable, Equatable, OperatorFamily {
    case conv(Convolution)
    case transposed(ConvTranspose)

    public var name: String {
        switch self {
        case .conv: return "Conv"
        case .transposed: return "ConvTranspose"
        }
    }

    public var parameterCount: Int {
        switch self {
        case .conv(let c): return c.weight.count + (c.bias?.count ?? 0)
        case .transposed(let c): return c.weight.count + (c.bias?.count ?? 0)
        }
    }

    public func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        try requireArity(shapes, 1)
        switch self {
        case .conv(let conv): return try conv.outputShape(shapes[0])
        case .transposed(let conv): return try conv.outputShape(shapes[0])
        }
    }
}

extension LayerOperation {
    public static func conv(_ c: Convolution) -> LayerOperation { .convolution(.conv(c)) }
}

/// The window attributes of a convolution or pool, held in the 2-D form whatever the spatial rank (a 1-D
/// operation is a 2-D one with H = 1): [sH, sW], [top, left, bottom, right], [dH, dW].
public struct WindowAttributes: Sendable, Equatable {
    /// 1 or 2.
    public let spatialRank: Int
    public let strides: [Int]
    public let pads: [Int]
    public let dilations: [Int]

    /// From ONNX-form lists: `strides` and `dilations` of `spatialRank` entries, `pads` of 2·`spatialRank` (all
    /// begins, then all ends).
    public init(spatialRank: Int, strides: [Int], pads: [Int], dilations: [Int]) throws {
        guard spatialRank == 1 || spatialRank == 2 else {
            throw ModelGraphError.invalidTensor("only 1-D and 2-D windows are supported, got \(spatialRank)-D")
        }
        guard strides.count == spatialRank, strides.allSatisfy({ $0 >= 1 && $0 <= 1 << 16 }) else {
            throw ModelGraphError.invalidTensor("strides must be \(spatialRank) sizes in 1...65536, got \(Shape.describe(strides))")
        }
        guard pads.count == 2 * spatialRank, pads.allSatisfy({ $0 >= 0 && $0 <= 1 << 16 }) else {
            throw ModelGraphError.invalidTensor("pads must be \(2 * spatialRank) sizes in 0...65536, got \(Shape.describe(pads))")
        }
        guard dilations.count == spatialRank, dilations.allSatisfy({ $0 >= 1 && $0 <= 1 << 16 }) else {
            throw ModelGraphError.invalidTensor("dilations must be \(spatialRank) sizes in 1...65536, got \(Shape.describe(dilations))")
        }
        self.spatialRank = spatialRank
        if spatialRank == 1 {
            self.strides = [1, strides[0]]
            self.pads = [0, pads[0], 0, pads[1]]
            self.dilations = [1, dilations[0]]
        } else {
            self.strides = strides
            self.pads = pads
            self.dilations = dilations
        }
    }

    /// The spatial sizes of `shape` ([N, C, spatial...]) in the 2-D form.
    func spatial(_ shape: [Int]) throws -> [Int] {
        guard shape.count == 2 + spatialRank else {
            throw ModelGraphError.shapeMismatch("expects a rank-\(2 + spatialRank) [N, C, spatial...] input, got \(Shape.describe(shape))")
        }
        return spatialRank == 1 ? [1, shape[2]] : [shape[2], shape[3]]
    }

    /// [N, C] + the 2-D-form spatial sizes back in the operation's rank.
    func shape(batch: Int, channels: Int, spatial: [Int]) -> [Int] {
        spatialRank == 1 ? [batch, channels, spatial[1]] : [batch, channels, spatial[0], spatial[1]]
    }
}

/// Multiply-adds above which a convolution is refused before anything is allocated or run (2^33).
let maxConvolutionWork = 1 << 33

/// Conv: y[n, m, o] = b[m] + Σ_{c in m's group, k} W[m, c, k]·x[n, c, o·s − pad + k·d] over taps inside the input.
public struct Convolution: Sendable, Equatable {
    /// [M, C/group, kH, kW] or, 1-D, [M, C/group, kW]
    public var weight: Tensor
    /// [M] or nil
    public var bias: Tensor?
    public let attributes: WindowAttributes
    public let group: Int

    /// 2-D, groups = 1, attributes in the 2-D form.
    public init(weight: Tensor, bias: Tensor?, strides: [Int], pads: [Int], dilations: [Int]) throws {
        try self.init(weight: weight, bias: bias, group: 1,
                      attributes: WindowAttributes(spatialRank: weight.shape.count - 2, strides: strides, pads: pads,
                                                   dilations: dilations))
    }

    public init(weight: Tensor, bias: Tensor?, group: Int, attributes: WindowAttributes) throws {
        guard weight.shape.count == 2 + attributes.spatialRank else {
            throw ModelGraphError.invalidTensor("conv weight must be [M, C/group, kernel...] of rank \(2 + attributes.spatialRank), got \(Shape.describe(weight.shape))")
        }
        guard group >= 1, weight.shape[0] % group == 0, weight.shape[0] > 0, weight.shape.dropFirst().allSatisfy({ $0 >= 1 }) else {
            throw ModelGraphError.invalidTensor("group \(group) must be ≥ 1 and divide the \(weight.shape[0]) output channels")
        }
        if let bias, bias.shape != [weight.shape[0]] {
            throw ModelGraphError.invalidTensor("conv bias must be [\(weight.shape[0])], got \(Shape.describe(bias.shape))")
        }
        self.weight = weight
        self.bias = bias
        self.group = group
        self.attributes = attributes
    }

    public var strides: [Int] { attributes.strides }
    public var pads: [Int] { attributes.pads }
    public var dilations: [Int] { attributes.dilations }
    /// [kH, kW] (kH = 1 for 1-D).
    public var kernel: [Int] {
        attributes.spatialRank == 1 ? [1, weight.shape[2]] : [weight.shape[2], weight.shape[3]]
    }
    public var outputChannels: Int { weight.shape[0] }
    /// Input channels each output reads (C / group).
    public var groupChannels: Int { weight.shape[1] }

    /// The window geometry over an input of `inputShape` producing `outputShape`.
    public func window(input inputShape: [Int], output outputShape: [Int]) -> Layout.Window {
        Layout.Window(input: inputShape, output: outputShape, kernel: kernel, strides: strides, pads: pads, dilations: dilations)
    }

    func outputShape(_ x: [Int]) throws -> [Int] {
        let size = try attributes.spatial(x)
        guard x[1] == groupChannels * group else {
            throw ModelGraphError.shapeMismatch("input has \(x[1]) channels, weight expects \(groupChannels) × group \(group)")
        }
        var out = [0, 0]
        for axis in 0..<2 {
            out[axis] = try ShapeInference.windowOutput(size[axis], kernel: kernel[axis], stride: strides[axis],
                                                        padding: pads[axis] + pads[axis + 2], dilation: dilations[axis])
        }
        let shape = attributes.shape(batch: x[0], channels: outputChannels, spatial: out)
        let work = Double(try Shape.elementCount(shape)) * Double(groupChannels * kernel[0] * kernel[1])
        guard work <= Double(maxConvolutionWork) else {
            throw ModelGraphError.shapeMismatch("convolution of \(Int(work)) multiply-adds is larger than 2^33")
        }
        return shape
    }
}

/// ConvTranspose, in gather form: y[n, m, o] = b[m] + Σ_{c in m's group, k : o + pad − k·d = i·s, i inside}
/// W[c, m mod (M/group), k]·x[n, c, i]. Output size s·(in − 1) + output_padding + (k − 1)·d + 1 − pads.
public struct ConvTranspose: Sendable, Equatable {
    /// [C, M/group, kH, kW] or, 1-D, [C, M/group, kW]
    public var weight: Tensor
    /// [M] or nil
    public var bias: Tensor?
    public let attributes: WindowAttributes
    public let group: Int
    /// Extra size at the end of each spatial axis, 2-D form [oH, oW]: ONNX's output_padding (< max(stride,
    /// dilation), checked at import), plus what an output_shape beyond the full result adds. Positions there
    /// receive no input (the bias).
    public let outputPadding: [Int]

    public init(weight: Tensor, bias: Tensor?, group: Int, attributes: WindowAttributes, outputPadding: [Int]) throws {
        guard weight.shape.count == 2 + attributes.spatialRank, weight.shape.allSatisfy({ $0 >= 1 }) else {
            throw ModelGraphError.invalidTensor("ConvTranspose weight must be [C, M/group, kernel...] of rank \(2 + attributes.spatialRank), got \(Shape.describe(weight.shape))")
        }
        guard group >= 1, weight.shape[0] % group == 0 else {
            throw ModelGraphError.invalidTensor("group \(group) must be ≥ 1 and divide the \(weight.shape[0]) input channels")
        }
        let outputs = weight.shape[1] * group
        if let bias, bias.shape != [outputs] {
            throw ModelGraphError.invalidTensor("ConvTranspose bias must be [\(outputs)], got \(Shape.describe(bias.shape))")
        }
        let padding = attributes.spatialRank == 1 ? [0] + outputPadding : outputPadding
        guard padding.count == 2, padding.allSatisfy({ $0 >= 0 && $0 <= 1 << 24 }) else {
            throw ModelGraphError.invalidTensor("output padding \(Shape.describe(outputPadding)) must be in 0...2^24")
        }
        self.weight = weight
        self.bias = bias
        self.group = group
        self.attributes = attributes
        self.outputPadding = padding
    }

    public var strides: [Int] { attributes.strides }
    public var pads: [Int] { attributes.pads }
    public var dilations: [Int] { attributes.dilations }
    public var kernel: [Int] {
        attributes.spatialRank == 1 ? [1, weight.shape[2]] : [weight.shape[2], weight.shape[3]]
    }
    public var inputChannels: Int { weight.shape[0] }
    /// Output channels per group (M / group).
    public var groupOutputs: Int { weight.shape[1] }
    public var outputChannels: Int { weight.shape[1] * group }

    /// The geometry; `row(o, k)` and `column(o, k)` give the input position a tap reads, if any.
    public func window(input inputShape: [Int], output outputShape: [Int]) -> TransposedWindow {
        TransposedWindow(Layout.Window(input: inputShape, output: outputShape, kernel: kernel, strides: strides, pads: pads,
                                       dilations: dilations))
    }

    func outputShape(_ x: [Int]) throws -> [Int] {
        let size = try attributes.spatial(x)
        guard x[1] == inputChannels else {
            throw ModelGraphError.shapeMismatch("input has \(x[1]) channels, weight expects \(inputChannels)")
        }
        var out = [0, 0]
        for axis in 0..<2 {
            let full = strides[axis] * (size[axis] - 1) + outputPadding[axis] + (kernel[axis] - 1) * dilations[axis] + 1
            out[axis] = full - pads[axis] - pads[axis + 2]
            guard out[axis] >= 1 else {
                throw ModelGraphError.shapeMismatch("ConvTranspose output size \(out[axis]) on spatial axis \(axis) is not positive")
            }
        }
        let shape = attributes.shape(batch: x[0], channels: outputChannels, spatial: out)
        let work = Double(try Shape.elementCount(shape)) * Double(inputChannels / group * kernel[0] * kernel[1])
        guard work <= Double(maxConvolutionWork) else {
            throw ModelGraphError.shapeMismatch("ConvTranspose of \(Int(work)) multiply-adds is larger than 2^33")
        }
        return shape
    }
}

/// ConvTranspose geometry in gather form: output position o and kernel tap k read input i = (o + pad − k·d) / s
/// when that division is exact and i is inside the input.
public struct TransposedWindow: Sendable {
    public let base: Layout.Window

    init(_ base: Layout.Window) { self.base = base }

    @inlinable public func row(_ oy: Int, _ ky: Int) -> Int? {
        let t = oy + base.padTop - ky * base.dH
        guard t >= 0, t % base.sH == 0 else { return nil }
        let y = t / base.sH
        return y < base.inH ? y : nil
    }

    @inlinable public func column(_ ox: Int, _ kx: Int) -> Int? {
        let t = ox + base.padLeft - kx * base.dW
        guard t >= 0, t % base.sW == 0 else { return nil }
        let x = t / base.sW
        return x < base.inW ? x : nil
    }
}
