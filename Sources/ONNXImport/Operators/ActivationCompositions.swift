import ModelGraph

/// Activations imported as compositions of existing operators (`Composition`), so their integers are the steps'
/// (docs/fixed-point.md §5c):
///
///     Selu(x) = γ·Relu(x) + αγ·Expm1(−Relu(−x))          Celu(x) = Relu(x) + α·Expm1(−Relu(−x)·(1/α))
///     ThresholdedRelu(x) = x·[x > α]                     Shrink(x) = (x − b)·[x > λ] + (x + b)·[x < −λ]
///     Softsign(x) = x·Reciprocal(1 + Abs(x))             Mish(x) = x·Tanh(Softplus(x))
///     Swish(x) = x·Sigmoid(α·x)                          Hardmax(x) = OneHot(ArgMax(x)) (an identity-table lookup)
///
/// where [·] is a comparison's bool Cast to a real (0 or 1).
enum ActivationCompositionImport {
    static let converters: [String: Converter] = [
        "Selu": selu, "Celu": celu, "ThresholdedRelu": thresholdedRelu, "Shrink": shrink, "Softsign": softsign,
        "Mish": mish, "Swish": swish, "Hardmax": hardmax,
        // Not compositions: rotary position embeddings' Sin and Cos are activations of their own (§6b).
        "Sin": { g, c in try g.add(c, .activation(.sin), [0]) },
        "Cos": { g, c in try g.add(c, .activation(.cos), [0]) },
    ]

    static func selu(_ g: inout GraphImport, _ c: NodeContext) throws {
        let alpha = try ActivationImport.finite(c, "alpha", default: 1.67326319217681884765625)
        let gamma = try ActivationImport.finite(c, "gamma", default: 1.05070102214813232421875)
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let positive = try k.add(&g, .mul, [try k.add(&g, .relu, [x]), try k.constant(&g, gamma)])
        let curve = try k.add(&g, .activation(.expm1), [try k.negativePart(&g, x)])
        let negative = try k.add(&g, .mul, [curve, try k.constant(&g, alpha * gamma)])
        _ = try k.add(&g, .add, [positive, negative], final: true)
    }

    static func celu(_ g: inout GraphImport, _ c: NodeContext) throws {
        let alpha = try ActivationImport.finite(c, "alpha", default: 1)
        guard alpha != 0 else { throw c.invalid("alpha is 0") }
        // Celu 28 adds float16 and bfloat16, whose results ONNX rounds to that type: the result is Cast onto it
        // (round to nearest even; beyond the type's range an error, where ONNX gives ±inf).
        var rounding: NumberFormat?
        if let type = g.elementTypes[c.node.inputs[0]], type == .float16 || type == .bfloat16 { rounding = type.format(saturate: false) }
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let positive = try k.add(&g, .relu, [x])
        let scaled = try k.add(&g, .mul, [try k.negativePart(&g, x), try k.constant(&g, 1 / alpha)])
        let curve = try k.add(&g, .activation(.expm1), [scaled])
        let negative = try k.add(&g, .mul, [curve, try k.constant(&g, alpha)])
        let celu = try k.add(&g, .add, [positive, negative], final: rounding == nil)
        if let rounding { _ = try k.add(&g, .indexing(.cast(to: rounding, fromInteger: false)), [celu], final: true) }
    }

    static func thresholdedRelu(_ g: inout GraphImport, _ c: NodeContext) throws {
        let alpha = try ActivationImport.finite(c, "alpha", default: 1)
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let flag = try k.indicator(&g, x, .greater, alpha)
        _ = try k.add(&g, .mul, [x, flag], final: true)
    }

    static func shrink(_ g: inout GraphImport, _ c: NodeContext) throws {
        let lambd = try ActivationImport.finite(c, "lambd", default: 0.5), bias = try ActivationImport.finite(c, "bias", default: 0)
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let above = try k.add(&g, .mul, [try k.add(&g, .sub, [x, try k.constant(&g, bias)]), try k.indicator(&g, x, .greater, lambd)])
        let below = try k.add(&g, .mul, [try k.add(&g, .add, [x, try k.constant(&g, bias)]), try k.indicator(&g, x, .less, -lambd)])
        _ = try k.add(&g, .add, [above, below], final: true)
    }

    static func softsign(_ g: inout GraphImport, _ c: NodeContext) throws {
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let magnitude = try k.add(&g, .add, [try k.add(&g, .relu, [x]), try k.add(&g, .relu, [try k.add(&g, .activation(.neg), [x])])])
        let denominator = try k.add(&g, .add, [magnitude, try k.constant(&g, 1)])
        _ = try k.add(&g, .mul, [x, try k.add(&g, .activation(.reciprocal), [denominator])], final: true)
    }

    static func mish(_ g: inout GraphImport, _ c: NodeContext) throws {
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let positive = try k.add(&g, .relu, [x])
        let negative = try k.add(&g, .relu, [try k.add(&g, .activation(.neg), [x])])
        let magnitude = try k.add(&g, .add, [positive, negative])
        let tail = try k.add(&g, .activation(.log1pExp), [try k.add(&g, .activation(.neg), [magnitude])])
        let softplus = try k.add(&g, .add, [positive, tail])
        _ = try k.add(&g, .mul, [x, try k.add(&g, .tanh, [softplus])], final: true)
    }

    static func swish(_ g: inout GraphImport, _ c: NodeContext) throws {
        let alpha = try ActivationImport.finite(c, "alpha", default: 1)
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let scaled = alpha == 1 ? x : try k.add(&g, .mul, [x, try k.constant(&g, alpha)])
        _ = try k.add(&g, .mul, [x, try k.add(&g, .sigmoid, [scaled])], final: true)
    }

    /// ArgMax along the axis (first index on ties), then row `index` of the n×n identity: the one-hot row, moved
    /// back to the axis. Before opset 13 the input is coerced to 2-D at the axis.
    static func hardmax(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        var axis = try ShapeOps.normalizeAxis(try c.int("axis", default: c.opset >= 13 ? -1 : 1), rank: shape.count, c)
        var k = Composition(c)
        var x = try k.input(&g, 0)
        var working = shape
        let coerced = c.opset < 13 && !(axis == shape.count - 1)
        if coerced {
            working = [shape[..<axis].reduce(1, *), shape[axis...].reduce(1, *)]
            x = try k.add(&g, .reshape(working), [x])
            axis = 1
        }
        let n = working[axis]
        guard n <= 4096 else { throw Unsupported(reason: "Hardmax over \(n) > 4096 entries", suggestion: nil) }
        try c.reserve(n * n)
        let argMax = ComparisonOp.argExtremum(axis: axis, keepDims: false, lastIndex: false, maximum: true)
        let index = n > ArgExtremumTree.maxRow
            ? try k.add(&g, .reshape(try argMax.outputShape([working])),
                        [try ArgExtremumTree.add(&g, &k, x, shape: working, axis: axis, maximum: true, lastIndex: false)])
            : try k.add(&g, .comparison(argMax), [x])
        let identity = try Tensor(shape: [n, n], values: (0..<n * n).map { $0 / n == $0 % n ? 1 : 0 })
        let last = axis == working.count - 1
        let rows = try k.add(&g, .indexing(.embedding(identity)), [index], final: last && !coerced)
        var y = rows
        if !last {
            // rows: [..before, ..after, n] → move the last axis back to `axis`.
            let rank = working.count
            var perm = Array(0..<axis) + [rank - 1]
            perm += Array(axis..<(rank - 1))
            y = try k.add(&g, .transpose(perm), [rows], final: !coerced)
        }
        if coerced { _ = try k.add(&g, .reshape(shape), [y], final: true) }
    }
}

extension Composition {
    /// −Relu(−x): x where x < 0, else 0.
    mutating func negativePart(_ g: inout GraphImport, _ x: ValueID) throws -> ValueID {
        try add(&g, .activation(.neg), [try add(&g, .relu, [try add(&g, .activation(.neg), [x])])])
    }

    /// [x ∘ threshold] as a real 0 or 1: the comparison's bool Cast to float.
    mutating func indicator(_ g: inout GraphImport, _ x: ValueID, _ relation: ComparisonOp.Relation, _ threshold: Double) throws -> ValueID {
        let flag = try add(&g, .comparison(.compare(relation)), [x, try constant(&g, threshold)])
        return try add(&g, .indexing(.cast(to: .real, fromInteger: true)), [flag])
    }
}
