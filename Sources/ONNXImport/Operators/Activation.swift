import ModelGraph

/// Relu, LeakyRelu, Clip, Sigmoid, Tanh, Neg → `activation`; Abs, HardSigmoid, HardSwish, PRelu, Elu, Softplus and
/// Clip with computed bounds as compositions (`Composition`).
enum ActivationImport {
    static let converters: [String: Converter] = [
        "Relu": { g, c in try g.add(c, .relu, [0]) },
        "Sigmoid": { g, c in try g.add(c, .sigmoid, [0]) },
        "Tanh": { g, c in try g.add(c, .tanh, [0]) },
        "LeakyRelu": { g, c in try g.add(c, .leakyRelu(alpha: try finite(c, "alpha", default: 0.01)), [0]) },
        "Clip": clip,
        "Abs": Composition.abs,
        "Neg": { g, c in try g.add(c, .activation(.neg), [0]) },
        "PRelu": Composition.prelu,
        "Elu": Composition.elu,
        "HardSigmoid": Composition.hardSigmoid,
        "HardSwish": Composition.hardSwish,
        "Softplus": Composition.softplus,
    ]

    /// A float attribute that must be finite (a NaN or infinite slope is a malformed model, not a range problem).
    static func finite(_ c: NodeContext, _ attribute: String, default value: Double) throws -> Double {
        let v = try c.float(attribute, default: value)
        guard v.isFinite else { throw c.invalid("attribute '\(attribute)' is \(v)") }
        return v
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
        // min > max is allowed: ONNX then sets every element to max, which min(max(x, lo), hi) does.
        try g.add(c, .clip(lower: lower, upper: upper), [0])
    }

    /// Clip whose min or max is computed: Max(x, min) then Min(·, max), broadcasting as ONNX does (each as its
    /// composition: x + Relu(min − x), then y − Relu(y − max)).
    static func clipByTensors(_ g: inout GraphImport, _ c: NodeContext) throws {
        var k = Composition(c)
        var current = try k.input(&g, 0)
        let hasUpper = c.input(2) != nil
        if c.input(1) != nil {
            let excess = try k.add(&g, .relu, [try k.add(&g, .sub, [try k.input(&g, 1), current])])
            current = try k.add(&g, .add, [current, excess], final: !hasUpper)
        }
        if hasUpper {
            let excess = try k.add(&g, .relu, [try k.add(&g, .sub, [current, try k.input(&g, 2)])])
            current = try k.add(&g, .sub, [current, excess], final: true)
        }
    }
}
