import ModelGraph

/// Relu, LeakyRelu, Clip, Sigmoid, Tanh → `activation`.
enum ActivationImport {
    static let converters: [String: Converter] = [
        "Relu": { g, c in try g.add(c, .relu, [0]) },
        "Sigmoid": { g, c in try g.add(c, .sigmoid, [0]) },
        "Tanh": { g, c in try g.add(c, .tanh, [0]) },
        "LeakyRelu": { g, c in try g.add(c, .leakyRelu(alpha: try c.float("alpha", default: 0.01)), [0]) },
        "Clip": clip,
    ]

    static func clip(_ g: inout GraphImport, _ c: NodeContext) throws {
        var lower: Double?, upper: Double?
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
}
