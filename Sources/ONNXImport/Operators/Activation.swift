import ModelGraph

/// Relu, LeakyRelu, Clip, Sigmoid, Tanh, Abs, Neg, PRelu, Elu, HardSigmoid, HardSwish, Softplus → `activation`
/// (Clip with computed bounds → Max and Min).
enum ActivationImport {
    static let converters: [String: Converter] = [
        "Relu": { g, c in try g.add(c, .relu, [0]) },
        "Sigmoid": { g, c in try g.add(c, .sigmoid, [0]) },
        "Tanh": { g, c in try g.add(c, .tanh, [0]) },
        "LeakyRelu": { g, c in try g.add(c, .leakyRelu(alpha: try finite(c, "alpha", default: 0.01)), [0]) },
        "Clip": clip,
        "Abs": { g, c in try g.add(c, .activation(.abs), [0]) },
        "Neg": { g, c in try g.add(c, .activation(.neg), [0]) },
        "PRelu": prelu,
        "Elu": { g, c in try g.add(c, .activation(.elu(alpha: try finite(c, "alpha", default: 1))), [0]) },
        "HardSigmoid": { g, c in
            let alpha = try finite(c, "alpha", default: 0.2), beta = try finite(c, "beta", default: 0.5)
            try g.add(c, .activation(.hardSigmoid(alpha: alpha, beta: beta)), [0])
        },
        "HardSwish": { g, c in try g.add(c, .activation(.hardSwish), [0]) },
        "Softplus": { g, c in try g.add(c, .activation(.softplus), [0]) },
    ]

    /// A float attribute that must be finite (a NaN or infinite slope is a malformed model, not a range problem).
    static func finite(_ c: NodeContext, _ attribute: String, default value: Double) throws -> Double {
        let v = try c.float(attribute, default: value)
        guard v.isFinite else { throw c.invalid("attribute '\(attribute)' is \(v)") }
        return v
    }

    static func prelu(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let slope = try c.constantInput(1, "slope").tensor
        try g.add(c, .activation(.prelu(slope: slope)), [0])
    }

    static func clip(_ g: inout GraphImport, _ c: NodeContext) throws {
        var lower: Double?, upper: Double?
        if c.opset >= 11, [1, 2].contains(where: { if case .value? = c.input($0) { return true } else { return false } }) {
            return try clipByTensors(&g, c)
        }
        for index in [1, 2] {
            if case .constant(let k)? = c.input(index), k.tensor.count != 1 {
                throw c.invalid("Clip bound \(index == 1 ? "min" : "max") must hold one value, got \(k.tensor.count)")
            }
        }
        if c.opset < 11 {
            lower = c.node.attribute("min").flatMap(\.float).map(Double.init)
            upper = c.node.attribute("max").flatMap(\.float).map(Double.init)
        } else {
            lower = try c.optionalConstant(1, "min")?.tensor.values.first
            upper = try c.optionalConstant(2, "max")?.tensor.values.first
        }
        if let l = lower, l <= -3.4e38 { lower = nil }
        if let u = upper, u >= 3.4e38 { upper = nil }
        if let l = lower, let u = upper, l > u { throw c.invalid("min \(l) exceeds max \(u)") }
        try g.add(c, .clip(lower: lower, upper: upper), [0])
    }

    /// Clip whose min or max is computed: Max(x, min) then Min(·, max), broadcasting as ONNX does.
    static func clipByTensors(_ g: inout GraphImport, _ c: NodeContext) throws {
        guard let input = c.input(0) else { throw c.invalid("missing input") }
        var current = try g.graphValue(input, name: c.node.inputs[0])
        let output = c.node.outputs[0]
        let hasUpper = c.input(2) != nil
        for (index, op) in [(1, ArithmeticOp.max), (2, ArithmeticOp.min)] {
            guard let slot = c.input(index) else { continue }
            let bound = try g.graphValue(slot, name: c.node.inputs[index])
            let name = index == 1 && hasUpper ? output + "/clip_min" : output
            current = try g.builder.addNode(name: c.name, sourceOp: c.op, operation: .arithmetic(op), inputs: [current, bound],
                                            outputName: name)
        }
        g.slots[output] = .value(current)
    }
}
