import ModelGraph

/// Equal, Less, LessOrEqual, Greater, GreaterOrEqual, And, Or, Xor, Not, Floor, Ceil, Round, Sign, ArgMax and
/// ArgMin of a computed tensor → `comparison` (on constants they fold at import).
enum ComparisonImport {
    static let converters: [String: Converter] = {
        var table: [String: Converter] = [
            "Not": { g, c in try g.add(c, .comparison(.not), [0]) },
            "ArgMax": argExtremum, "ArgMin": argExtremum,
        ]
        for relation in [ComparisonOp.Relation.equal, .less, .lessOrEqual, .greater, .greaterOrEqual] {
            table[relation.rawValue] = { g, c in try compare(&g, c, relation) }
        }
        for logic in [ComparisonOp.Logic.and, .or, .xor] {
            table[logic.rawValue] = { g, c in try binary(&g, c, .comparison(.logical(logic))) }
        }
        for rounding in [ComparisonOp.Rounding.floor, .ceil, .round, .sign] {
            table[rounding.rawValue] = { g, c in try g.add(c, .comparison(.rounding(rounding)), [0]) }
        }
        return table
    }()

    static func binary(_ g: inout GraphImport, _ c: NodeContext, _ operation: LayerOperation) throws {
        guard c.inputs.count == 2, c.input(0) != nil, c.input(1) != nil else { throw c.invalid("expects two inputs") }
        try g.add(c, operation, [0, 1])
    }

    /// Both operands are compared in one unit: two computed operands must both be real or both integer, and a
    /// constant compared with an integer tensor must hold integers (ONNX gives both operands one type).
    static func compare(_ g: inout GraphImport, _ c: NodeContext, _ relation: ComparisonOp.Relation) throws {
        guard c.inputs.count == 2, let a = c.input(0), let b = c.input(1) else { throw c.invalid("expects two inputs") }
        var kinds: [Bool] = []
        for slot in [a, b] {
            if case .value(let id) = slot { kinds.append(g.builder.graph.values[id].isInteger) }
        }
        if Set(kinds).count > 1 {
            throw Unsupported(reason: "\(c.op) of an integer tensor and a real one; Cast one of them first", suggestion: nil)
        }
        if kinds.first == true {
            for case .constant(let k) in [a, b] where !k.tensor.values.allSatisfy({ $0 == $0.rounded() && abs($0) < 0x1p62 }) {
                throw c.invalid("\(c.op) of an integer tensor with a constant that is not integer-valued")
            }
        }
        try g.add(c, .comparison(.compare(relation)), [0, 1])
    }

    static func argExtremum(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let axis = try ShapeOps.normalizeAxis(try c.int("axis", default: 0), rank: shape.count, c)
        let keepDims = try c.int("keepdims", default: 1) != 0, lastIndex = try c.int("select_last_index", default: 0) != 0
        let operation = ComparisonOp.argExtremum(axis: axis, keepDims: keepDims, lastIndex: lastIndex, maximum: c.op == "ArgMax")
        guard shape[axis] > ArgExtremumTree.maxRow else {
            try g.add(c, .comparison(operation), [0])
            return
        }
        // A long row: chunks of 16 and the best chunk (`ArgExtremumTree`), the same integers, provable in a circuit.
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let index = try ArgExtremumTree.add(&g, &k, x, shape: shape, axis: axis, maximum: c.op == "ArgMax", lastIndex: lastIndex)
        _ = try k.add(&g, .reshape(try operation.outputShape([shape])), [index], final: true)
    }
}
