/// The pooling family.
public enum PoolingOp: Sendable, Equatable, OperatorFamily {
    case average(Pooling)
    case max(Pooling)
    /// Mean over all spatial positions of each channel: [N, C, H, W] → [N, C, 1, 1].
    case globalAverage

    public var name: String {
        switch self {
        case .average: return "AveragePool"
        case .max: return "MaxPool"
        case .globalAverage: return "GlobalAveragePool"
        }
    }

    public func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        try requireArity(shapes, 1)
        let x = shapes[0]
        switch self {
        case .average(let pool), .max(let pool):
            guard x.count == 4 else { throw ModelGraphError.shapeMismatch("pooling expects NCHW input, got \(Shape.describe(x))") }
            let h = try ShapeInference.windowOutput(x[2], kernel: pool.kernel[0], stride: pool.strides[0],
                                                    padding: pool.pads[0] + pool.pads[2], dilation: 1)
            let w = try ShapeInference.windowOutput(x[3], kernel: pool.kernel[1], stride: pool.strides[1],
                                                    padding: pool.pads[1] + pool.pads[3], dilation: 1)
            return [x[0], x[1], h, w]
        case .globalAverage:
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

    /// The window geometry over an input of `inputShape` producing `outputShape`.
    public func window(input inputShape: [Int], output outputShape: [Int]) -> Layout.Window {
        Layout.Window(input: inputShape, output: outputShape, kernel: kernel, strides: strides, pads: pads, dilations: [1, 1])
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
