import ModelGraph

/// Gather (an embedding lookup of a constant table by integer indices, or a selection by constant indices from a
/// computed tensor) and Cast → `indexing` / `movement`.
enum IndexingImport {
    static let converters: [String: Converter] = ["Gather": gather, "Cast": cast]

    static func gather(_ g: inout GraphImport, _ c: NodeContext) throws {
        let dataShape = try g.shape(c, 0)
        let axis = try ShapeOps.normalizeAxis(try c.int("axis", default: 0), rank: dataShape.count, c)
        switch (c.input(0), c.input(1)) {
        case (.constant(let table)?, .value?):
            guard axis == 0 else {
                throw Unsupported(reason: "Gather of a constant table on axis \(axis); embedding lookups use axis 0", suggestion: nil)
            }
            try g.add(c, .indexing(.embedding(table.tensor)), [1])
        case (.value?, .constant(let indices)?):
            // Selection by constant indices: an axis gather, then the indices' shape in place of the axis.
            let size = dataShape[axis]
            let rows = try c.integerList(indices, "indices").map { i -> Int in
                guard i >= -size, i < size else { throw c.invalid("index \(i) out of range for size \(size)") }
                return i < 0 ? i + size : i
            }
            var maps = dataShape.map { Array(0..<$0) }
            maps[axis] = rows
            let gather = try AxisGather(kind: "Gather", inputShape: dataShape, maps: maps)
            let target = Array(dataShape[..<axis]) + indices.tensor.shape + Array(dataShape[(axis + 1)...])
            guard target != gather.outputShape else { try g.add(c, .movement(.gatherAxes(gather)), [0]); return }
            let output = c.node.outputs[0]
            let x = try g.graphValue(c.input(0)!, name: c.node.inputs[0])
            let selected = try g.builder.addNode(name: c.name, sourceOp: c.op, operation: .movement(.gatherAxes(gather)),
                                                 inputs: [x], outputName: output + "/selected")
            g.slots[output] = .value(try g.builder.addNode(name: c.name, sourceOp: c.op, operation: .reshape(target),
                                                           inputs: [selected], outputName: output))
        default:
            throw Unsupported(reason: "Gather of a computed tensor by computed indices", suggestion: nil)
        }
    }

    static func cast(_ g: inout GraphImport, _ c: NodeContext) throws {
        let format = try castFormat(c)
        let fromInteger = g.builder.graph.values[try g.graphValue(try c.firstInput(), name: c.node.inputs[0])].isInteger
        try g.add(c, .indexing(.cast(to: format, fromInteger: fromInteger)), [0])
    }

    /// The format a Cast rounds onto: its `to` type with `saturate` (float8) and `round_mode` (float8e8m0).
    static func castFormat(_ c: NodeContext) throws -> NumberFormat {
        let to = try c.int("to", default: 1)
        guard let type = ONNXDataType(rawValue: Int32(clamping: to)), type != .string else {
            throw Unsupported(reason: "Cast to type \(to)", suggestion: nil)
        }
        let saturate = try c.int("saturate", default: 1) != 0
        let rounding: NumberFormat.PowerOfTwoRounding
        switch c.node.attribute("round_mode")?.string ?? "up" {
        case "up": rounding = .up
        case "down": rounding = .down
        case "nearest": rounding = .nearest
        case let other: throw c.invalid("round_mode '\(other)'; expected up, down or nearest")
        }
        return type.format(saturate: saturate, rounding: rounding)
    }
}
