/// A dense real-valued tensor in row-major order: model constants (weights, biases, folded shapes) and
/// the float reference path's values. Doubles hold every float32, int32 and (|v| < 2^53) int64 exactly.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Double]

    /// `values.count` must equal the product of `shape` (checked: constants come from untrusted files).
    public init(shape: [Int], values: [Double]) throws {
        let count = try Shape.elementCount(shape)
        guard count == values.count else {
            throw ModelGraphError.invalidTensor("\(values.count) values for shape \(Shape.describe(shape))")
        }
        self.shape = shape
        self.values = values
    }

    /// A rank-0 tensor.
    public init(scalar: Double) {
        self.shape = []
        self.values = [scalar]
    }

    public var count: Int { values.count }
}

/// Shape arithmetic with overflow checks; shapes come from untrusted files.
public enum Shape {
    /// Largest element count of any tensor (2^31): bounds every allocation made from a shape.
    public static let maxElements = 1 << 31

    /// The number of elements. The product of the non-zero dimensions must also stay within `maxElements`,
    /// so that any product of some of a checked shape's dimensions (strides, Flatten's two sides) fits: an
    /// empty shape [0, 2^31, 2^31, 2^31] is refused rather than overflowing later.
    public static func elementCount(_ shape: [Int]) throws -> Int {
        var nonZero = 1
        var empty = false
        for dim in shape {
            guard dim >= 0 else { throw ModelGraphError.invalidTensor("negative dimension in \(describe(shape))") }
            if dim == 0 {
                empty = true
                continue
            }
            let (product, overflow) = nonZero.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= maxElements else {
                throw ModelGraphError.invalidTensor("shape \(describe(shape)) has more than 2^31 elements")
            }
            nonZero = product
        }
        return empty ? 0 : nonZero
    }

    /// Row-major strides of `shape`.
    public static func strides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = running
            running *= shape[axis]
        }
        return strides
    }

    /// Numpy-style broadcast of two shapes.
    public static func broadcast(_ a: [Int], _ b: [Int]) throws -> [Int] {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            guard da == db || da == 1 || db == 1 else {
                throw ModelGraphError.shapeMismatch("cannot broadcast \(describe(a)) with \(describe(b))")
            }
            result[i] = da == 1 ? db : da
        }
        return result
    }

    /// For each element of `outputShape`, the flat index of the element of `inputShape` it reads under
    /// broadcasting. Computed once per node so kernels stay simple loops.
    public static func broadcastIndices(from inputShape: [Int], to outputShape: [Int]) -> [Int] {
        let rank = outputShape.count
        let padded = [Int](repeating: 1, count: rank - inputShape.count) + inputShape
        let inputStrides = strides(padded)
        let total = outputShape.reduce(1, *)
        var indices = [Int](repeating: 0, count: total)
        if padded == outputShape {
            for i in 0..<total { indices[i] = i }
            return indices
        }
        var counter = [Int](repeating: 0, count: rank)
        for flat in 0..<total {
            var source = 0
            for axis in 0..<rank where padded[axis] != 1 { source += counter[axis] * inputStrides[axis] }
            indices[flat] = source
            var axis = rank - 1
            while axis >= 0 {
                counter[axis] += 1
                if counter[axis] < outputShape[axis] { break }
                counter[axis] = 0
                axis -= 1
            }
        }
        return indices
    }

    public static func describe(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ", ") + "]"
    }
}
