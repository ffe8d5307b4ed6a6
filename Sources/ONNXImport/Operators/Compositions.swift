import ModelGraph

/// Operators imported as compositions of others whose integers are exactly the operator's (docs/fixed-point.md §5),
/// so the direct path and the circuit handle them with no gadget of their own:
///
///     Abs(x) = Relu(x) + Relu(−x)                      Max(a, b) = a + Relu(b − a)      Min(a, b) = a − Relu(a − b)
///     HardSigmoid(x) = Clip(x·α + β, 0, 1)              HardSwish(x) = x·HardSigmoid_{1/6, ½}(x)
///     PRelu(x, slope) = Relu(x) + Relu(−x)·(−slope)
///     Elu(x) = Relu(x) + α·Expm1(−Relu(−x))            Softplus(x) = Relu(x) + Log1pExp(−Abs(x))
///
/// Every step keeps the operator's name (its node name and type) in messages and statistics.
struct Composition {
    let c: NodeContext
    var step = 0

    init(_ c: NodeContext) { self.c = c }

    /// The prefix of the steps' value names: the node's first output (the node's name when that output is unnamed,
    /// as a recurrent node's unused Y may be).
    var prefix: String { c.node.outputs[0].isEmpty ? c.name : c.node.outputs[0] }

    /// A computed or constant input of the node as a graph value.
    func input(_ g: inout GraphImport, _ index: Int) throws -> ValueID {
        guard let slot = c.input(index) else { throw c.invalid("missing input \(index)") }
        return try g.graphValue(slot, name: c.node.inputs[index])
    }

    /// One step; the last one (`final`) writes the node's output.
    mutating func add(_ g: inout GraphImport, _ operation: LayerOperation, _ inputs: [ValueID], final: Bool = false) throws -> ValueID {
        step += 1
        let output = c.node.outputs[0]
        let id = try g.builder.addNode(name: c.name, sourceOp: c.op, operation: operation, inputs: inputs,
                                       outputName: final ? output : "\(prefix)/\(c.op.lowercased())\(step)")
        if final { g.slots[output] = .value(id) }
        return id
    }

    mutating func constant(_ g: inout GraphImport, _ value: Double) throws -> ValueID {
        try constant(&g, Tensor(scalar: value))
    }

    /// A constant step, named as the node's other steps.
    mutating func constant(_ g: inout GraphImport, _ tensor: Tensor) throws -> ValueID {
        step += 1
        return try g.builder.addConstant("\(prefix)/\(c.op.lowercased())\(step)", tensor)
    }

    static func abs(_ g: inout GraphImport, _ c: NodeContext) throws {
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let positive = try k.add(&g, .relu, [x])
        let negated = try k.add(&g, .activation(.neg), [x])
        let negative = try k.add(&g, .relu, [negated])
        _ = try k.add(&g, .add, [positive, negative], final: true)
    }

    /// Max or Min of any number of inputs, pairwise from the left (multidirectional broadcasting).
    static func extremum(_ g: inout GraphImport, _ c: NodeContext, maximum: Bool) throws {
        guard !c.inputs.isEmpty else { throw c.invalid("needs at least one input") }
        var k = Composition(c)
        var current = try k.input(&g, 0)
        if c.inputs.count == 1 {
            _ = try k.add(&g, .reshape(g.builder.graph.values[current].shape), [current], final: true)
            return
        }
        for index in 1..<c.inputs.count {
            let other = try k.input(&g, index)
            let final = index == c.inputs.count - 1
            if maximum {
                let difference = try k.add(&g, .sub, [other, current])
                let excess = try k.add(&g, .relu, [difference])
                current = try k.add(&g, .add, [current, excess], final: final)
            } else {
                let difference = try k.add(&g, .sub, [current, other])
                let excess = try k.add(&g, .relu, [difference])
                current = try k.add(&g, .sub, [current, excess], final: final)
            }
        }
    }

    /// The slope (a constant, broadcast unidirectionally to x) multiplies Relu(−x) negated: for x < 0 the result is
    /// R_w(−x·Q_w(−slope)), one folded product; for x ≥ 0 it is x.
    static func prelu(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let slope = try c.constantInput(1, "slope").tensor
        let shape = try g.shape(c, 0)
        guard (try? Shape.broadcast(shape, slope.shape)) == shape else {
            throw c.invalid("slope \(Shape.describe(slope.shape)) does not broadcast to the input \(Shape.describe(shape))")
        }
        guard slope.values.allSatisfy(\.isFinite) else { throw c.invalid("the slope is not finite") }
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let positive = try k.add(&g, .relu, [x])
        let negative = try k.add(&g, .relu, [try k.add(&g, .activation(.neg), [x])])
        k.step += 1
        let negated = try g.builder.addConstant("\(c.node.outputs[0])/prelu_slope",
                                                Tensor(shape: slope.shape, values: slope.values.map { -$0 }))
        let scaled = try k.add(&g, .mul, [negative, negated])
        _ = try k.add(&g, .add, [positive, scaled], final: true)
    }

    /// For x < 0: R_w(Q_w(α)·E(x)), E the interpolated e^t − 1 table; for x ≥ 0: x (E(0) = 0).
    static func elu(_ g: inout GraphImport, _ c: NodeContext) throws {
        let alpha = try ActivationImport.finite(c, "alpha", default: 1)
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let positive = try k.add(&g, .relu, [x])
        let negativePart = try k.add(&g, .activation(.neg), [try k.add(&g, .relu, [try k.add(&g, .activation(.neg), [x])])])
        let curve = try k.add(&g, .activation(.expm1), [negativePart])
        let scaled = try k.add(&g, .mul, [curve, try k.constant(&g, alpha)])
        _ = try k.add(&g, .add, [positive, scaled], final: true)
    }

    /// max(x, 0) + G(−|x|), G the interpolated log(1 + e^t) table on t ≤ 0.
    static func softplus(_ g: inout GraphImport, _ c: NodeContext) throws {
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let positive = try k.add(&g, .relu, [x])
        let negative = try k.add(&g, .relu, [try k.add(&g, .activation(.neg), [x])])
        let magnitude = try k.add(&g, .add, [positive, negative])
        let tail = try k.add(&g, .activation(.log1pExp), [try k.add(&g, .activation(.neg), [magnitude])])
        _ = try k.add(&g, .add, [positive, tail], final: true)
    }

    static func hardSigmoid(_ g: inout GraphImport, _ c: NodeContext) throws {
        var k = Composition(c)
        let alpha = try ActivationImport.finite(c, "alpha", default: 0.2), beta = try ActivationImport.finite(c, "beta", default: 0.5)
        _ = try k.hardSigmoid(&g, try k.input(&g, 0), alpha: alpha, beta: beta, final: true)
    }

    static func hardSwish(_ g: inout GraphImport, _ c: NodeContext) throws {
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let gate = try k.hardSigmoid(&g, x, alpha: 1.0 / 6, beta: 0.5, final: false)
        _ = try k.add(&g, .mul, [x, gate], final: true)
    }

    mutating func hardSigmoid(_ g: inout GraphImport, _ x: ValueID, alpha: Double, beta: Double, final: Bool) throws -> ValueID {
        let scaled = try add(&g, .mul, [x, try constant(&g, alpha)])
        let shifted = try add(&g, .add, [scaled, try constant(&g, beta)])
        return try add(&g, .clip(lower: 0, upper: 1), [shifted], final: final)
    }
}
