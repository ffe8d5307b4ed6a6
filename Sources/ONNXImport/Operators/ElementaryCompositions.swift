import ModelGraph

/// Hyperbolic functions and Tan as compositions of the transformer op set's tables and exact steps (`Composition`),
/// so their integers are the steps' (docs/fixed-point.md §5c):
///
///     Sinh(x) = ½·(Exp(x) − Exp(−x))       Cosh(x) = ½·(Exp(x) + Exp(−x))       Tan(x) = Sin(x)·Cos(x)·Reciprocal(Cos(x)²)
///     Asinh(x) = A(Relu(x)) − A(Relu(−x)), A(r) = Log(r + Sqrt(r·r + 1))  (r ≥ 0: no cancellation)
///     Acosh(x) = Log(x + Sqrt(x·x − 1))    Atanh(x) = ½·Log((1 + x)·Reciprocal(1 − x))
///     Mod(x, y) of a real x by a constant y = x − y·n, n = Floor(x/y) (fmod 0) or
///                                                    Floor(Relu(x/y)) − Floor(Relu(−x/y)) = trunc(x/y) (fmod 1)
enum ElementaryCompositionImport {
    static let converters: [String: Converter] = [
        "Sinh": { g, c in try expPair(&g, c, difference: true) }, "Cosh": { g, c in try expPair(&g, c, difference: false) },
        "Tan": tan, "Asinh": asinh, "Acosh": acosh, "Atanh": atanh,
    ]

    static func expPair(_ g: inout GraphImport, _ c: NodeContext, difference: Bool) throws {
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let up = try k.add(&g, .activation(.exp), [x])
        let down = try k.add(&g, .activation(.exp), [try k.add(&g, .activation(.neg), [x])])
        let pair = try k.add(&g, difference ? .sub : .add, [up, down])
        _ = try k.add(&g, .mul, [pair, try k.constant(&g, 0.5)], final: true)
    }

    static func tan(_ g: inout GraphImport, _ c: NodeContext) throws {
        var k = Composition(c)
        let x = try k.input(&g, 0)
        // Sin·Cos / Cos²: the circuit's Reciprocal proves positive inputs only, and Cos² never changes sign.
        let sine = try k.add(&g, .activation(.sin), [x])
        let cosine = try k.add(&g, .activation(.cos), [x])
        let inverseSquare = try k.add(&g, .activation(.reciprocal), [try k.add(&g, .mul, [cosine, cosine])])
        _ = try k.add(&g, .mul, [try k.add(&g, .mul, [sine, cosine]), inverseSquare], final: true)
    }

    /// Log(r + Sqrt(r·r + offset)).
    static func logOfRootSum(_ g: inout GraphImport, _ k: inout Composition, _ r: ValueID, offset: Double, final: Bool) throws -> ValueID {
        let root = try k.add(&g, .activation(.sqrt), [try k.add(&g, .add, [try k.add(&g, .mul, [r, r]), try k.constant(&g, offset)])])
        return try k.add(&g, .activation(.log), [try k.add(&g, .add, [r, root])], final: final)
    }

    static func asinh(_ g: inout GraphImport, _ c: NodeContext) throws {
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let positive = try logOfRootSum(&g, &k, try k.add(&g, .relu, [x]), offset: 1, final: false)
        let negative = try logOfRootSum(&g, &k, try k.add(&g, .relu, [try k.add(&g, .activation(.neg), [x])]), offset: 1, final: false)
        _ = try k.add(&g, .sub, [positive, negative], final: true)
    }

    static func acosh(_ g: inout GraphImport, _ c: NodeContext) throws {
        var k = Composition(c)
        _ = try logOfRootSum(&g, &k, try k.input(&g, 0), offset: -1, final: true)
    }

    static func atanh(_ g: inout GraphImport, _ c: NodeContext) throws {
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let numerator = try k.add(&g, .add, [try k.constant(&g, 1), x])
        let denominator = try k.add(&g, .sub, [try k.constant(&g, 1), x])
        let ratio = try k.add(&g, .mul, [numerator, try k.add(&g, .activation(.reciprocal), [denominator])])
        _ = try k.add(&g, .mul, [try k.add(&g, .activation(.log), [ratio]), try k.constant(&g, 0.5)], final: true)
    }

    /// Mod of a real tensor by a constant divisor (integer tensors: `IntegerArithmeticImport`).
    static func realMod(_ g: inout GraphImport, _ c: NodeContext) throws {
        guard c.inputs.count == 2 else { throw c.invalid("Mod expects two inputs") }
        let fmod = try c.int("fmod", default: 0)
        guard fmod == 0 || fmod == 1 else { throw c.invalid("attribute 'fmod' is \(fmod) (0 or 1)") }
        guard case .constant(let divisor)? = c.input(1) else {
            throw Unsupported(reason: "Mod of a float tensor by a computed divisor; a constant divisor is supported", suggestion: nil)
        }
        guard !divisor.tensor.values.contains(0) else { throw c.invalid("Mod by a constant zero") }
        // fmod's remainder is exact in any float format; Python's (x mod y + y) ONNX rounds to a narrow type.
        if fmod == 0, let type = g.elementTypes[c.node.inputs[0]], type == .float16 || type == .bfloat16 {
            throw Unsupported(reason: "Mod (fmod 0) of a \(type == .float16 ? "float16" : "bfloat16") tensor (its result would be rounded to that type); Cast the input to float first", suggestion: nil)
        }
        var k = Composition(c)
        let x = try k.input(&g, 0), y = try k.input(&g, 1)
        let quotient = try k.add(&g, .div, [x, y])
        let whole: ValueID
        if fmod == 0 {
            whole = try k.add(&g, .comparison(.rounding(.floor)), [quotient])
        } else {
            let up = try k.add(&g, .comparison(.rounding(.floor)), [try k.add(&g, .relu, [quotient])])
            let negated = try k.add(&g, .relu, [try k.add(&g, .activation(.neg), [quotient])])
            let down = try k.add(&g, .comparison(.rounding(.floor)), [negated])
            whole = try k.add(&g, .sub, [up, down])
        }
        _ = try k.add(&g, .sub, [x, try k.add(&g, .mul, [whole, y])], final: true)
    }
}
