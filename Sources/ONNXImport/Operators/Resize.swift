import ModelGraph

/// Resize and Upsample in nearest mode: an `AxisGather` whose per-axis maps follow the coordinate transformation
/// and rounding the model asks for (computed in Float, as onnxruntime does, so ties round the same way). Linear
/// and cubic modes: `ResizeInterpolation` (one linear node per resized axis).
enum ResizeImport {
    /// Largest output size per axis accepted (2^24): scale factors are bounded before any map is built.
    static let maxAxisSize = 1 << 24

    static func resize(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let shape = try g.shape(c, 0), rank = shape.count
        let mode = c.node.attribute("mode")?.string ?? "nearest"
        let modes = c.op == "Upsample" ? ["nearest", "linear"] : ["nearest", "linear", "cubic"]
        guard modes.contains(mode) else {
            throw Unsupported(reason: "\(c.op) mode '\(mode)'; supported: \(modes.joined(separator: ", "))", suggestion: nil)
        }
        let antialias = try c.op == "Resize" && c.opset >= 18 && c.int("antialias", default: 0) != 0
        if mode == "nearest" && antialias {
            throw c.invalid("antialias applies to linear and cubic modes only")
        }
        // Upsample and Resize-10 take the source position ⌊x / scale⌋ (asymmetric, floor).
        let legacy = c.op == "Upsample" || c.opset < 11
        let transform = legacy ? "asymmetric" : (c.node.attribute("coordinate_transformation_mode")?.string ?? "half_pixel")
        let rounding = legacy ? "floor" : (c.node.attribute("nearest_mode")?.string ?? "round_prefer_floor")
        if transform == "tf_crop_and_resize" && mode == "nearest" {
            throw Unsupported(reason: "coordinate_transformation_mode tf_crop_and_resize in nearest mode", suggestion: nil)
        }
        let policy = c.opset >= 18 ? c.node.attribute("keep_aspect_ratio_policy")?.string ?? "stretch" : "stretch"
        guard ["stretch", "not_larger", "not_smaller"].contains(policy) else {
            throw c.invalid("keep_aspect_ratio_policy '\(policy)'")
        }
        var axes = Array(0..<rank)
        if let given = c.ints("axes") {
            axes = try given.map { try ShapeOps.normalizeAxis($0, rank: rank, c) }
            guard Set(axes).count == axes.count else { throw c.invalid("repeated axes") }
        }
        var scales = [Float](repeating: 1, count: rank)
        var sizes: [Int]?
        // The scales in double (linear and cubic coefficients follow the reference, which computes in double).
        var exactScales = [Double](repeating: 1, count: rank)
        var keptAspect = false
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
                if policy == "stretch" {
                    for (i, axis) in axes.enumerated() { full[axis] = list[i] }
                } else {
                    // One scale for every listed axis, the smallest (not_larger) or largest (not_smaller) of
                    // size/input, and sizes round(scale·input) (half up), as the spec gives.
                    let ratios = axes.enumerated().map { Double(list[$0.offset]) / Double(shape[$0.element]) }
                    let scale = policy == "not_larger" ? ratios.min()! : ratios.max()!
                    for axis in axes {
                        let size = Int((scale * Double(shape[axis]) + 0.5).rounded(.down))
                        guard size >= 1, size <= maxAxisSize else { throw c.invalid("size \(size) on axis \(axis)") }
                        full[axis] = size
                        scales[axis] = Float(scale)
                        exactScales[axis] = scale
                    }
                    keptAspect = true
                }
                sizes = full
            } else {
                guard given.count == axes.count else { throw c.invalid("scales has \(given.count) entries for \(axes.count) axes") }
                for (i, axis) in axes.enumerated() { scales[axis] = Float(given[i]); exactScales[axis] = Double(Float(given[i])) }
            }
        }
        if mode != "nearest" {
            let roi = transform == "tf_crop_and_resize" ? try c.optionalConstant(1, "roi")?.tensor.values : nil
            var resized: [ResizeInterpolation.Axis] = []
            for (j, axis) in axes.enumerated() {
                let input = shape[axis]
                var scale = exactScales[axis], output: Int
                if let sizes, !keptAspect {
                    output = sizes[axis]
                    scale = Double(output) / Double(input)
                } else if let sizes {
                    output = sizes[axis]
                } else {
                    guard scale.isFinite, scale > 0, Double(input) * scale <= Double(maxAxisSize) else {
                        throw c.invalid("scale \(scale) on axis \(axis) must be positive and give at most 2^24 elements")
                    }
                    output = Int((Double(input) * scale).rounded(.down))
                    guard output >= 1 else { throw c.invalid("scale \(scale) leaves axis \(axis) empty") }
                }
                var axisROI: (Double, Double)?
                if let roi {
                    let n = roi.count / 2
                    guard roi.count % 2 == 0, n == axes.count || n == rank else { throw c.invalid("roi has \(roi.count) values") }
                    let index = n == axes.count ? j : axis
                    axisROI = (roi[index], roi[index + n])
                    guard axisROI!.0.isFinite, axisROI!.1.isFinite else { throw c.invalid("roi must be finite") }
                }
                let identity = abs(scale - 1) < 1e-9 && output == input
                    && (axisROI == nil || (abs(axisROI!.0) < 1e-9 && abs(axisROI!.1 - 1) < 1e-9))
                if !identity { resized.append(.init(axis: axis, input: input, output: output, scale: scale, roi: axisROI)) }
            }
            let options = ResizeInterpolation.Options(
                cubic: mode == "cubic", antialias: antialias, transform: transform,
                cubicA: try c.float("cubic_coeff_a", default: -0.75), excludeOutside: try c.int("exclude_outside", default: 0) != 0,
                extrapolation: try c.float("extrapolation_value", default: 0))
            guard options.cubicA.isFinite, options.extrapolation.isFinite else { throw c.invalid("non-finite attribute") }
            return try ResizeInterpolation.emit(&g, c, axes: resized, options: options)
        }
        var maps: [[Int]] = []
        for axis in 0..<rank {
            let input = shape[axis]
            let output: Int
            var scale: Float
            if let sizes {
                output = sizes[axis]
                scale = keptAspect ? scales[axis] : Float(output) / Float(input)
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
