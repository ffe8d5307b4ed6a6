import ModelGraph

/// Shape attributes shared by the computed and the constant-folded forms of the reshaping operators.
enum ShapeOps {
    /// An axis in [−rank, rank) (or [−rank, rank] when `inclusive`, as Flatten's), negative ones counted
    /// from the end: −1 is rank − 1 in both cases (Flatten's −1 splits off the last dimension).
    static func normalizeAxis(_ axis: Int64, rank: Int, _ c: NodeContext, inclusive: Bool = false) throws -> Int {
        let r = Int64(rank)
        guard axis >= -r, axis < r + (inclusive ? 1 : 0) else { throw c.invalid("axis \(axis) out of range for rank \(rank)") }
        return Int(axis < 0 ? axis + r : axis)
    }

    /// The output shape of Flatten, Reshape, Squeeze or Unsqueeze applied to `inputShape`.
    static func reshapeTarget(_ c: NodeContext, inputShape: [Int]) throws -> [Int] {
        switch c.op {
        case "Flatten":
            let axis = try normalizeAxis(try c.int("axis", default: 1), rank: inputShape.count, c, inclusive: true)
            return [inputShape[..<axis].reduce(1, *), inputShape[axis...].reduce(1, *)]
        case "Reshape":
            let requested: [Int]
            if c.opset < 5 {
                requested = (c.ints("shape") ?? []).map { Int(truncatingIfNeeded: $0) }
            } else {
                requested = try c.integerList(try c.constantInput(1, "shape"), "shape")
            }
            let allowZero = try c.int("allowzero", default: 0) != 0
            var target: [Int] = []
            var inferred: Int?
            for (axis, dim) in requested.enumerated() {
                if dim == 0 && !allowZero {
                    guard axis < inputShape.count else { throw c.invalid("shape entry 0 at axis \(axis) has no input dimension to copy") }
                    target.append(inputShape[axis])
                } else if dim == -1 {
                    guard inferred == nil else { throw c.invalid("shape has more than one -1") }
                    inferred = axis
                    target.append(1)
                } else {
                    guard dim >= 0 else { throw c.invalid("negative shape entry \(dim)") }
                    target.append(dim)
                }
            }
            let total = try Shape.elementCount(inputShape)
            if let axis = inferred {
                let known = try Shape.elementCount(target)
                guard known > 0, total % known == 0 else {
                    throw c.invalid("cannot reshape \(Shape.describe(inputShape)) to \(requested)")
                }
                target[axis] = total / known
            }
            guard try Shape.elementCount(target) == total else {
                throw c.invalid("cannot reshape \(Shape.describe(inputShape)) to \(requested)")
            }
            return target
        case "Squeeze":
            var axes: [Int]?
            if c.opset < 13 {
                axes = c.ints("axes").map { $0.map { Int(truncatingIfNeeded: $0) } }
            } else if let constant = try c.optionalConstant(1, "axes") {
                axes = try c.integerList(constant, "axes")
            }
            guard let axes else { return inputShape.filter { $0 != 1 } }
            let normalized = Set(try axes.map { try normalizeAxis(Int64($0), rank: inputShape.count, c) })
            for axis in normalized where inputShape[axis] != 1 {
                throw c.invalid("cannot squeeze axis \(axis) of size \(inputShape[axis])")
            }
            return inputShape.enumerated().filter { !normalized.contains($0.offset) }.map(\.element)
        case "Unsqueeze":
            let axes: [Int]
            if c.opset < 13 {
                axes = (c.ints("axes") ?? []).map { Int(truncatingIfNeeded: $0) }
            } else {
                axes = try c.integerList(try c.constantInput(1, "axes"), "axes")
            }
            let rank = inputShape.count + axes.count
            let normalized = Set(try axes.map { try normalizeAxis(Int64($0), rank: rank, c) })
            guard normalized.count == axes.count else { throw c.invalid("repeated axes \(axes)") }
            var result: [Int] = []
            var next = inputShape.makeIterator()
            for axis in 0..<rank { result.append(normalized.contains(axis) ? 1 : next.next()!) }
            return result
        default:
            throw c.invalid("not a reshaping operator")
        }
    }
}
