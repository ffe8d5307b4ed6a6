import ModelGraph

/// Conv → `convolution`.
enum ConvolutionImport {
    static let converters: [String: Converter] = ["Conv": conv]

    static func conv(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let weight = try c.constantInput(1, "weight").tensor
        guard weight.shape.count == 4 else {
            throw Unsupported(reason: "only 2-D convolution is supported (weight rank \(weight.shape.count))", suggestion: nil)
        }
        guard try c.int("group", default: 1) == 1 else {
            throw Unsupported(reason: "group ≠ 1 (grouped or depthwise convolution)", suggestion: "export with groups = 1")
        }
        let bias = try c.optionalConstant(2, "bias")?.tensor
        let kernel = Array(weight.shape[2...])
        if let declared = c.ints("kernel_shape"), declared.map({ Int($0) }) != kernel {
            throw c.invalid("kernel_shape \(declared) disagrees with the weight \(Shape.describe(weight.shape))")
        }
        let strides = try c.sizes("strides", count: 2, default: [1, 1])
        let dilations = try c.sizes("dilations", count: 2, default: [1, 1])
        let pads = try resolvePads(c, inputShape: try g.shape(c, 0), kernel: kernel, strides: strides, dilations: dilations)
        try g.add(c, .conv(Convolution(weight: weight, bias: bias, strides: strides, pads: pads, dilations: dilations)), [0])
    }

    /// Explicit pads from `pads` or `auto_pad` (static shapes make SAME computable here).
    static func resolvePads(_ c: NodeContext, inputShape shape: [Int], kernel: [Int], strides: [Int], dilations: [Int]) throws -> [Int] {
        let mode = c.node.attribute("auto_pad")?.string ?? "NOTSET"
        switch mode {
        case "NOTSET", "":
            return try c.sizes("pads", count: 4, default: [0, 0, 0, 0])
        case "VALID":
            return [0, 0, 0, 0]
        case "SAME_UPPER", "SAME_LOWER":
            guard shape.count == 4 else { throw c.invalid("input must be NCHW") }
            var pads = [0, 0, 0, 0]
            for axis in 0..<2 {
                let size = shape[2 + axis]
                let out = (size + strides[axis] - 1) / strides[axis]
                let total = max(0, (out - 1) * strides[axis] + (kernel[axis] - 1) * dilations[axis] + 1 - size)
                let small = total / 2, large = total - small
                pads[axis] = mode == "SAME_UPPER" ? small : large
                pads[axis + 2] = mode == "SAME_UPPER" ? large : small
            }
            return pads
        default:
            throw c.invalid("unknown auto_pad '\(mode)'")
        }
    }
}
