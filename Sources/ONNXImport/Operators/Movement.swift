import ModelGraph

/// Flatten, Reshape, Squeeze, Unsqueeze (→ reshape), Transpose, Concat, and the axis gathers Pad, Slice, Expand,
/// Resize/Upsample (nearest) → `movement`; Identity and Dropout vanish.
enum MovementImport {
    static let converters: [String: Converter] = [
        "Identity": passThrough, "Dropout": dropout,
        "Flatten": reshape, "Reshape": reshape, "Squeeze": reshape, "Unsqueeze": reshape,
        "Transpose": transpose, "Concat": concat,
        "Pad": AxisGatherImport.pad, "Slice": AxisGatherImport.slice, "Expand": AxisGatherImport.expand,
        "Resize": ResizeImport.resize, "Upsample": ResizeImport.resize,
    ]

    static func passThrough(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.extraOutputsUnused(c, "mask")
        guard let slot = c.input(0) else { throw c.invalid("missing input") }
        g.slots[c.node.outputs[0]] = slot
    }

    /// Dropout is the identity in inference. In training mode (the `training_mode` input, opset 12 and later)
    /// it draws a random mask, which is refused unless the ratio is 0.
    /// Its mask output (read) is 1 (true) everywhere, computed as x·0 + 1: exact in both paths (a product by 0 and
    /// a sum with a constant), so it is a graph value like any other.
    static func dropout(_ g: inout GraphImport, _ c: NodeContext) throws {
        try checkInferenceDropout(c)
        let outputs = c.node.outputs
        guard outputs.count > 1, !outputs[1].isEmpty, g.readers[outputs[1], default: 0] > 0 else { return try passThrough(&g, c) }
        guard outputs.count == 2 else { throw c.invalid("Dropout has at most two outputs") }
        guard case .value(let x)? = c.input(0) else {
            throw Unsupported(reason: "its mask output is used and its input is a constant", suggestion: nil)
        }
        g.slots[outputs[0]] = .value(x)
        let prefix = outputs[0].isEmpty ? c.name : outputs[0]
        let zero = try g.builder.addConstant("\(prefix)/dropout_zero", Tensor(scalar: 0))
        let one = try g.builder.addConstant("\(prefix)/dropout_one", Tensor(scalar: 1))
        let cleared = try g.builder.addNode(name: c.name, sourceOp: c.op, operation: .mul, inputs: [x, zero],
                                            outputName: "\(prefix)/dropout_cleared")
        g.slots[outputs[1]] = .value(try g.builder.addNode(name: c.name, sourceOp: c.op, operation: .add, inputs: [cleared, one],
                                                            outputName: outputs[1]))
    }

    static func checkInferenceDropout(_ c: NodeContext) throws {
        guard c.opset >= 12, let mode = c.input(2) else { return }
        guard case .constant(let flag) = mode else {
            throw Unsupported(reason: "training_mode is computed", suggestion: "export in inference mode (model.eval())")
        }
        guard flag.tensor.values.contains(where: { $0 != 0 }) else { return }
        let ratio = try c.optionalConstant(1, "ratio")?.tensor.values.first ?? 0.5
        if ratio != 0 {
            throw Unsupported(reason: "training-mode Dropout (ratio \(ratio)) draws a random mask",
                              suggestion: "export in inference mode (model.eval())")
        }
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

/// Pad, Slice and Expand of a computed tensor as `AxisGather`s.
enum AxisGatherImport {
    /// Constant inputs by position (nil for computed or absent ones).
    static func constants(_ c: NodeContext) -> [Constant?] {
        c.inputs.map { if case .constant(let k)? = $0 { return k } else { return nil } }
    }

    static func pad(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0), rank = shape.count
        let mode = c.node.attribute("mode")?.string ?? "constant"
        var pads: [Int], value = 0.0
        var axes = Array(0..<rank)
        if c.opset < 11 {
            pads = (c.ints("pads") ?? []).map { Int(clamping: $0) }
            value = try c.float("value", default: 0)
        } else {
            pads = try c.integerList(try c.constantInput(1, "pads"), "pads")
            if let k = try c.optionalConstant(2, "constant_value") {
                guard k.tensor.count == 1 else { throw c.invalid("constant_value must hold one value") }
                value = k.tensor.values[0]
            }
            if let a = try c.optionalConstant(3, "axes") {
                axes = try c.integerList(a, "axes").map { try ShapeOps.normalizeAxis(Int64($0), rank: rank, c) }
                guard Set(axes).count == axes.count else { throw c.invalid("repeated axes") }
            }
        }
        guard pads.count == 2 * axes.count else { throw c.invalid("pads has \(pads.count) entries for \(axes.count) axes") }
        var maps = shape.map { Array(0..<$0) }
        for (position, axis) in axes.enumerated() {
            let begin = pads[position], end = pads[position + axes.count], size = shape[axis]
            guard abs(begin) <= 1 << 24, abs(end) <= 1 << 24, size + begin + end >= 0 else {
                throw c.invalid("pads \(begin), \(end) do not fit axis \(axis) of size \(size)")
            }
            var map: [Int] = []
            map.reserveCapacity(size + begin + end)
            for o in 0..<(size + begin + end) {
                let i = o - begin
                if i >= 0 && i < size { map.append(i); continue }
                switch mode {
                case "constant": map.append(-1)
                case "edge": map.append(min(max(i, 0), size - 1))
                case "reflect":
                    guard size >= 2 else { throw c.invalid("reflect padding of an axis of size \(size)") }
                    let period = 2 * (size - 1)
                    var r = i % period
                    if r < 0 { r += period }
                    map.append(r < size ? r : period - r)
                case "wrap":
                    var r = i % size
                    if r < 0 { r += size }
                    map.append(r)
                default:
                    throw Unsupported(reason: "Pad mode '\(mode)'", suggestion: nil)
                }
            }
            maps[axis] = map
        }
        try g.add(c, .movement(.gatherAxes(AxisGather(kind: "Pad", inputShape: shape, maps: maps, fill: value))), [0])
    }

    static func slice(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let given = constants(c)
        for index in 1..<c.inputs.count where c.input(index) != nil && given[index] == nil {
            throw Unsupported(reason: "Slice with computed starts, ends, axes or steps", suggestion: nil)
        }
        let (lo, step, size) = try ConstantFolding.sliceGeometry(c, shape: shape, constants: given)
        let maps = (0..<shape.count).map { axis in (0..<size[axis]).map { lo[axis] + $0 * step[axis] } }
        try g.add(c, .movement(.gatherAxes(AxisGather(kind: "Slice", inputShape: shape, maps: maps))), [0])
    }

    /// Expand: numpy broadcasting of the input to `shape` (either may have more axes).
    static func expand(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0)
        let requested = try c.integerList(try c.constantInput(1, "shape"), "shape")
        guard requested.allSatisfy({ $0 >= 0 }) else { throw c.invalid("negative dimension in \(requested)") }
        let output = try Shape.broadcast(shape, requested)
        _ = try Shape.elementCount(output)
        let padded = [Int](repeating: 1, count: output.count - shape.count) + shape
        let maps = (0..<output.count).map { axis in
            padded[axis] == 1 ? [Int](repeating: 0, count: output[axis]) : Array(0..<output[axis])
        }
        try g.add(c, .movement(.gatherAxes(AxisGather(kind: "Expand", inputShape: padded, maps: maps))), [0])
    }
}
