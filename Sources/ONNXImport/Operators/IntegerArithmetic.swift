import ModelGraph

/// Add, Sub, Mul, Div, Max, Min, Sum and Clip whose operands are integer-typed (int8…uint64, int4, int2), and the
/// integer-only Mod, BitShift, BitwiseAnd/Or/Xor/Not → `indexing(.integer)`: exact integer arithmetic wrapped onto
/// the element type, Div truncating toward zero (docs/fixed-point.md §5). Chosen by `GraphImport.convertComputed`
/// when a computed operand is an integer tensor.
enum IntegerArithmeticImport {
    static let operators = Set(["Add", "Sub", "Mul", "Div", "Max", "Min", "Sum", "Clip"]).union(integerOnly)
    /// Operators ONNX defines on integer tensors only, and Mod (on real tensors: `ElementaryCompositionImport`).
    static let integerOnly: Set<String> = ["Mod", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot"]

    /// These operators reached with a real (float) operand: Mod as a composition, the bitwise ones refused.
    static let converters: [String: Converter] = Dictionary(uniqueKeysWithValues: integerOnly.map { op in
        (op, op == "Mod" ? ElementaryCompositionImport.realMod as Converter : { (_: inout GraphImport, c: NodeContext) throws in
            throw Unsupported(reason: "\(op) of a float tensor (ONNX defines it on integer tensors only)", suggestion: nil)
        })
    })

    /// Whether the node reads a computed integer tensor.
    static func applies(_ g: GraphImport, _ c: NodeContext) -> Bool {
        guard operators.contains(c.op) else { return false }
        return c.inputs.contains { slot in
            if case .value(let id)? = slot { return g.builder.graph.values[id].isInteger }
            return false
        }
    }

    static func convert(_ g: inout GraphImport, _ c: NodeContext) throws {
        let format = g.integerFormat(of: c.node.inputs[0])
        // ONNX gives every operand the same type: a constant operand must hold integers too.
        for case .constant(let k)? in c.inputs where !k.tensor.values.allSatisfy({ $0 == $0.rounded() && abs($0) < 0x1p63 }) {
            throw c.invalid("\(c.op) of an integer tensor by a constant that is not integer-valued")
        }
        var k = Composition(c)
        /// Folds `op` over the present inputs at `indices`, from the left.
        func chain(_ op: IntegerArithmetic, _ first: ValueID, _ indices: [Int], final: Bool) throws -> ValueID {
            var current = first
            let present = indices.filter { c.input($0) != nil }
            for (n, index) in present.enumerated() {
                current = try k.add(&g, .indexing(.integer(op, wrap: format)), [current, try k.input(&g, index)],
                                    final: final && n == present.count - 1)
            }
            return current
        }
        let x = try k.input(&g, 0)
        let rest = Array(1..<max(c.inputs.count, 1))
        switch c.op {
        case "BitwiseNot":
            // ~x = x XOR (all ones), wrapped onto the element type.
            guard c.inputs.count == 1 else { throw c.invalid("BitwiseNot expects one input") }
            let ones = try k.constant(&g, -1)
            _ = try k.add(&g, .indexing(.integer(.bitXor, wrap: format)), [x, ones], final: true)
        case "Mod", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor":
            guard c.inputs.count == 2, c.input(1) != nil else { throw c.invalid("\(c.op) expects two inputs") }
            let op: IntegerArithmetic
            switch c.op {
            case "Mod":
                switch try c.int("fmod", default: 0) {
                case 0: op = .mod
                case 1: op = .fmod
                case let v: throw c.invalid("attribute 'fmod' is \(v) (0 or 1)")
                }
            case "BitShift":
                switch c.node.attribute("direction")?.string {
                case "LEFT"?: op = .shiftLeft
                case "RIGHT"?: op = .shiftRight
                case let v: throw c.invalid("attribute 'direction' is \(v.map { "'\($0)'" } ?? "missing") (LEFT or RIGHT)")
                }
            case "BitwiseAnd": op = .bitAnd
            case "BitwiseOr": op = .bitOr
            default: op = .bitXor
            }
            _ = try chain(op, x, [1], final: true)
        case "Clip":
            let raised = try chain(.max, x, [1], final: c.input(2) == nil)
            let result = try chain(.min, raised, [2], final: true)
            if result == x { _ = try k.add(&g, .reshape(g.builder.graph.values[x].shape), [x], final: true) }
        default:
            let op: IntegerArithmetic = ["Add": .add, "Sum": .add, "Sub": .sub, "Mul": .mul, "Div": .div, "Max": .max, "Min": .min][c.op]!
            if rest.allSatisfy({ c.input($0) == nil }) {
                _ = try k.add(&g, .reshape(g.builder.graph.values[x].shape), [x], final: true)
            } else {
                _ = try chain(op, x, rest, final: true)
            }
        }
    }
}
