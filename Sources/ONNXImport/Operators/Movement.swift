import ModelGraph

/// Flatten, Reshape, Squeeze, Unsqueeze (→ reshape), Transpose, Concat → `movement`; Identity and Dropout vanish.
enum MovementImport {
    static let converters: [String: Converter] = [
        "Identity": passThrough, "Dropout": passThrough,
        "Flatten": reshape, "Reshape": reshape, "Squeeze": reshape, "Unsqueeze": reshape,
        "Transpose": transpose, "Concat": concat,
    ]

    static func passThrough(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.extraOutputsUnused(c, "mask")
        guard let slot = c.input(0) else { throw c.invalid("missing input") }
        g.slots[c.node.outputs[0]] = slot
    }

    static func reshape(_ g: inout GraphImport, _ c: NodeContext) throws {
        let target = try ShapeOps.reshapeTarget(c, inputShape: try g.shape(c, 0))
        try g.add(c, .reshape(target), [0])
    }

    static func transpose(_ g: inout GraphImport, _ c: NodeContext) throws {
        let rank = try g.shape(c, 0).count
        let perm = c.ints("perm").map { $0.map { Int(truncatingIfNeeded: $0) } } ?? Array((0..<rank).reversed())
        try g.add(c, .transpose(perm), [0])
    }

    static func concat(_ g: inout GraphImport, _ c: NodeContext) throws {
        let rank = try g.shape(c, 0).count
        guard let axis = c.node.attribute("axis")?.int else { throw c.invalid("missing attribute 'axis'") }
        try g.add(c, .concat(axis: try ShapeOps.normalizeAxis(axis, rank: rank, c)), Array(0..<c.inputs.count))
    }
}
