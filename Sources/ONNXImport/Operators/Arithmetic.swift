import ModelGraph

/// Add, Sub, Mul, Div (by a constant), Sum → `arithmetic` (multidirectional broadcasting); Max and Min as
/// compositions (`Composition`).
enum ArithmeticImport {
    static let converters: [String: Converter] = [
        "Add": { g, c in try g.add(c, .add, [0, 1]) },
        "Sub": { g, c in try g.add(c, .sub, [0, 1]) },
        "Mul": { g, c in try g.add(c, .mul, [0, 1]) },
        "Div": div,
        "Sum": { g, c in try g.add(c, .sum, Array(0..<c.inputs.count)) },
        "Max": { g, c in try Composition.extremum(&g, c, maximum: true) },
        "Min": { g, c in try Composition.extremum(&g, c, maximum: false) },
    ]

    static func div(_ g: inout GraphImport, _ c: NodeContext) throws {
        let divisor = try c.constantInput(1, "divisor")
        guard !divisor.tensor.values.contains(0) else { throw c.invalid("division by a constant zero") }
        try g.add(c, .div, [0, 1])
    }
}
