/// Pure data movement: the element order of the output is a fixed permutation of the inputs'.
public enum MovementOp: Sendable, Equatable, OperatorFamily {
    case reshape([Int])
    case transpose([Int])
    case concat(axis: Int)

    public var name: String {
        switch self {
        case .reshape: return "Reshape"
        case .transpose: return "Transpose"
        case .concat: return "Concat"
        }
    }

    public func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        switch self {
        case .reshape(let target):
            try requireArity(shapes, 1)
            guard target.allSatisfy({ $0 >= 0 }), try Shape.elementCount(target) == Shape.elementCount(shapes[0]) else {
                throw ModelGraphError.shapeMismatch("cannot reshape \(Shape.describe(shapes[0])) to \(Shape.describe(target))")
            }
            return target
        case .transpose(let perm):
            try requireArity(shapes, 1)
            let x = shapes[0]
            guard perm.count == x.count, Set(perm) == Set(0..<x.count) else {
                throw ModelGraphError.shapeMismatch("permutation \(Shape.describe(perm)) does not fit rank \(x.count)")
            }
            return perm.map { x[$0] }
        case .concat(let axis):
            guard let first = shapes.first else { throw ModelGraphError.shapeMismatch("Concat needs at least one input") }
            guard axis >= 0, axis < first.count else {
                throw ModelGraphError.shapeMismatch("axis \(axis) out of range for rank \(first.count)")
            }
            var total = 0
            for shape in shapes {
                guard shape.count == first.count,
                      (0..<shape.count).allSatisfy({ $0 == axis || shape[$0] == first[$0] }) else {
                    throw ModelGraphError.shapeMismatch(
                        "cannot concatenate \(shapes.map(Shape.describe).joined(separator: " and ")) on axis \(axis)")
                }
                total += shape[axis]
            }
            var result = first
            result[axis] = total
            return result
        }
    }

    /// For each output element, (input position, flat index in that input): the one map every path uses.
    public func sources(_ shapes: [[Int]]) -> [(input: Int, index: Int)] {
        switch self {
        case .reshape:
            return (0..<shapes[0].reduce(1, *)).map { (0, $0) }
        case .transpose(let perm):
            return Layout.transposeSource(shape: shapes[0], perm: perm).map { (0, $0) }
        case .concat(let axis):
            var result: [(input: Int, index: Int)] = []
            for run in Layout.concatRuns(shapes: shapes, axis: axis) {
                for i in run.start..<run.start + run.length { result.append((run.input, i)) }
            }
            return result
        }
    }
}

extension LayerOperation {
    public static func reshape(_ shape: [Int]) -> LayerOperation { .movement(.reshape(shape)) }
    public static func transpose(_ perm: [Int]) -> LayerOperation { .movement(.transpose(perm)) }
    public static func concat(axis: Int) -> LayerOperation { .movement(.concat(axis: axis)) }
}
