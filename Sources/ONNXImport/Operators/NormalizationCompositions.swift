import ModelGraph

/// RMSNormalization as a composition of exact steps and the Sqrt/Reciprocal quotients
/// (`Composition`), so their integers are the steps' (docs/fixed-point.md §5c):
///
///     RMSNormalization(x, scale) = x·Reciprocal(Sqrt(ReduceMean(x·x) + ε))·scale   over axes [axis, rank)
enum NormalizationCompositionImport {
    static let converters: [String: Converter] = ["RMSNormalization": rmsNormalization]

    static func rmsNormalization(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let axis = try ShapeOps.normalizeAxis(try c.int("axis", default: -1), rank: shape.count, c)
        let epsilon = try ActivationImport.finite(c, "epsilon", default: 1e-5)
        let normalized = Array(shape[axis...])
        let scale = try c.constantInput(1, "scale").tensor
        guard (try? Shape.broadcast(normalized, scale.shape)) == normalized else {
            throw c.invalid("scale of shape \(Shape.describe(scale.shape)) does not broadcast to \(Shape.describe(normalized))")
        }
        var k = Composition(c)
        let x = try k.input(&g, 0)
        let mean = Reduction(axes: Array(axis..<shape.count), keepDims: true, mean: true)
        let meanSquare = try k.add(&g, .pooling(.reduce(mean)), [try k.add(&g, .mul, [x, x])])
        let shifted = epsilon == 0 ? meanSquare : try k.add(&g, .add, [meanSquare, try k.constant(&g, epsilon)])
        let inverse = try k.add(&g, .activation(.reciprocal), [try k.add(&g, .activation(.sqrt), [shifted])])
        let z = try k.add(&g, .mul, [x, inverse])
        k.step += 1
        let scaleID = try g.builder.addConstant("\(k.prefix)/rmsnorm_scale", scale)
        _ = try k.add(&g, .mul, [z, scaleID], final: true)
    }
}
