#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ModelGraph

/// Evaluates nodes whose inputs are all constants (and `Shape`, whose result is static) at import time.
/// Only small, exact operations: shape arithmetic and elementwise maths on constant tensors.
enum ConstantFolding {
    /// The element count of a folded result, charged to the import's folding budget before allocating.
    static func checkedSize(_ shape: [Int], _ c: NodeContext) throws -> Int {
        let count: Int
        do { count = try Shape.elementCount(shape) } catch { throw c.invalid("result of shape \(Shape.describe(shape)): \(error)") }
        try c.reserve(count)
        return count
    }

    /// Folding can make large tensors from few bytes (ConstantOfShape, broadcasting, Gather, Concat of one
    /// input many times, and any unary op repeated node after node), so every folded result that allocates
    /// is charged to one budget per import, checked before allocating: 2^22 elements (32 MiB as Double)
    /// plus one element per byte of the file — far above what shape arithmetic or a folded transpose of
    /// the weights needs. Import memory is then O(file bytes) (docs/proof-format.md, "Decoder bounds").
    static func elementBudget(fileBytes: Int) -> Int { (1 << 22) + fileBytes }
    static let budgetDescription = "2^22 elements plus one per byte of the file"
    /// Folds whose result shares its input's storage (nothing is allocated, nothing is charged).
    static let sharesStorage: Set<String> = ["Identity", "Dropout", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Constant"]
    /// The folded constant, or nil when the node must become a graph node.
    static func fold(_ c: NodeContext, builder: GraphBuilder) throws -> Constant? {
        if c.op == "Constant" { return try constantAttribute(c) }
        if c.op == "Shape" {
            guard let slot = c.input(0), let shape = c.shape(of: slot, in: builder) else { throw c.invalid("missing input") }
            let rank = shape.count
            var start = Int(clamping: try c.int("start", default: 0)), end = Int(clamping: try c.int("end", default: Int64(rank)))
            if start < 0 { start += rank }
            if end < 0 { end += rank }
            start = min(max(start, 0), rank); end = min(max(end, start), rank)
            let dims = shape[start..<end].map(Double.init)
            return Constant(tensor: try Tensor(shape: [dims.count], values: dims), isInteger: true)
        }
        var constants: [Constant?] = []
        for slot in c.inputs {
            switch slot {
            case nil: constants.append(nil)
            case .constant(let k)?: constants.append(k)
            default: return nil
            }
        }
        guard let first = constants.first ?? nil else {
            if c.op == "ConstantOfShape" { throw c.invalid("missing shape input") }
            return nil
        }
        let x = first.tensor
        if ["Cast", "Neg", "Sqrt", "Relu", "Transpose"].contains(c.op) { try c.reserve(x.count) }
        func same(_ values: [Double], integer: Bool = first.isInteger) throws -> Constant {
            Constant(tensor: try Tensor(shape: x.shape, values: values), isInteger: integer)
        }
        switch c.op {
        case "Identity", "Dropout": return first
        case "ConstantOfShape":
            let shape = try c.integerList(first, "shape")
            let count = try checkedSize(shape, c)
            var fill = 0.0, integer = false
            if let t = c.node.attribute("value")?.tensor {
                let v = try t.decode(what: "value")
                guard v.tensor.count == 1 else { throw c.invalid("value must hold one element") }
                fill = v.tensor.values[0]; integer = v.isInteger
            }
            return Constant(tensor: try Tensor(shape: shape, values: [Double](repeating: fill, count: count)), isInteger: integer)
        case "Cast":
            let format = try IndexingImport.castFormat(c)
            if case .real = format, try c.int("to", default: 1) == 1 {
                return try same(x.values.map { Double(Float($0)) }, integer: false)  // shape arithmetic in float32
            }
            let values: [Double]
            do { values = try x.values.map { try format.convert($0, fromInteger: first.isInteger) } } catch let error as ModelGraphError {
                throw c.invalid(error.description)
            }
            return try same(values, integer: format.isInteger)
        case "Neg": return try same(x.values.map { -$0 })
        case "Sqrt":
            guard x.values.allSatisfy({ $0 >= 0 }) else { throw c.invalid("square root of a negative constant") }
            return try same(x.values.map { $0.squareRoot() }, integer: false)
        case "Relu": return try same(x.values.map { max($0, 0) })
        case "Add", "Sub", "Mul", "Div":
            guard constants.count == 2, let second = constants[1] else { throw c.invalid("expects two inputs") }
            let shape = try Shape.broadcast(x.shape, second.tensor.shape)
            _ = try checkedSize(shape, c)
            let integer = first.isInteger && second.isInteger
            if c.op == "Div" && second.tensor.values.contains(0) { throw c.invalid("division by a constant zero") }
            let a = Shape.broadcastIndices(from: x.shape, to: shape), b = Shape.broadcastIndices(from: second.tensor.shape, to: shape)
            let values: [Double] = (0..<a.count).map { i in
                let p = x.values[a[i]], q = second.tensor.values[b[i]]
                switch c.op {
                case "Add": return p + q
                case "Sub": return p - q
                case "Mul": return p * q
                default: return integer ? (p / q).rounded(.towardZero) : p / q
                }
            }
            return Constant(tensor: try Tensor(shape: shape, values: values), isInteger: integer)
        case "Max", "Min", "Where", "Mod", "Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or":
            return try broadcastFold(c, constants)
        case "Not": return try same(x.values.map { $0 == 0 ? 1 : 0 }, integer: true)
        case "Abs": return try same(x.values.map { Swift.abs($0) })
        case "Floor": return try same(x.values.map { $0.rounded(.down) })
        case "Ceil": return try same(x.values.map { $0.rounded(.up) })
        case "Tile":
            guard constants.count == 2, let repeats = constants[1] else { throw c.invalid("expects input and repeats") }
            let counts = try c.integerList(repeats, "repeats")
            guard counts.count == x.shape.count, counts.allSatisfy({ $0 >= 0 && $0 <= 1 << 24 }) else {
                throw c.invalid("repeats \(counts) must give one count in 0...2^24 per axis")
            }
            let shape = zip(x.shape, counts).map { $0 * $1 }
            _ = try checkedSize(shape, c)
            let maps = (0..<shape.count).map { axis in (0..<shape[axis]).map { $0 % x.shape[axis] } }
            let sources = try AxisGather(kind: "Tile", inputShape: x.shape, maps: maps).sources()
            return Constant(tensor: try Tensor(shape: shape, values: sources.map { x.values[$0] }), isInteger: first.isInteger)
        case "Flatten", "Reshape", "Squeeze", "Unsqueeze":
            let target = try ShapeOps.reshapeTarget(c, inputShape: x.shape)
            return Constant(tensor: try Tensor(shape: target, values: x.values), isInteger: first.isInteger)
        case "Transpose":
            let perm = c.ints("perm").map { $0.map { Int(truncatingIfNeeded: $0) } } ?? Array((0..<x.shape.count).reversed())
            guard perm.count == x.shape.count, Set(perm) == Set(0..<x.shape.count) else { throw c.invalid("bad perm \(perm)") }
            let source = Layout.transposeSource(shape: x.shape, perm: perm)
            return Constant(tensor: try Tensor(shape: perm.map { x.shape[$0] }, values: source.map { x.values[$0] }), isInteger: first.isInteger)
        case "Concat":
            let parts = constants.compactMap { $0 }
            guard let axisRaw = c.node.attribute("axis")?.int else { throw c.invalid("missing attribute 'axis'") }
            let axis = try ShapeOps.normalizeAxis(axisRaw, rank: x.shape.count, c)
            let shape = try ShapeInference.outputShape(of: .concat(axis: axis), inputs: parts.map(\.tensor.shape))
            _ = try checkedSize(shape, c)
            var values: [Double] = []
            for run in Layout.concatRuns(shapes: parts.map(\.tensor.shape), axis: axis) {
                values.append(contentsOf: parts[run.input].tensor.values[run.start..<run.start + run.length])
            }
            return Constant(tensor: try Tensor(shape: shape, values: values), isInteger: parts.allSatisfy(\.isInteger))
        case "Gather":
            guard constants.count == 2, let indices = constants[1] else { throw c.invalid("expects data and indices") }
            let axis = try ShapeOps.normalizeAxis(try c.int("axis", default: 0), rank: x.shape.count, c)
            let size = x.shape[axis]
            let idx = try c.integerList(indices, "indices").map { i -> Int in
                guard i >= -size, i < size else { throw c.invalid("index \(i) out of range for size \(size)") }
                return i < 0 ? i + size : i
            }
            let outer = x.shape[..<axis].reduce(1, *), inner = x.shape[(axis + 1)...].reduce(1, *)
            let shape = Array(x.shape[..<axis]) + indices.tensor.shape + Array(x.shape[(axis + 1)...])
            _ = try checkedSize(shape, c)
            var values: [Double] = []
            for o in 0..<outer {
                for i in idx { values.append(contentsOf: x.values[(o * size + i) * inner..<(o * size + i + 1) * inner]) }
            }
            return Constant(tensor: try Tensor(shape: shape, values: values), isInteger: first.isInteger)
        case "Slice":
            return try slice(c, x, first.isInteger, constants)
        case "Expand":
            guard constants.count == 2, let shapeInput = constants[1] else { throw c.invalid("expects input and shape") }
            let requested = try c.integerList(shapeInput, "shape")
            guard requested.allSatisfy({ $0 >= 0 }) else { throw c.invalid("negative dimension in \(requested)") }
            let shape = try Shape.broadcast(x.shape, requested)
            _ = try checkedSize(shape, c)
            let map = Shape.broadcastIndices(from: x.shape, to: shape)
            return Constant(tensor: try Tensor(shape: shape, values: map.map { x.values[$0] }), isInteger: first.isInteger)
        case "Range":
            guard constants.count == 3, let limit = constants[1], let delta = constants[2] else { throw c.invalid("expects start, limit, delta") }
            let s = x.values.first ?? 0, l = limit.tensor.values.first ?? 0, d = delta.tensor.values.first ?? 0
            guard d != 0 else { throw c.invalid("delta is zero") }
            // In Double first: (limit − start)/delta can be huge or infinite, which Int() would trap on.
            let length = ((l - s) / d).rounded(.up)
            guard length <= Double(1 << 24) else { throw c.invalid("range of \(length) elements is too large to fold") }
            let n = length > 0 ? Int(length) : 0  // also 0 for −∞
            try c.reserve(n)
            return Constant(tensor: try Tensor(shape: [n], values: (0..<n).map { s + Double($0) * d }), isInteger: first.isInteger)
        default:
            // Other operators on constants (e.g. a Gemm of two constants) are not folded.
            if SupportedOperators.computed.contains(c.op) {
                throw Unsupported(reason: "\(c.op) with only constant inputs is not folded",
                                  suggestion: "simplify the model (e.g. onnx-simplifier) so constant subgraphs are precomputed")
            }
            return nil
        }
    }

    static func constantAttribute(_ c: NodeContext) throws -> Constant {
        if let t = c.node.attribute("value")?.tensor { return try t.decode(what: "Constant value") }
        if let a = c.node.attribute("value_float"), let f = a.float { return Constant(tensor: Tensor(scalar: Double(f)), isInteger: false) }
        if let a = c.node.attribute("value_int"), let i = a.int { return Constant(tensor: Tensor(scalar: Double(i)), isInteger: true) }
        if let a = c.node.attribute("value_floats") {
            return Constant(tensor: try Tensor(shape: [a.floats.count], values: a.floats.map(Double.init)), isInteger: false)
        }
        if let a = c.node.attribute("value_ints") {
            return Constant(tensor: try Tensor(shape: [a.ints.count], values: a.ints.map { Double($0) }), isInteger: true)
        }
        throw Unsupported(reason: "Constant without a numeric value (sparse or string constants)", suggestion: nil)
    }

    /// Per axis: the first index, the step and the number of elements Slice takes (inputs 1… must be constants).
    static func sliceGeometry(_ c: NodeContext, shape: [Int], constants: [Constant?]) throws -> (lo: [Int], step: [Int], size: [Int]) {
        let rank = shape.count
        var starts: [Int], ends: [Int], axes: [Int], steps: [Int]
        if c.opset < 10 {
            starts = (c.ints("starts") ?? []).map { Int(clamping: $0) }
            ends = (c.ints("ends") ?? []).map { Int(clamping: $0) }
            axes = (c.ints("axes") ?? (0..<Int64(starts.count)).map { $0 }).map { Int(clamping: $0) }
            steps = [Int](repeating: 1, count: starts.count)
        } else {
            func list(_ i: Int) throws -> [Int]? {
                guard i < constants.count, let k = constants[i] else { return nil }
                return k.tensor.values.map { Int(clamping: Int64(exactly: $0.rounded()) ?? ($0 < 0 ? Int64.min : Int64.max)) }
            }
            guard let s = try list(1), let e = try list(2) else { throw c.invalid("missing starts/ends") }
            starts = s; ends = e
            axes = try list(3) ?? Array(0..<s.count)
            steps = try list(4) ?? [Int](repeating: 1, count: s.count)
        }
        guard starts.count == ends.count, axes.count == starts.count, steps.count == starts.count else {
            throw c.invalid("starts, ends, axes and steps differ in length")
        }
        // Steps beyond ±2^32 take one element at most; clamping keeps the size arithmetic below from overflowing.
        steps = steps.map { min(max($0, -(1 << 32)), 1 << 32) }
        var lo = [Int](repeating: 0, count: rank), step = [Int](repeating: 1, count: rank), size = shape
        for (i, rawAxis) in axes.enumerated() {
            let axis = try ShapeOps.normalizeAxis(Int64(rawAxis), rank: rank, c)
            let dim = shape[axis]
            guard steps[i] != 0 else { throw c.invalid("zero step") }
            func clampIndex(_ v: Int, _ low: Int, _ high: Int) -> Int { min(max(v < 0 ? v + dim : v, low), high) }
            if steps[i] > 0 {
                let s = clampIndex(starts[i], 0, dim), e = clampIndex(ends[i], 0, dim)
                lo[axis] = s; step[axis] = steps[i]; size[axis] = max(0, (e - s + steps[i] - 1) / steps[i])
            } else {
                let s = clampIndex(starts[i], -1, dim - 1), e = clampIndex(ends[i], -1, dim - 1)
                lo[axis] = s; step[axis] = steps[i]; size[axis] = max(0, (s - e - steps[i] - 1) / -steps[i])
            }
        }
        return (lo, step, size)
    }

    static func slice(_ c: NodeContext, _ x: Tensor, _ integer: Bool, _ constants: [Constant?]) throws -> Constant {
        let rank = x.shape.count
        let (lo, step, size) = try sliceGeometry(c, shape: x.shape, constants: constants)
        let count = try checkedSize(size, c)
        let strides = Shape.strides(x.shape)
        var values = [Double](repeating: 0, count: count)
        var counter = [Int](repeating: 0, count: rank)
        for flat in 0..<count {
            var source = 0
            for axis in 0..<rank { source += (lo[axis] + counter[axis] * step[axis]) * strides[axis] }
            values[flat] = x.values[source]
            var axis = rank - 1
            while axis >= 0 {
                counter[axis] += 1
                if counter[axis] < size[axis] { break }
                counter[axis] = 0
                axis -= 1
            }
        }
        return Constant(tensor: try Tensor(shape: size, values: values), isInteger: integer)
    }

    /// Elementwise operators of several constant inputs with multidirectional broadcasting (shape arithmetic that
    /// exporters emit: Where(Equal(shape, −1), …), Mod, comparisons).
    static func broadcastFold(_ c: NodeContext, _ constants: [Constant?]) throws -> Constant {
        let parts = constants.compactMap { $0 }
        guard parts.count == constants.count, !parts.isEmpty else { throw c.invalid("missing input") }
        let arity = ["Where": 3, "Max": parts.count, "Min": parts.count][c.op] ?? 2
        guard parts.count == arity else { throw c.invalid("expects \(arity) inputs, got \(parts.count)") }
        let shape = try parts.dropFirst().reduce(parts[0].tensor.shape) { try Shape.broadcast($0, $1.tensor.shape) }
        _ = try checkedSize(shape, c)
        let maps = parts.map { Shape.broadcastIndices(from: $0.tensor.shape, to: shape) }
        let fmod = try c.int("fmod", default: 0) != 0
        var values = [Double](repeating: 0, count: shape.reduce(1, *))
        for i in values.indices {
            let v = (0..<parts.count).map { parts[$0].tensor.values[maps[$0][i]] }
            switch c.op {
            case "Max": values[i] = v.max()!
            case "Min": values[i] = v.min()!
            case "Where": values[i] = v[0] != 0 ? v[1] : v[2]
            case "Mod":
                guard v[1] != 0 else { throw c.invalid("Mod by zero") }
                let r = v[0].truncatingRemainder(dividingBy: v[1])
                // fmod = 0 (integers): the result takes the divisor's sign, as Python's %.
                values[i] = !fmod && r != 0 && (r < 0) != (v[1] < 0) ? r + v[1] : r
            case "Equal": values[i] = v[0] == v[1] ? 1 : 0
            case "Less": values[i] = v[0] < v[1] ? 1 : 0
            case "Greater": values[i] = v[0] > v[1] ? 1 : 0
            case "LessOrEqual": values[i] = v[0] <= v[1] ? 1 : 0
            case "GreaterOrEqual": values[i] = v[0] >= v[1] ? 1 : 0
            case "And": values[i] = v[0] != 0 && v[1] != 0 ? 1 : 0
            default: values[i] = v[0] != 0 || v[1] != 0 ? 1 : 0  // Or
            }
        }
        let logical = ["Equal", "Less", "Greater", "LessOrEqual", "GreaterOrEqual", "And", "Or"].contains(c.op)
        let integer = logical || (c.op == "Where" ? parts[1].isInteger && parts[2].isInteger : parts.allSatisfy(\.isInteger))
        return Constant(tensor: try Tensor(shape: shape, values: values), isInteger: integer)
    }
}
