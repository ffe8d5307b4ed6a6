import ModelGraph

/// Resize and Upsample in nearest mode: an `AxisGather` whose per-axis maps follow the coordinate transformation
/// and rounding the model asks for (computed in Float, as onnxruntime does, so ties round the same way).
enum ResizeImport {
    /// Largest output size per axis accepted (2^24): scale factors are bounded before any map is built.
    static let maxAxisSize = 1 << 24

    static func resize(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0), rank = shape.count
        let mode = c.node.attribute("mode")?.string ?? "nearest"
        guard mode == "nearest" else {
            throw Unsupported(reason: "\(c.op) mode '\(mode)'; only nearest is supported", suggestion: "export with mode='nearest'")
        }
        if c.op == "Resize", try c.int("antialias", default: 0) != 0 {
            throw Unsupported(reason: "antialias = 1", suggestion: nil)
        }
        // Upsample and Resize-10 take the source position ⌊x / scale⌋ (asymmetric, floor).
        let legacy = c.op == "Upsample" || c.opset < 11
        let transform = legacy ? "asymmetric" : (c.node.attribute("coordinate_transformation_mode")?.string ?? "half_pixel")
        let rounding = legacy ? "floor" : (c.node.attribute("nearest_mode")?.string ?? "round_prefer_floor")
        if transform == "tf_crop_and_resize" {
            throw Unsupported(reason: "coordinate_transformation_mode tf_crop_and_resize", suggestion: nil)
        }
        if let policy = c.node.attribute("keep_aspect_ratio_policy")?.string, policy != "stretch" {
            throw Unsupported(reason: "keep_aspect_ratio_policy '\(policy)'", suggestion: nil)
        }
        var axes = Array(0..<rank)
        if let given = c.ints("axes") {
            axes = try given.map { try ShapeOps.normalizeAxis($0, rank: rank, c) }
            guard Set(axes).count == axes.count else { throw c.invalid("repeated axes") }
        }
        var scales = [Float](repeating: 1, count: rank)
        var sizes: [Int]?
        if c.op == "Upsample" && c.opset < 9 {
            guard let a = c.node.attribute("scales") else { throw c.invalid("missing attribute 'scales'") }
            guard a.floats.count == rank else { throw c.invalid("scales has \(a.floats.count) entries for rank \(rank)") }
            scales = a.floats
        } else {
            let scalesIndex = c.op == "Upsample" || c.opset < 11 ? 1 : 2
            let given = try c.optionalConstant(scalesIndex, "scales")?.tensor.values ?? []
            let requested = c.op == "Resize" && c.opset >= 11 ? try c.optionalConstant(3, "sizes") : nil
            if let requested, requested.tensor.count > 0 {
                let list = try c.integerList(requested, "sizes")
                guard list.count == axes.count, list.allSatisfy({ $0 >= 1 && $0 <= maxAxisSize }) else {
                    throw c.invalid("sizes \(list) must give one size in 1...2^24 per axis")
                }
                var full = shape
                for (i, axis) in axes.enumerated() { full[axis] = list[i] }
                sizes = full
            } else {
                guard given.count == axes.count else { throw c.invalid("scales has \(given.count) entries for \(axes.count) axes") }
                for (i, axis) in axes.enumerated() { scales[axis] = Float(given[i]) }
            }
        }
        var maps: [[Int]] = []
        for axis in 0..<rank {
            let input = shape[axis]
            let output: Int
            var scale: Float
            if let sizes {
                output = sizes[axis]
                scale = Float(output) / Float(input)
            } else {
                scale = scales[axis]
                guard scale.isFinite, scale > 0, Float(input) * scale <= Float(maxAxisSize) else {
                    throw c.invalid("scale \(scale) on axis \(axis) must be positive and give at most 2^24 elements")
                }
                output = Int(Float(input) * scale)
                guard output >= 1 else { throw c.invalid("scale \(scale) leaves axis \(axis) empty") }
            }
            maps.append(try (0..<output).map { o in
                try sourceIndex(o, input: input, output: output, scale: scale, transform: transform, rounding: rounding, c)
            })
        }
        try g.add(c, .movement(.gatherAxes(AxisGather(kind: c.op, inputShape: shape, maps: maps))), [0])
    }

    /// The input index output index `o` reads (ONNX Resize, nearest).
    static func sourceIndex(_ o: Int, input: Int, output: Int, scale: Float, transform: String, rounding: String,
                            _ c: NodeContext) throws -> Int {
        let x = Float(o)
        let position: Float
        switch transform {
        case "half_pixel": position = (x + 0.5) / scale - 0.5
        case "pytorch_half_pixel": position = output > 1 ? (x + 0.5) / scale - 0.5 : 0
        case "align_corners": position = output == 1 ? 0 : x * Float(input - 1) / Float(output - 1)
        case "asymmetric": position = x / scale
        case "tf_half_pixel_for_nn": position = (x + 0.5) / scale
        case "half_pixel_symmetric":
            let adjustment = Float(output) / (scale * Float(input))
            let center = Float(input) / 2
            position = center * (1 - adjustment) + (x + 0.5) / scale - 0.5
        default:
            throw Unsupported(reason: "coordinate_transformation_mode '\(transform)'", suggestion: nil)
        }
        let index: Float
        switch rounding {
        case "round_prefer_floor": index = position == position.rounded(.down) + 0.5 ? position.rounded(.down) : position.rounded()
        case "round_prefer_ceil": index = position.rounded()
        case "floor": index = position.rounded(.down)
        case "ceil": index = position.rounded(.up)
        default: throw Unsupported(reason: "nearest_mode '\(rounding)'", suggestion: nil)
        }
        return Int(min(max(index, 0), Float(input - 1)))
    }
}
