/// The pooling family: 1-D ([N, C, W]) or 2-D ([N, C, H, W]) windows; global pools over any spatial rank.
public enum PoolingOp: Sendable, Equatable, OperatorFamily {
    case average(Pooling)
    case max(Pooling)
    /// Mean over all spatial positions of each channel: [N, C, spatial...] → [N, C, 1, ...].
    case globalAverage
    /// Maximum over all spatial positions of each channel.
    case globalMax
    /// ReduceSum / ReduceMean over any axes.
    case reduce(Reduction)
    /// ReduceMax (`maximum`) / ReduceMin over any axes (the Reduction's `mean` is unused).
    case reduceExtremum(Reduction, maximum: Bool)
    /// MaxPool's Indices output: the flattened index of each window's maximum (first in window order on ties),
    /// row-major over [N, C, H, W], or with H and W swapped when `columnMajor` (storage_order 1).
    case maxIndex(Pooling, columnMajor: Bool)

    public var name: String {
        switch self {
        case .average: return "AveragePool"
        case .max: return "MaxPool"
        case .globalAverage: return "GlobalAveragePool"
        case .globalMax: return "GlobalMaxPool"
        case .reduce(let r): return r.mean ? "ReduceMean" : "ReduceSum"
        case .reduceExtremum(_, let maximum): return maximum ? "ReduceMax" : "ReduceMin"
        case .maxIndex: return "MaxPool indices"
        }
    }

    /// MaxPool, GlobalMaxPool, ReduceMax and ReduceMin select an element, so they keep an integer (or bool)
    /// tensor integer (unscaled, exact).
    public func outputIsInteger(_ inputs: [Bool]) throws -> Bool {
        switch self {
        case .max, .globalMax, .reduceExtremum: return inputs.first ?? false
        case .maxIndex: return true
        default:
            guard !inputs.contains(true) else {
                throw ModelGraphError.shapeMismatch("\(name) of an integer tensor; Cast it to float first")
            }
            return false
        }
    }

    public func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        try requireArity(shapes, 1)
        let x = shapes[0]
        switch self {
        case .average(let pool), .max(let pool), .maxIndex(let pool, _):
            return try pool.outputShape(x)
        case .globalAverage, .globalMax:
            guard x.count >= 3, x.dropFirst(2).allSatisfy({ $0 > 0 }) else {
                throw ModelGraphError.shapeMismatch("\(name) expects [N, C, spatial...], got \(Shape.describe(x))")
            }
            return [x[0], x[1]] + [Int](repeating: 1, count: x.count - 2)
        case .reduce(let r), .reduceExtremum(let r, _):
            // Only a sum is defined over an empty set (0); a mean would be NaN and a maximum or minimum ∓∞.
            if case .reduce(let sum) = self, !sum.mean {} else if !r.axes.allSatisfy({ x.isEmpty || ($0 < x.count && x[$0] > 0) }) {
                throw ModelGraphError.shapeMismatch("\(name) over an empty axis (the result would be \(r.mean ? "NaN" : "infinite"))")
            }
            return try r.outputShape(x)
        }
    }
}

/// A sum or mean over `axes` (sorted, distinct); the reduced axes are dropped unless `keepDims`.
public struct Reduction: Sendable, Equatable {
    public let axes: [Int]
    public let keepDims: Bool
    public let mean: Bool

    public init(axes: [Int], keepDims: Bool, mean: Bool) {
        self.axes = Array(Set(axes)).sorted()
        self.keepDims = keepDims
        self.mean = mean
    }

    func outputShape(_ x: [Int]) throws -> [Int] {
        guard axes.allSatisfy({ $0 >= 0 && $0 < max(x.count, 1) }) else {
            throw ModelGraphError.shapeMismatch("reduction axes \(axes) out of range for rank \(x.count)")
        }
        if keepDims { return x.enumerated().map { axes.contains($0.offset) ? 1 : $0.element } }
        return x.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    }

    /// The number of elements each output sums.
    public func count(_ inputShape: [Int]) -> Int { axes.reduce(1) { $0 * (inputShape.isEmpty ? 1 : inputShape[$1]) } }

    /// For each input element, the flat index of the output it adds into.
    public func outputIndex(_ inputShape: [Int]) -> [Int] {
        let kept = inputShape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
        let outStrides = Shape.strides(kept)
        let total = inputShape.reduce(1, *)
        var result = [Int](repeating: 0, count: total)
        var counter = [Int](repeating: 0, count: inputShape.count)
        var target = 0
        for flat in 0..<total {
            result[flat] = target
            var axis = inputShape.count - 1
            while axis >= 0 {
                counter[axis] += 1
                if kept[axis] != 1 { target += outStrides[axis] }
                if counter[axis] < inputShape[axis] { break }
                if kept[axis] != 1 { target -= outStrides[axis] * inputShape[axis] }
                counter[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}

extension LayerOperation {
    public static func averagePool(_ p: Pooling) -> LayerOperation { .pooling(.average(p)) }
    public static func maxPool(_ p: Pooling) -> LayerOperation { .pooling(.max(p)) }
    public static let globalAveragePool = LayerOperation.pooling(.globalAverage)
}

extension Pooling {
    /// For every output position of a MaxPool, the flattened input index of its window's maximum (the first in
    /// window order among equal values), in ONNX's Indices convention: over the whole [N, C, H, W] input, row-major,
    /// or with the spatial axes swapped (p·H·W + h + w·H) when `columnMajor`. `value(i)` reads input element i.
    @inlinable
    public func argmax<T: Comparable>(input inputShape: [Int], output outputShape: [Int], columnMajor: Bool,
                                      _ value: (Int) -> T) -> [Int] {
        let window = self.window(input: inputShape, output: outputShape)
        let planes = inputShape[0] * inputShape[1]
        let plane = window.outH * window.outW, inPlane = window.inH * window.inW
        var result = [Int](repeating: 0, count: planes * plane)
        for p in 0..<planes {
            for oy in 0..<window.outH {
                for ox in 0..<window.outW {
                    var best: (value: T, iy: Int, ix: Int)?
                    for ky in 0..<window.kH {
                        guard let iy = window.row(oy, ky) else { continue }
                        for kx in 0..<window.kW {
                            guard let ix = window.column(ox, kx) else { continue }
                            let v = value(p * inPlane + iy * window.inW + ix)
                            if best == nil || v > best!.value { best = (v, iy, ix) }
                        }
                    }
                    // Every window holds an input position (`outputShape` checks it).
                    let (iy, ix) = best.map { ($0.iy, $0.ix) } ?? (0, 0)
                    result[p * plane + oy * window.outW + ox] = p * inPlane + (columnMajor ? iy + ix * window.inH : iy * window.inW + ix)
                }
            }
        }
        return result
    }
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
        let work = Double(try Shape.elementCount(shape)) * Double(kernel[0] * kernel[1])
        guard work <= Double(maxConvolutionWork) else {
            throw ModelGraphError.shapeMismatch("pooling of \(Int(work)) window positions is larger than 2^33")
        }
        let window = Layout.Window(input: x, output: shape, kernel: kernel, strides: strides, pads: pads, dilations: dilations)
        // Every window must hold an input position (the maximum of nothing is undefined; padding never wins).
        for oy in 0..<window.outH where !(0..<window.kH).contains(where: { window.row(oy, $0) != nil }) {
            throw ModelGraphError.shapeMismatch("pool window at output row \(oy) holds no input position")
        }
        for ox in 0..<window.outW where !(0..<window.kW).contains(where: { window.column(ox, $0) != nil }) {
            throw ModelGraphError.shapeMismatch("pool window at output column \(ox) holds no input position")
        }
        return shape
    }
}
