import ModelGraph

/// Reductions and normalizations imported as compositions of existing operators (`Composition`), so their integers
/// are the steps' (docs/fixed-point.md §5c):
///
///     ReduceL1 = ReduceSum(Abs(x))          ReduceL2 = Sqrt(ReduceSum(x·x))       ReduceSumSquare = ReduceSum(x·x)
///     ReduceLogSum = Log(ReduceSum(x))      ReduceLogSumExp = m + Log(ReduceSum(Exp(x − m))), m = ReduceMax(x)
///     ReduceProd = the product of the reduced slices (products of two activations)
///     Mean(x₁…xₙ) = Sum(x₁…xₙ)·(1/n)        CumSum = a constant 0/1 triangular Linear along the axis
///     InstanceNormalization, GroupNormalization, MeanVarianceNormalization: LayerNormalization's steps (μ, d = x − μ,
///     σ = Sqrt(ReduceMean(d·d) + ε), d·Reciprocal(σ)) over their axes, then the per-channel scale and bias.
enum ReductionCompositionImport {
    static let converters: [String: Converter] = [
        "ReduceL1": reduce, "ReduceL2": reduce, "ReduceSumSquare": reduce, "ReduceLogSum": reduce,
        "ReduceLogSumExp": reduce, "ReduceProd": reduce, "Mean": mean, "CumSum": cumSum,
        "InstanceNormalization": instanceNormalization, "GroupNormalization": groupNormalization,
        "MeanVarianceNormalization": meanVarianceNormalization,
    ]

    /// The reduced axes (attribute before opset 18, constant input from 18), or nil for the identity
    /// (noop_with_empty_axes with no axes).
    static func axes(_ c: NodeContext, rank: Int) throws -> [Int]? {
        var axes: [Int]?
        if let listed = c.ints("axes") {
            axes = try listed.map { try ShapeOps.normalizeAxis($0, rank: rank, c) }
        } else if let constant = try c.optionalConstant(1, "axes") {
            axes = try c.integerList(constant, "axes").map { try ShapeOps.normalizeAxis(Int64($0), rank: rank, c) }
        }
        if axes?.isEmpty ?? true {
            if try c.int("noop_with_empty_axes", default: 0) != 0 { return nil }
            axes = Array(0..<rank)
        }
        let unique = Array(Set(axes!)).sorted()
        guard unique.count == axes!.count else { throw c.invalid("repeated axes") }
        return unique
    }

    static func reduce(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        var k = Composition(c)
        let x = try k.input(&g, 0)
        guard let axes = try axes(c, rank: shape.count) else {
            // noop_with_empty_axes: the elementwise part alone (ONNX applies it even without a reduction).
            switch c.op {
            case "ReduceL1": _ = try k.add(&g, .add, [try k.add(&g, .relu, [x]), try k.add(&g, .relu, [try k.add(&g, .activation(.neg), [x])])], final: true)
            case "ReduceL2": _ = try k.add(&g, .activation(.sqrt), [try k.add(&g, .mul, [x, x])], final: true)
            case "ReduceSumSquare": _ = try k.add(&g, .mul, [x, x], final: true)
            case "ReduceLogSum": _ = try k.add(&g, .activation(.log), [x], final: true)
            case "ReduceLogSumExp": _ = try k.add(&g, .activation(.log), [try k.add(&g, .activation(.exp), [x])], final: true)
            default: _ = try k.add(&g, .reshape(shape), [x], final: true)
            }
            return
        }
        let keepDims = try c.int("keepdims", default: 1) != 0
        let sum = Reduction(axes: axes, keepDims: keepDims, mean: false)
        // Over an empty set (a reduced axis of extent 0) every output element is exact without the elementwise step,
        // which an empty tensor may not feed (ModelGraph's empty-tensor rule): L1, L2 and SumSquare are sums of
        // nothing, 0 (√0 = 0), so ReduceSum(x) itself; a product of nothing is 1, ReduceSum(x) + 1. A log-sum of
        // nothing is −∞, which fixed point does not hold: refused with the reason.
        if axes.contains(where: { shape[$0] == 0 }) {
            switch c.op {
            case "ReduceL1", "ReduceL2", "ReduceSumSquare":
                _ = try k.add(&g, .pooling(.reduce(sum)), [x], final: true)
                return
            case "ReduceProd":
                _ = try k.add(&g, .add, [try k.add(&g, .pooling(.reduce(sum)), [x]), try k.constant(&g, 1)], final: true)
                return
            default:
                throw Unsupported(reason: "\(c.op) over an empty set (a reduced axis of extent 0) is −∞, which fixed point does not hold",
                                  suggestion: nil)
            }
        }
        switch c.op {
        case "ReduceL1":
            let magnitude = try k.add(&g, .add, [try k.add(&g, .relu, [x]), try k.add(&g, .relu, [try k.add(&g, .activation(.neg), [x])])])
            _ = try k.add(&g, .pooling(.reduce(sum)), [magnitude], final: true)
        case "ReduceL2":
            let squares = try k.add(&g, .pooling(.reduce(sum)), [try k.add(&g, .mul, [x, x])])
            _ = try k.add(&g, .activation(.sqrt), [squares], final: true)
        case "ReduceSumSquare":
            _ = try k.add(&g, .pooling(.reduce(sum)), [try k.add(&g, .mul, [x, x])], final: true)
        case "ReduceLogSum":
            _ = try k.add(&g, .activation(.log), [try k.add(&g, .pooling(.reduce(sum))  , [x])], final: true)
        case "ReduceLogSumExp":
            let kept = Reduction(axes: axes, keepDims: true, mean: false)
            let m = try ExtremumTree.add(&g, &k, x, shape: shape, kept, maximum: true)
            let total = try k.add(&g, .pooling(.reduce(sum)), [try k.add(&g, .activation(.exp), [try k.add(&g, .sub, [x, m])])])
            let log = try k.add(&g, .activation(.log), [total])
            let shift = keepDims ? m : try k.add(&g, .reshape(try PoolingOp.reduce(sum).outputShape([shape])), [m])
            _ = try k.add(&g, .add, [log, shift], final: true)
        default:
            try product(&g, &k, x, shape: shape, axes: axes, keepDims: keepDims)
        }
    }

    /// Largest number of factors ReduceProd multiplies (one product node each).
    static let maxFactors = 64

    /// ReduceProd: the reduced axes moved last and flattened to n, then the n slices multiplied pairwise.
    static func product(_ g: inout GraphImport, _ k: inout Composition, _ x: ValueID, shape: [Int], axes: [Int], keepDims: Bool) throws {
        let kept = (0..<shape.count).filter { !axes.contains($0) }
        let n = axes.reduce(1) { $0 * shape[$1] }, rest = kept.reduce(1) { $0 * shape[$1] }
        guard n <= maxFactors else {
            throw Unsupported(reason: "ReduceProd of \(n) factors; at most \(maxFactors) are supported", suggestion: nil)
        }
        let outputShape = try PoolingOp.reduce(Reduction(axes: axes, keepDims: keepDims, mean: false)).outputShape([shape])
        var current = x
        if kept + axes != Array(0..<shape.count) { current = try k.add(&g, .transpose(kept + axes), [current]) }
        current = try k.add(&g, .reshape([rest, n]), [current])
        var factors: [ValueID] = []
        for j in 0..<n {
            let slice = try AxisGather(kind: "ReduceProd", inputShape: [rest, n], maps: [Array(0..<rest), [j]])
            factors.append(try k.add(&g, .movement(.gatherAxes(slice)), [current]))
        }
        while factors.count > 1 {
            var next: [ValueID] = []
            for pair in stride(from: 0, to: factors.count - 1, by: 2) { next.append(try k.add(&g, .mul, [factors[pair], factors[pair + 1]])) }
            if factors.count % 2 == 1 { next.append(factors.last!) }
            factors = next
        }
        _ = try k.add(&g, .reshape(outputShape), [factors[0]], final: true)
    }

    static func mean(_ g: inout GraphImport, _ c: NodeContext) throws {
        let present = (0..<c.inputs.count).filter { c.input($0) != nil }
        guard !present.isEmpty else { throw c.invalid("needs at least one input") }
        var k = Composition(c)
        let operands = try present.map { try k.input(&g, $0) }
        if operands.count == 1 {
            _ = try k.add(&g, .reshape(g.builder.graph.values[operands[0]].shape), [operands[0]], final: true)
            return
        }
        let total = try k.add(&g, .sum, operands)
        _ = try k.add(&g, .mul, [total, try k.constant(&g, 1 / Double(operands.count))], final: true)
    }

    /// Largest axis CumSum sums along (its n×n constant weight).
    static let maxCumulativeLength = 4096

    /// CumSum along a constant axis: y = x·Wᵀ over that axis moved last, W[i][j] = 1 where j ≤ i (j < i when
    /// exclusive; mirrored when reverse). Integer tensors: `integerCumSum` (the linear layer computes on reals).
    static func cumSum(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let axisConstant = try c.constantInput(1, "axis")
        guard axisConstant.tensor.count == 1 else { throw c.invalid("axis must hold one value") }
        let axis = try ShapeOps.normalizeAxis(Int64(try c.integerList(axisConstant, "axis")[0]), rank: shape.count, c)
        let exclusive = try c.int("exclusive", default: 0) != 0, reverse = try c.int("reverse", default: 0) != 0
        let n = shape[axis]
        guard n <= maxCumulativeLength else {
            throw Unsupported(reason: "CumSum along an axis of \(n) > \(maxCumulativeLength) elements", suggestion: nil)
        }
        var k = Composition(c)
        var x = try k.input(&g, 0)
        if g.builder.graph.values[x].isInteger {
            try integerCumSum(&g, &k, c, x, shape: shape, axis: axis, covered: { i, j in
                reverse ? (exclusive ? j > i : j >= i) : (exclusive ? j < i : j <= i)
            })
            return
        }
        try c.reserve(n * n)
        let weight = (0..<n * n).map { entry -> Double in
            let (i, j) = (entry / n, entry % n)
            let covered = reverse ? (exclusive ? j > i : j >= i) : (exclusive ? j < i : j <= i)
            return covered ? 1 : 0
        }
        let last = axis == shape.count - 1
        var perm = Array(0..<shape.count)
        perm.swapAt(axis, shape.count - 1)
        if !last { x = try k.add(&g, .transpose(perm), [x]) }
        let y = try k.add(&g, .linear(try Linear(weight: try Tensor(shape: [n, n], values: weight), bias: nil)), [x], final: last)
        if !last { _ = try k.add(&g, .transpose(perm), [y], final: true) }
    }

    /// Longest axis an integer CumSum sums along (one selection and one addition per position).
    static let maxIntegerCumulativeLength = 64

    /// CumSum of an integer tensor, exact: y = Σ_j S_j with S_j[…, i, …] = x[…, j, …] where position j is covered
    /// for position i along the axis, else 0 (an element selection), added with the element type's wrapping
    /// integer addition, as ONNX's integer CumSum wraps.
    static func integerCumSum(_ g: inout GraphImport, _ k: inout Composition, _ c: NodeContext, _ x: ValueID, shape: [Int], axis: Int,
                              covered: (Int, Int) -> Bool) throws {
        let n = shape[axis]
        guard n >= 1, n <= maxIntegerCumulativeLength else {
            throw Unsupported(reason: "CumSum of an integer tensor along an axis of \(n) elements; 1 to \(maxIntegerCumulativeLength) are supported",
                              suggestion: nil)
        }
        let count = try Shape.elementCount(shape)
        try c.reserve(count * n)
        let format = g.integerFormat(of: c.node.inputs[0])
        let stride = Shape.strides(shape)[axis]
        var total: ValueID?
        for j in 0..<n {
            let sources = (0..<count).map { flat -> Int in
                let i = (flat / stride) % n
                return covered(i, j) ? flat + (j - i) * stride : -1
            }
            let term = try k.add(&g, .movement(.select(try ElementSelection(kind: "CumSum", inputShapes: [shape], outputShape: shape, sources: sources))),
                                 [x], final: n == 1)
            if let sum = total {
                total = try k.add(&g, .indexing(.integer(.add, wrap: format)), [sum, term], final: j == n - 1)
            } else {
                total = term
            }
        }
    }

    /// (x − μ)·Reciprocal(Sqrt(ReduceMean((x − μ)²) + ε)) over `axes` (kept as size 1).
    static func standardize(_ g: inout GraphImport, _ k: inout Composition, _ x: ValueID, axes: [Int], epsilon: Double) throws -> ValueID {
        let mean = Reduction(axes: axes, keepDims: true, mean: true)
        let d = try k.add(&g, .sub, [x, try k.add(&g, .pooling(.reduce(mean)), [x])])
        let variance = try k.add(&g, .pooling(.reduce(mean)), [try k.add(&g, .mul, [d, d])])
        let shifted = epsilon == 0 ? variance : try k.add(&g, .add, [variance, try k.constant(&g, epsilon)])
        let inverse = try k.add(&g, .activation(.reciprocal), [try k.add(&g, .activation(.sqrt), [shifted])])
        return try k.add(&g, .mul, [d, inverse])
    }

    /// z·scale + bias with per-channel [C] constants broadcast over [N, C, spatial...].
    static func channelAffine(_ g: inout GraphImport, _ k: inout Composition, _ c: NodeContext, _ z: ValueID, shape: [Int],
                              scale: Tensor, bias: Tensor) throws {
        let channels = shape[1]
        guard scale.count == channels, bias.count == channels else {
            throw c.invalid("scale and bias must hold \(channels) values, got \(scale.count) and \(bias.count)")
        }
        let affine = [channels] + [Int](repeating: 1, count: shape.count - 2)
        k.step += 1
        let scaleID = try g.builder.addConstant("\(k.prefix)/\(c.op.lowercased())_scale", try Tensor(shape: affine, values: scale.values))
        let biasID = try g.builder.addConstant("\(k.prefix)/\(c.op.lowercased())_bias", try Tensor(shape: affine, values: bias.values))
        _ = try k.add(&g, .add, [try k.add(&g, .mul, [z, scaleID]), biasID], final: true)
    }

    static func instanceNormalization(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        guard shape.count >= 3 else { throw c.invalid("input \(Shape.describe(shape)) must be [N, C, spatial...]") }
        let epsilon = try ActivationImport.finite(c, "epsilon", default: 1e-5)
        let scale = try c.constantInput(1, "scale").tensor, bias = try c.constantInput(2, "B").tensor
        var k = Composition(c)
        let z = try standardize(&g, &k, try k.input(&g, 0), axes: Array(2..<shape.count), epsilon: epsilon)
        try channelAffine(&g, &k, c, z, shape: shape, scale: scale, bias: bias)
    }

    /// The channels in `num_groups` groups, each standardized over its channels and positions; scale and bias per
    /// channel (opset 21), or per group (opset 18, repeated over the group's channels).
    static func groupNormalization(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        guard shape.count >= 3 else { throw c.invalid("input \(Shape.describe(shape)) must be [N, C, spatial...]") }
        let epsilon = try ActivationImport.finite(c, "epsilon", default: 1e-5)
        let groups = try c.int("num_groups", default: 0)
        let channels = shape[1]
        guard groups >= 1, groups <= Int64(channels), channels % Int(groups) == 0 else {
            throw c.invalid("num_groups \(groups) does not divide \(channels) channels")
        }
        let g0 = Int(groups), perGroup = channels / g0
        var scale = try c.constantInput(1, "scale").tensor, bias = try c.constantInput(2, "bias").tensor
        if c.opset < 21, scale.count == g0, bias.count == g0 {
            let expand = { (t: Tensor) in try Tensor(shape: [channels], values: (0..<channels).map { t.values[$0 / perGroup] }) }
            scale = try expand(scale)
            bias = try expand(bias)
        }
        var k = Composition(c)
        let spatial = shape[2...].reduce(1, *)
        let grouped = try k.add(&g, .reshape([shape[0], g0, perGroup * spatial]), [try k.input(&g, 0)])
        let z = try standardize(&g, &k, grouped, axes: [2], epsilon: epsilon)
        try channelAffine(&g, &k, c, try k.add(&g, .reshape(shape), [z]), shape: shape, scale: scale, bias: bias)
    }

    /// (x − μ)/√(ReduceMean((x − μ)²)) over `axes` (default [0, 2, 3]); ONNX's ε = 10⁻⁹ is below one unit of any
    /// fixed-point scale, so it is left out (a constant input is then an error in both paths).
    static func meanVarianceNormalization(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let listed = c.ints("axes") ?? [0, 2, 3]
        let axes = Array(Set(try listed.map { try ShapeOps.normalizeAxis($0, rank: shape.count, c) })).sorted()
        guard axes.count == listed.count else { throw c.invalid("repeated axes") }
        var k = Composition(c)
        let z = try standardize(&g, &k, try k.input(&g, 0), axes: axes, epsilon: 0)
        _ = try k.add(&g, .reshape(shape), [z], final: true)
    }
}
