/// The pooling family: 1-D ([N, C, W]) or 2-D ([N, C, H, W]) windows; global pools over any spatial rank.
public enum PoolingOp: Sendable, Equatable, OperatorFamily {
    case average(Pooling)
    case max(Pooling)
    /// Mean over all spatial positions of each channel: [N, C, spatial...] → [N, C, 1, ...].
    case globalAverage
    /// Maximum over all spatial positions of each channel.
    case globalMax

    public var name: String {
        switch self {
        case .average: return "AveragePool"
        case .max: return "MaxPool"
        case .globalAverage: return "GlobalAveragePool"
        case .globalMax: return "GlobalMaxPool"
        }
    }

    public func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        try requireArity(shapes, 1)
        let x = shapes[0]
        switch self {
        case .average(let pool), .max(let pool):
            return try pool.outputShape(x)
        case .globalAverage, .globalMax:
            guard x.count >= 3, x.dropFirst(2).allSatisfy({ $0 > 0 }) else {
                throw ModelGraphError.shapeMismatch("\(name) expects [N, C, spatial...], got \(Shape.describe(x))")
            }
            return [x[0], x[1]] + [Int](repeating: 1, count: x.count - 2)
        }
    }
}

extension LayerOperation {
    public static func averagePool(_ p: Pooling) -> LayerOperation { .pooling(.average(p)) }
    public static func maxPool(_ p: Pooling) -> LayerOperation { .pooling(.max(p)) }
    public static let globalAveragePool = LayerOperation.pooling(.globalAverage)
}

/// A pooling window (1-D or 2-D), held in the 2-D form like a convolution's.
public struct Pooling: Sendable, Equatable {
    /// [kH, kW] (kH = 1 for 1-D)
    public let kernel: [Int]
    public let attributes: WindowAttributes
    /// AveragePool only: whether padded positions count in the divisor.
    public let countIncludePad: Bool
    /// Output sizes rounded up (the last window may start in the end padding's place, never past the input).
    public let ceilMode: Bool

    /// 2-D, no dilation, floor mode: kernel, strides and pads in the 2-D form.
    public init(kernel: [Int], strides: [Int], pads: [Int], countIncludePad: Bool = false) throws {
        try self.init(kernel: kernel, attributes: WindowAttributes(spatialRank: 2, strides: strides, pads: pads, dilations: [1, 1]),
                      countIncludePad: countIncludePad, ceilMode: false)
    }

    /// `kernel` of `attributes.spatialRank` sizes.
    public init(kernel: [Int], attributes: WindowAttributes, countIncludePad: Bool, ceilMode: Bool) throws {
        guard kernel.count == attributes.spatialRank, kernel.allSatisfy({ $0 >= 1 && $0 <= 1 << 16 }) else {
            throw ModelGraphError.invalidTensor("pool kernel must be \(attributes.spatialRank) positive sizes, got \(Shape.describe(kernel))")
        }
        let k = attributes.spatialRank == 1 ? [1, kernel[0]] : kernel
        let pads = attributes.pads
        guard pads[0] < k[0], pads[2] < k[0], pads[1] < k[1], pads[3] < k[1] else {
            throw ModelGraphError.invalidTensor("pool padding must be smaller than the kernel")
        }
        self.kernel = k
        self.attributes = attributes
        self.countIncludePad = countIncludePad
        self.ceilMode = ceilMode
    }

    public var strides: [Int] { attributes.strides }
    public var pads: [Int] { attributes.pads }
    public var dilations: [Int] { attributes.dilations }

    /// The window geometry over an input of `inputShape` producing `outputShape`.
    public func window(input inputShape: [Int], output outputShape: [Int]) -> Layout.Window {
        Layout.Window(input: inputShape, output: outputShape, kernel: kernel, strides: strides, pads: pads, dilations: dilations)
    }

    func outputShape(_ x: [Int]) throws -> [Int] {
        let size = try attributes.spatial(x)
        var out = [0, 0]
        for axis in 0..<2 {
            let span = (kernel[axis] - 1) * dilations[axis] + 1
            let room = size[axis] + pads[axis] + pads[axis + 2] - span
            guard room >= 0 else {
                throw ModelGraphError.shapeMismatch("window of \(span) does not fit input size \(size[axis]) with its padding")
            }
            out[axis] = (ceilMode ? (room + strides[axis] - 1) / strides[axis] : room / strides[axis]) + 1
            // ceil_mode never starts a window past the input and its begin padding.
            if ceilMode, (out[axis] - 1) * strides[axis] >= size[axis] + pads[axis] { out[axis] -= 1 }
        }
        let shape = attributes.shape(batch: x[0], channels: x[1], spatial: out)
        let window = Layout.Window(input: x, output: shape, kernel: kernel, strides: strides, pads: pads, dilations: dilations)
        // Every window must hold an input position (the maximum of nothing is undefined; padding never wins).
        for oy in 0..<window.outH where !(0..<window.kH).contains(where: { window.row(oy, $0) != nil }) {
            throw ModelGraphError.shapeMismatch("pool window at output row \(oy) holds no input position")
        }
        for ox in 0..<window.outW where !(0..<window.kW).contains(where: { window.column(ox, $0) != nil }) {
            throw ModelGraphError.shapeMismatch("pool window at output column \(ox) holds no input position")
        }
        let work = Double(try Shape.elementCount(shape)) * Double(kernel[0] * kernel[1])
        guard work <= Double(maxConvolutionWork) else {
            throw ModelGraphError.shapeMismatch("pooling of \(Int(work)) window positions is larger than 2^33")
        }
        return shape
    }
}
