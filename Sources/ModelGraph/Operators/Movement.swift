/// Pure data movement: the element order of the output is a fixed permutation of the inputs'.
public enum MovementOp: Sendable, Equatable, OperatorFamily {
    case reshape([Int])
    case transpose([Int])
    case concat(axis: Int)
    /// Pad, Resize/Upsample (nearest), Slice and Expand of a computed tensor: a gather along each axis.
    case gatherAxes(AxisGather)
    /// Tile-free selections no axis gather expresses (Trilu, GatherElements, GatherND, ScatterND by constant
    /// indices): each output element is one element of one input, or 0.
    case select(ElementSelection)

    public var name: String {
        switch self {
        case .reshape: return "Reshape"
        case .transpose: return "Transpose"
        case .concat: return "Concat"
        case .gatherAxes(let g): return g.kind
        case .select(let selection): return selection.kind
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
        case .gatherAxes(let gather):
            try requireArity(shapes, 1)
            // The input may have fewer axes than the gather (Expand adds leading ones).
            let padded = [Int](repeating: 1, count: max(0, gather.inputShape.count - shapes[0].count)) + shapes[0]
            guard padded == gather.inputShape else {
                throw ModelGraphError.shapeMismatch("\(gather.kind) built for \(Shape.describe(gather.inputShape)) applied to \(Shape.describe(shapes[0]))")
            }
            return gather.outputShape
        case .select(let selection):
            guard shapes == selection.inputShapes else {
                throw ModelGraphError.shapeMismatch("\(selection.kind) built for \(selection.inputShapes.map(Shape.describe).joined(separator: ", ")) applied to \(shapes.map(Shape.describe).joined(separator: ", "))")
            }
            return selection.outputShape
        }
    }

    /// Moving integers gives integers; a Concat must not mix integer and real tensors.
    public func outputIsInteger(_ inputs: [Bool]) throws -> Bool {
        // A selection's constant operands (ScatterND updates) follow the computed tensor's type (checked at import).
        if case .select = self { return inputs.contains(true) }
        guard Set(inputs).count <= 1 else {
            throw ModelGraphError.shapeMismatch("\(name) mixes integer and real tensors; Cast them to one type first")
        }
        if case .gatherAxes(let gather) = self, inputs.first == true, gather.usesFill, gather.fill != gather.fill.rounded() {
            throw ModelGraphError.shapeMismatch("padding an integer tensor with \(gather.fill)")
        }
        return inputs.first ?? false
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
        case .gatherAxes(let gather):
            return gather.sources().map { (0, $0) }
        case .select(let selection):
            return (0..<selection.sources.count).map { selection.source($0) }
        }
    }
}

/// Output element i is element `sources[i]` of the inputs' flat elements laid end to end (input 0's, then input
/// 1's…), or 0 where `sources[i]` is −1. Built at import from constant indices, checked there.
public struct ElementSelection: Sendable, Equatable {
    public let kind: String
    public let inputShapes: [[Int]]
    public let outputShape: [Int]
    public let sources: [Int]
    /// Where each input's elements start in the end-to-end numbering.
    public let offsets: [Int]

    public init(kind: String, inputShapes: [[Int]], outputShape: [Int], sources: [Int]) throws {
        var offsets: [Int] = [], total = 0
        for shape in inputShapes {
            offsets.append(total)
            total += try Shape.elementCount(shape)
        }
        guard try Shape.elementCount(outputShape) == sources.count else {
            throw ModelGraphError.invalidTensor("\(kind): \(sources.count) sources for output \(Shape.describe(outputShape))")
        }
        guard sources.allSatisfy({ $0 >= -1 && $0 < total }) else { throw ModelGraphError.invalidTensor("\(kind) reads outside its inputs") }
        self.kind = kind
        self.inputShapes = inputShapes
        self.outputShape = outputShape
        self.sources = sources
        self.offsets = offsets
    }

    /// (input position, flat index in it) of output element i; (0, −1) for a 0.
    public func source(_ i: Int) -> (input: Int, index: Int) {
        let s = sources[i]
        guard s >= 0 else { return (0, -1) }
        var input = offsets.count - 1
        while offsets[input] > s { input -= 1 }
        return (input, s - offsets[input])
    }
}

/// Output element (o_0, …, o_{r−1}) reads input element (maps[0][o_0], …, maps[r−1][o_{r−1}]); an entry −1 on
/// any axis makes the element `fill` instead (constant padding). Pad (constant, reflect, edge), nearest
/// Resize/Upsample, Slice and Expand are all of this form, so every stage handles them once.
public struct AxisGather: Sendable, Equatable {
    /// The ONNX operator, for messages and statistics.
    public let kind: String
    public let inputShape: [Int]
    public let maps: [[Int]]
    public let fill: Double

    public init(kind: String, inputShape: [Int], maps: [[Int]], fill: Double = 0) throws {
        guard maps.count == inputShape.count else {
            throw ModelGraphError.invalidTensor("\(kind): \(maps.count) axis maps for rank \(inputShape.count)")
        }
        for (axis, map) in maps.enumerated() where !map.allSatisfy({ $0 >= -1 && $0 < inputShape[axis] }) {
            throw ModelGraphError.invalidTensor("\(kind): axis \(axis) reads outside the input")
        }
        _ = try Shape.elementCount(maps.map(\.count))
        guard fill.isFinite else { throw ModelGraphError.invalidTensor("\(kind): the fill value is not finite") }
        self.kind = kind
        self.inputShape = inputShape
        self.maps = maps
        self.fill = fill
    }

    public var outputShape: [Int] { maps.map(\.count) }
    /// True when some output element is the fill value rather than an input element.
    public var usesFill: Bool { maps.contains { $0.contains(-1) } }

    /// For each output element, the flat input index it reads, or −1 for the fill value.
    public func sources() -> [Int] {
        let strides = Shape.strides(inputShape)
        var result = [0]
        for (axis, map) in maps.enumerated() {
            var next: [Int] = []
            next.reserveCapacity(result.count * map.count)
            for base in result {
                for i in map { next.append(base < 0 || i < 0 ? -1 : base + i * strides[axis]) }
            }
            result = next
        }
        return result
    }
}

extension LayerOperation {
    public static func reshape(_ shape: [Int]) -> LayerOperation { .movement(.reshape(shape)) }
    public static func transpose(_ perm: [Int]) -> LayerOperation { .movement(.transpose(perm)) }
    public static func concat(axis: Int) -> LayerOperation { .movement(.concat(axis: axis)) }
}
