/// Piecewise-constant operators: comparisons and logic (bool outputs, which Where consumes), rounding and sign,
/// and the index of a row's extremum. Their outputs take few values, so one integer semantics is exact whenever
/// the input's error cannot cross a step (docs/fixed-point.md §5b).
public enum ComparisonOp: Sendable, Equatable, OperatorFamily {
    /// a ∘ b elementwise with numpy broadcasting → bool (0/1, an integer tensor).
    case compare(Relation)
    /// And, Or, Xor of two bool tensors (any non-zero is true) → bool.
    case logical(Logic)
    /// Not of a bool tensor → bool.
    case not
    /// Floor, Ceil, Round (half to even), Sign: the input's type.
    case rounding(Rounding)
    /// ArgMax (`maximum`) / ArgMin along `axis` → int64 indices; ties go to the first index, or the last with
    /// `lastIndex` (ONNX's select_last_index).
    case argExtremum(axis: Int, keepDims: Bool, lastIndex: Bool, maximum: Bool)

    public enum Relation: String, Sendable, Equatable {
        case equal = "Equal", less = "Less", lessOrEqual = "LessOrEqual", greater = "Greater", greaterOrEqual = "GreaterOrEqual"

        /// Whether a ∘ b holds (both operands in one unit).
        @inlinable public func holds<T: Comparable>(_ a: T, _ b: T) -> Bool {
            switch self {
            case .equal: return a == b
            case .less: return a < b
            case .lessOrEqual: return a <= b
            case .greater: return a > b
            case .greaterOrEqual: return a >= b
            }
        }
    }

    public enum Logic: String, Sendable, Equatable {
        case and = "And", or = "Or", xor = "Xor"

        @inlinable public func apply(_ a: Bool, _ b: Bool) -> Bool {
            switch self {
            case .and: return a && b
            case .or: return a || b
            case .xor: return a != b
            }
        }
    }

    public enum Rounding: String, Sendable, Equatable {
        case floor = "Floor", ceil = "Ceil", round = "Round", sign = "Sign"

        /// The real-valued meaning (Round: half to even, as ONNX specifies).
        @inlinable public func apply(_ x: Double) -> Double {
            switch self {
            case .floor: return x.rounded(.down)
            case .ceil: return x.rounded(.up)
            case .round: return x.rounded(.toNearestOrEven)
            case .sign: return x > 0 ? 1 : (x < 0 ? -1 : 0)
            }
        }
    }

    public var name: String {
        switch self {
        case .compare(let r): return r.rawValue
        case .logical(let l): return l.rawValue
        case .not: return "Not"
        case .rounding(let r): return r.rawValue
        case .argExtremum(_, _, _, let maximum): return maximum ? "ArgMax" : "ArgMin"
        }
    }

    public func outputShape(_ shapes: [[Int]]) throws -> [Int] {
        switch self {
        case .compare, .logical:
            try requireArity(shapes, 2)
            return try Shape.broadcast(shapes[0], shapes[1])
        case .not, .rounding:
            try requireArity(shapes, 1)
            return shapes[0]
        case .argExtremum(let axis, let keepDims, _, _):
            try requireArity(shapes, 1)
            let x = shapes[0]
            guard axis >= 0, axis < x.count, x[axis] >= 1 else {
                throw ModelGraphError.shapeMismatch("\(name) axis \(axis) does not fit \(Shape.describe(x))")
            }
            var y = x
            if keepDims { y[axis] = 1 } else { y.remove(at: axis) }
            return y
        }
    }

    /// Comparisons and logic make bool tensors and ArgMax/ArgMin int64 ones (integer tensors, unscaled);
    /// rounding keeps its input's type. The importer gives a comparison operands of one type.
    public func outputIsInteger(_ inputs: [Bool]) throws -> Bool {
        switch self {
        case .compare, .argExtremum: return true
        case .logical, .not:
            guard inputs.contains(true) else {
                throw ModelGraphError.shapeMismatch("\(name) of a real tensor; its operands must be bool")
            }
            return true
        case .rounding: return inputs.first ?? false
        }
    }

    /// For ArgMax/ArgMin: (outer, size, inner) of the input around the axis.
    public static func axisGeometry(_ shape: [Int], axis: Int) -> (outer: Int, size: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    /// The index ArgMax/ArgMin picks in one row (`value(j)` for j in 0..<size), ties broken as ONNX does.
    @inlinable public static func pick<T: Comparable>(size: Int, lastIndex: Bool, maximum: Bool, _ value: (Int) -> T) -> Int {
        var best = 0, bestValue = value(0)
        for j in 1..<Swift.max(size, 1) {
            let v = value(j)
            let better = maximum ? v > bestValue : v < bestValue
            if better || (lastIndex && v == bestValue) { best = j; bestValue = v }
        }
        return best
    }
}
