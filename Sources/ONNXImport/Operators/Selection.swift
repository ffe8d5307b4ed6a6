import ModelGraph

/// Data movement by constant indices → `movement`: Tile (an axis gather), DepthToSpace and SpaceToDepth (Reshape,
/// Transpose, Reshape), Trilu, GatherElements, GatherND and ScatterND (element selections), and OneHot (an embedding
/// lookup in a constant table). Every size is checked against the graph's activation budget before a map is
/// allocated; every index against its axis.
enum SelectionImport {
    static let converters: [String: Converter] = [
        "Tile": tile, "DepthToSpace": depthToSpace, "SpaceToDepth": spaceToDepth, "Trilu": trilu,
        "GatherElements": gatherElements, "GatherND": gatherND, "ScatterND": scatterND, "OneHot": oneHot,
    ]

    /// The element count of `shape`, refused (exit 2) beyond what one model's activations may hold.
    /// `allowEmpty`: an empty result is data movement of nothing (ModelGraph lets such a node through; no kernel runs it).
    static func checkedCount(_ shape: [Int], _ c: NodeContext, allowEmpty: Bool = false) throws -> Int {
        let count: Int
        do { count = try Shape.elementCount(shape) } catch { throw c.invalid("output of shape \(Shape.describe(shape)): \(error)") }
        guard count <= GraphBudget.maxActivationElements else {
            throw c.invalid("output of shape \(Shape.describe(shape)) has more than \(GraphBudget.maxActivationElements) elements (ZKInfer's limit)")
        }
        guard count > 0 || allowEmpty else { throw c.invalid("output of shape \(Shape.describe(shape)) has no elements; empty tensors are not supported") }
        return count
    }

    static func tile(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let repeats = try c.integerList(try c.constantInput(1, "repeats"), "repeats")
        guard repeats.count == shape.count else { throw c.invalid("repeats has \(repeats.count) entries for rank \(shape.count)") }
        var target: [Int] = []
        for (n, r) in zip(shape, repeats) {
            guard r >= 0 else { throw c.invalid("negative repeat \(r)") }
            let (size, overflow) = n.multipliedReportingOverflow(by: r)
            guard !overflow, size <= GraphBudget.maxActivationElements else { throw c.invalid("repeats \(repeats) make an axis of more than 2^27 elements") }
            target.append(size)
        }
        _ = try checkedCount(target, c)
        let maps = zip(shape, target).map { n, size in (0..<size).map { $0 % n } }
        try g.add(c, .movement(.gatherAxes(try AxisGather(kind: "Tile", inputShape: shape, maps: maps))), [0])
    }

    static func blocksize(_ c: NodeContext, _ shape: [Int]) throws -> Int {
        guard shape.count == 4 else { throw c.invalid("input \(Shape.describe(shape)) must be [N, C, H, W]") }
        let b = try c.int("blocksize", default: 0)
        guard b >= 1, b <= 1 << 12 else { throw c.invalid("blocksize \(b)") }
        return Int(b)
    }

    /// DCR: [N, b, b, C/b², H, W] permuted (0, 3, 4, 1, 5, 2); CRD: [N, C/b², b, b, H, W] permuted (0, 1, 4, 2, 5, 3).
    static func depthToSpace(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let b = try blocksize(c, shape)
        let (n, channels, h, w) = (shape[0], shape[1], shape[2], shape[3])
        guard channels % (b * b) == 0 else { throw c.invalid("\(channels) channels are not a multiple of blocksize² = \(b * b)") }
        let mode = c.node.attribute("mode")?.string ?? "DCR"
        let depth = channels / (b * b)
        let (split, perm): ([Int], [Int])
        switch mode {
        case "DCR": (split, perm) = ([n, b, b, depth, h, w], [0, 3, 4, 1, 5, 2])
        case "CRD": (split, perm) = ([n, depth, b, b, h, w], [0, 1, 4, 2, 5, 3])
        default: throw c.invalid("mode '\(mode)'; expected DCR or CRD")
        }
        try movement(&g, c, split: split, perm: perm, target: [n, depth, h * b, w * b])
    }

    static func spaceToDepth(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let b = try blocksize(c, shape)
        let (n, channels, h, w) = (shape[0], shape[1], shape[2], shape[3])
        guard h % b == 0, w % b == 0 else { throw c.invalid("spatial size \(h)×\(w) is not a multiple of blocksize \(b)") }
        // DCR (the default): the block offsets lead the new channel axis; CRD (opset 28): the channels lead.
        let perm: [Int]
        switch c.node.attribute("mode")?.string ?? "DCR" {
        case "DCR": perm = [0, 3, 5, 1, 2, 4]
        case "CRD": perm = [0, 1, 3, 5, 2, 4]
        case let mode: throw c.invalid("mode '\(mode)'; expected DCR or CRD")
        }
        try movement(&g, c, split: [n, channels, h / b, b, w / b, b], perm: perm, target: [n, channels * b * b, h / b, w / b])
    }

    static func movement(_ g: inout GraphImport, _ c: NodeContext, split: [Int], perm: [Int], target: [Int]) throws {
        var k = Composition(c)
        let x = try k.add(&g, .reshape(split), [try k.input(&g, 0)])
        _ = try k.add(&g, .reshape(target), [try k.add(&g, .transpose(perm), [x])], final: true)
    }

    /// Keeps the elements with j − i ≥ k (upper) or j − i ≤ k (lower) of the last two axes, zeroes the others.
    static func trilu(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        guard shape.count >= 2 else { throw c.invalid("input \(Shape.describe(shape)) needs at least two axes") }
        var k = 0
        if let constant = try c.optionalConstant(1, "k") {
            guard constant.tensor.count == 1 else { throw c.invalid("k must hold one value") }
            k = try c.integerList(constant, "k")[0]
        }
        let upper = try c.int("upper", default: 1) != 0
        let count = try checkedCount(shape, c, allowEmpty: true)
        let rows = shape[shape.count - 2], columns = shape[shape.count - 1]
        let sources = (0..<count).map { flat -> Int in
            let j = flat % columns, i = (flat / columns) % rows
            let kept = upper ? j - i >= k : j - i <= k
            return kept ? flat : -1
        }
        try g.add(c, .movement(.select(try ElementSelection(kind: "Trilu", inputShapes: [shape], outputShape: shape, sources: sources))), [0])
    }

    /// Indices of a constant input, each checked against its axis size (negative ones count from the end).
    static func indices(_ c: NodeContext, _ index: Int, _ role: String) throws -> Tensor {
        guard case .constant(let constant)? = c.input(index) else {
            throw Unsupported(reason: "\(c.op) by computed \(role); constant indices are supported", suggestion: nil)
        }
        return constant.tensor
    }

    static func resolve(_ v: Double, size: Int, _ c: NodeContext) throws -> Int {
        guard v == v.rounded(), v >= -Double(size), v < Double(size) else {
            throw c.invalid("index \(v) out of range for an axis of size \(size)")
        }
        let i = Int(v)
        return i < 0 ? i + size : i
    }

    /// out[p] = data[p with p[axis] replaced by indices[p]]; indices has data's rank.
    static func gatherElements(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let index = try indices(c, 1, "indices")
        let axis = try ShapeOps.normalizeAxis(try c.int("axis", default: 0), rank: shape.count, c)
        guard index.shape.count == shape.count,
              (0..<shape.count).allSatisfy({ $0 == axis || index.shape[$0] <= shape[$0] }) else {
            throw c.invalid("indices \(Shape.describe(index.shape)) do not fit data \(Shape.describe(shape)) on axis \(axis)")
        }
        let count = try checkedCount(index.shape, c)
        let outStrides = Shape.strides(index.shape), inStrides = Shape.strides(shape)
        let sources = try (0..<count).map { flat -> Int in
            var source = 0
            for d in 0..<shape.count {
                let coordinate = (flat / outStrides[d]) % index.shape[d]
                source += (d == axis ? try resolve(index.values[flat], size: shape[axis], c) : coordinate) * inStrides[d]
            }
            return source
        }
        try g.add(c, .movement(.select(try ElementSelection(kind: "GatherElements", inputShapes: [shape], outputShape: index.shape, sources: sources))), [0])
    }

    /// The slices GatherND and ScatterND address: for indices [b₀…, m…, k] with `batch` leading batch axes, each
    /// index tuple (batch position, m) names the data slice data[batch…, i₁…i_k, :] of `sliceSize` elements.
    struct Addressing {
        let batchCount: Int, tuples: Int, sliceSize: Int
        /// Flat start in data of each of the batchCount·tuples slices.
        let starts: [Int]

        init(data: [Int], indices: Tensor, batch: Int, _ c: NodeContext) throws {
            let q = indices.shape.count
            guard q >= 1, batch >= 0, batch < min(q, data.count + 1), batch <= data.count else {
                throw c.invalid("batch_dims \(batch) does not fit indices \(Shape.describe(indices.shape)) and data \(Shape.describe(data))")
            }
            guard Array(indices.shape[..<batch]) == Array(data[..<batch]) else {
                throw c.invalid("the batch axes of indices \(Shape.describe(indices.shape)) and data \(Shape.describe(data)) differ")
            }
            let k = indices.shape[q - 1]
            guard k >= 1, batch + k <= data.count else {
                throw c.invalid("index tuples of \(k) entries do not fit data \(Shape.describe(data)) after \(batch) batch axes")
            }
            batchCount = data[..<batch].reduce(1, *)
            tuples = indices.shape[batch..<(q - 1)].reduce(1, *)
            sliceSize = data[(batch + k)...].reduce(1, *)
            let strides = Shape.strides(data)
            var starts: [Int] = []
            starts.reserveCapacity(batchCount * tuples)
            for b in 0..<batchCount {
                // The batch position's offset: b spread over the batch axes (row-major, like the strides).
                let batchOffset = batch == 0 ? 0 : b * strides[batch - 1]
                for t in 0..<tuples {
                    var start = batchOffset
                    for j in 0..<k {
                        start += try resolve(indices.values[(b * tuples + t) * k + j], size: data[batch + j], c) * strides[batch + j]
                    }
                    starts.append(start)
                }
            }
            self.starts = starts
        }
    }

    static func gatherND(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let index = try indices(c, 1, "indices")
        let batch = Int(clamping: try c.int("batch_dims", default: 0))
        let q = index.shape.count
        guard q >= 1, batch >= 0, batch < q, let k = index.shape.last, batch + k <= shape.count else {
            throw c.invalid("indices \(Shape.describe(index.shape)) with batch_dims \(batch) do not fit data \(Shape.describe(shape))")
        }
        let outputShape = Array(index.shape[..<(q - 1)]) + Array(shape[(batch + k)...])
        _ = try checkedCount(outputShape, c)
        let addressing = try Addressing(data: shape, indices: index, batch: batch, c)
        var sources: [Int] = []
        sources.reserveCapacity(addressing.starts.count * addressing.sliceSize)
        for start in addressing.starts { sources += start..<(start + addressing.sliceSize) }
        try g.add(c, .movement(.select(try ElementSelection(kind: "GatherND", inputShapes: [shape], outputShape: outputShape, sources: sources))), [0])
    }

    /// data with the slices the indices name replaced by the updates' (in order, so a repeated index keeps the last
    /// update, as the ONNX reference does). With a reduction (add, mul, max, min) and constant updates: the updates
    /// folded per position into one constant, then one elementwise step (`scatterReduce`).
    static func scatterND(_ g: inout GraphImport, _ c: NodeContext) throws {
        let reduction = c.node.attribute("reduction")?.string ?? "none"
        guard ["none", "add", "mul", "max", "min"].contains(reduction) else { throw c.invalid("reduction '\(reduction)'") }
        guard c.inputs.count == 3, let data = c.input(0), let updates = c.input(2) else { throw c.invalid("expects data, indices and updates") }
        if reduction != "none" { return try scatterReduce(&g, c, reduction) }
        let shape = try g.shape(c, 0), updateShape = try g.shape(c, 2)
        let index = try indices(c, 1, "indices")
        let q = index.shape.count
        guard q >= 1, let k = index.shape.last, k >= 1, k <= shape.count,
              updateShape == Array(index.shape[..<(q - 1)]) + Array(shape[k...]) else {
            throw c.invalid("updates \(Shape.describe(updateShape)) do not match indices \(Shape.describe(index.shape)) and data \(Shape.describe(shape))")
        }
        var kinds: [Bool] = []
        for slot in [data, updates] { if case .value(let id) = slot { kinds.append(g.builder.graph.values[id].isInteger) } }
        if Set(kinds).count > 1 { throw Unsupported(reason: "ScatterND of integer data with real updates (or the reverse)", suggestion: nil) }
        if kinds.first == true {
            for case .constant(let constant) in [data, updates] where !constant.tensor.values.allSatisfy({ $0 == $0.rounded() && abs($0) < 0x1p62 }) {
                throw c.invalid("a constant operand of an integer ScatterND is not integer-valued")
            }
        }
        let count = try checkedCount(shape, c)
        let addressing = try Addressing(data: shape, indices: index, batch: 0, c)
        var sources = Array(0..<count)
        for (t, start) in addressing.starts.enumerated() {
            for e in 0..<addressing.sliceSize { sources[start + e] = count + t * addressing.sliceSize + e }
        }
        let selection = try ElementSelection(kind: "ScatterND", inputShapes: [shape, updateShape], outputShape: shape, sources: sources)
        try g.add(c, .movement(.select(selection)), [0, 2])
    }

    /// ScatterND with a reduction, computed data and constant updates U (folded per position p in index order):
    /// add: data + A (A_p = Σ U, 0 elsewhere); mul: data·P (P_p = Π U, 1 elsewhere); max: data + M·Relu(X − data);
    /// min: data − M·Relu(data − X) (X_p = max / min of U, M the 0/1 mask of the addressed positions: exact products).
    static func scatterReduce(_ g: inout GraphImport, _ c: NodeContext, _ reduction: String) throws {
        try g.requireComputedFirst(c)
        guard case .constant(let updates)? = c.input(2) else {
            throw Unsupported(reason: "ScatterND with reduction '\(reduction)' of computed updates; constant updates are supported", suggestion: nil)
        }
        let shape = try g.shape(c, 0)
        let index = try indices(c, 1, "indices")
        let q = index.shape.count
        guard q >= 1, let k = index.shape.last, k >= 1, k <= shape.count,
              updates.tensor.shape == Array(index.shape[..<(q - 1)]) + Array(shape[k...]) else {
            throw c.invalid("updates \(Shape.describe(updates.tensor.shape)) do not match indices \(Shape.describe(index.shape)) and data \(Shape.describe(shape))")
        }
        guard updates.tensor.values.allSatisfy(\.isFinite) else { throw c.invalid("the updates are not finite") }
        let count = try checkedCount(shape, c)
        try c.reserve(2 * count)
        let addressing = try Addressing(data: shape, indices: index, batch: 0, c)
        var folded = [Double](repeating: reduction == "mul" ? 1 : 0, count: count), mask = [Double](repeating: 0, count: count)
        for (t, start) in addressing.starts.enumerated() {
            for e in 0..<addressing.sliceSize {
                let u = updates.tensor.values[t * addressing.sliceSize + e], p = start + e
                switch reduction {
                case "add": folded[p] += u
                case "mul": folded[p] *= u
                case "max": folded[p] = mask[p] == 0 ? u : Swift.max(folded[p], u)
                default: folded[p] = mask[p] == 0 ? u : Swift.min(folded[p], u)
                }
                mask[p] = 1
            }
        }
        var k2 = Composition(c)
        let x = try k2.input(&g, 0)
        guard !g.builder.graph.values[x].isInteger else {
            throw Unsupported(reason: "ScatterND with reduction '\(reduction)' of an integer tensor; Cast it to float first", suggestion: nil)
        }
        func constant(_ values: [Double], _ role: String) throws -> ValueID {
            k2.step += 1
            return try g.builder.addConstant("\(k2.prefix)/scatternd_\(role)", try Tensor(shape: shape, values: values))
        }
        switch reduction {
        case "add": _ = try k2.add(&g, .add, [x, try constant(folded, "sum")], final: true)
        case "mul": _ = try k2.add(&g, .mul, [x, try constant(folded, "product")], final: true)
        case "max":
            let excess = try k2.add(&g, .relu, [try k2.add(&g, .sub, [try constant(folded, "max"), x])])
            _ = try k2.add(&g, .add, [x, try k2.add(&g, .mul, [excess, try constant(mask, "mask")])], final: true)
        default:
            let excess = try k2.add(&g, .relu, [try k2.add(&g, .sub, [x, try constant(folded, "min")])])
            _ = try k2.add(&g, .sub, [x, try k2.add(&g, .mul, [excess, try constant(mask, "mask")])], final: true)
        }
    }

    /// Largest depth OneHot accepts (its depth × depth table).
    static let maxDepth = 4096

    /// OneHot(indices, depth, [off, on]): row `index` of the depth × depth table off + (on − off)·I, looked up like
    /// an embedding (negative indices count from the end; an index outside [−depth, depth) is an error at run time,
    /// where ONNX would give a row of `off`), then moved to `axis`. Real indices are Cast to int64 first.
    static func oneHot(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let depthConstant = try c.constantInput(1, "depth")
        guard depthConstant.tensor.count == 1 else { throw c.invalid("depth must hold one value") }
        let depthValue = depthConstant.tensor.values[0].rounded(.towardZero)
        guard depthValue >= 1, depthValue <= Double(Shape.maxElements) else { throw c.invalid("depth \(depthConstant.tensor.values[0])") }
        guard depthValue <= Double(maxDepth) else {
            throw Unsupported(reason: "OneHot depth \(depthConstant.tensor.values[0]); 1 to \(maxDepth) is supported", suggestion: nil)
        }
        let depth = Int(depthValue)
        let values = try c.constantInput(2, "values").tensor
        guard values.count == 2, values.values.allSatisfy(\.isFinite) else { throw c.invalid("values must hold two finite numbers [off, on]") }
        let rank = shape.count + 1
        let axis = try ShapeOps.normalizeAxis(try c.int("axis", default: -1), rank: rank, c)
        _ = try checkedCount(shape + [depth], c)
        try c.reserve(depth * depth)
        let (off, on) = (values.values[0], values.values[1])
        let table = try Tensor(shape: [depth, depth], values: (0..<depth * depth).map { $0 / depth == $0 % depth ? on : off })
        var k = Composition(c)
        var index = try k.input(&g, 0)
        if !g.builder.graph.values[index].isInteger {
            index = try k.add(&g, .indexing(.cast(to: .integer(bits: 64, signed: true), fromInteger: false)), [index])
        }
        let last = axis == rank - 1
        let rows = try k.add(&g, .indexing(.embedding(table)), [index], final: last)
        if !last {
            let perm = Array(0..<axis) + [rank - 1] + Array(axis..<(rank - 1))
            _ = try k.add(&g, .transpose(perm), [rows], final: true)
        }
    }
}
