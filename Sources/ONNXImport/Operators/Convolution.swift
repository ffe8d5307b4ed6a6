import ModelGraph

/// Conv and ConvTranspose (1-D or 2-D, any group, dilations, every auto_pad mode) → `convolution`.
enum ConvolutionImport {
    static let converters: [String: Converter] = ["Conv": conv, "ConvTranspose": convTranspose]

    /// The spatial rank of a weight [·, ·, kernel...], or a refusal for 3-D and higher.
    static func spatialRank(_ weight: Tensor, _ c: NodeContext) throws -> Int {
        let rank = weight.shape.count - 2
        guard rank == 1 || rank == 2 else {
            throw Unsupported(reason: "\(rank)-D \(c.op) (weight rank \(weight.shape.count)); 1-D and 2-D are supported", suggestion: nil)
        }
        return rank
    }

    static func conv(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let weight = try c.constantInput(1, "weight").tensor
        let rank = try spatialRank(weight, c)
        let bias = try c.optionalConstant(2, "bias")?.tensor
        let kernel = Array(weight.shape[2...])
        if let declared = c.ints("kernel_shape"), declared.map({ Int($0) }) != kernel {
            throw c.invalid("kernel_shape \(declared) disagrees with the weight \(Shape.describe(weight.shape))")
        }
        let group = try c.int("group", default: 1)
        guard group >= 1, group <= Int64(weight.shape[0]) else { throw c.invalid("group \(group) is out of range") }
        let strides = try c.sizes("strides", count: rank, default: [Int](repeating: 1, count: rank))
        let dilations = try c.sizes("dilations", count: rank, default: [Int](repeating: 1, count: rank))
        let inputShape = try g.shape(c, 0)
        let pads = try resolvePads(c, inputShape: inputShape, kernel: kernel, strides: strides, dilations: dilations)
        let attributes = try WindowAttributes(spatialRank: rank, strides: strides, pads: pads, dilations: dilations)
        try g.add(c, .convolution(.conv(Convolution(weight: weight, bias: bias, group: Int(group), attributes: attributes))), [0])
    }

    static func convTranspose(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let weight = try c.constantInput(1, "weight").tensor
        let rank = try spatialRank(weight, c)
        let bias = try c.optionalConstant(2, "bias")?.tensor
        let kernel = Array(weight.shape[2...])
        if let declared = c.ints("kernel_shape"), declared.map({ Int($0) }) != kernel {
            throw c.invalid("kernel_shape \(declared) disagrees with the weight \(Shape.describe(weight.shape))")
        }
        let group = try c.int("group", default: 1)
        guard group >= 1, group <= Int64(weight.shape[0]) else { throw c.invalid("group \(group) is out of range") }
        let ones = [Int](repeating: 1, count: rank)
        let strides = try c.sizes("strides", count: rank, default: ones)
        let dilations = try c.sizes("dilations", count: rank, default: ones)
        var outputPadding = try c.sizes("output_padding", count: rank, default: [Int](repeating: 0, count: rank))
        guard (0..<rank).allSatisfy({ outputPadding[$0] >= 0 && outputPadding[$0] < max(strides[$0], dilations[$0]) }) else {
            throw c.invalid("output_padding \(outputPadding) must be below the stride or the dilation")
        }
        let inputShape = try g.shape(c, 0)
        guard inputShape.count == rank + 2 else { throw c.invalid("input must have rank \(rank + 2)") }
        let mode = c.node.attribute("auto_pad")?.string ?? "NOTSET"
        var pads = try c.sizes("pads", count: 2 * rank, default: [Int](repeating: 0, count: 2 * rank))
        // A requested output size (output_shape, or SAME: input·stride) fixes the total padding per axis.
        var requested: [Int]?
        if let shape = c.ints("output_shape") {
            let spatial = shape.suffix(rank)
            guard spatial.count == rank, spatial.allSatisfy({ $0 >= 1 && $0 <= 1 << 24 }) else {
                throw c.invalid("output_shape \(shape) must end in \(rank) sizes in 1...2^24")
            }
            requested = spatial.map { Int($0) }
        } else if mode == "SAME_UPPER" || mode == "SAME_LOWER" {
            requested = (0..<rank).map { inputShape[2 + $0] * strides[$0] }
        } else if mode == "VALID" {
            pads = [Int](repeating: 0, count: 2 * rank)
        } else if mode != "NOTSET" && !mode.isEmpty {
            throw c.invalid("unknown auto_pad '\(mode)'")
        }
        if let requested {
            for axis in 0..<rank {
                let full = strides[axis] * (inputShape[2 + axis] - 1) + outputPadding[axis] + (kernel[axis] - 1) * dilations[axis] + 1
                let total = full - requested[axis]
                // An output_shape beyond the full result (negative total padding) extends the axis at its end with
                // positions no input reaches (the bias), as onnxruntime and the onnx reference compute it.
                guard total >= 0 else {
                    outputPadding[axis] += -total
                    pads[axis] = 0
                    pads[axis + rank] = 0
                    continue
                }
                // As onnxruntime: the odd unit goes to the tail for SAME_UPPER, to the head for SAME_LOWER and for an
                // explicit output_shape.
                let small = total / 2, large = total - small
                pads[axis] = mode == "SAME_UPPER" ? small : large
                pads[axis + rank] = mode == "SAME_UPPER" ? large : small
            }
        }
        let attributes = try WindowAttributes(spatialRank: rank, strides: strides, pads: pads, dilations: dilations)
        let op = try ConvTranspose(weight: weight, bias: bias, group: Int(group), attributes: attributes, outputPadding: outputPadding)
        try g.add(c, .convolution(.transposed(op)), [0])
    }

    /// Explicit pads in the ONNX form (all begins, then all ends) from `pads` or `auto_pad` (static shapes make SAME
    /// computable here). SAME_UPPER puts the odd unit at the end, SAME_LOWER at the beginning.
    static func resolvePads(_ c: NodeContext, inputShape shape: [Int], kernel: [Int], strides: [Int], dilations: [Int]) throws -> [Int] {
        let rank = kernel.count
        // SAME divides by the strides: check them (and the dilations) here, before the layer's own checks.
        guard strides.allSatisfy({ $0 >= 1 }), dilations.allSatisfy({ $0 >= 1 }) else {
            throw c.invalid("strides \(strides) and dilations \(dilations) must be at least 1")
        }
        let mode = c.node.attribute("auto_pad")?.string ?? "NOTSET"
        switch mode {
        case "NOTSET", "":
            return try c.sizes("pads", count: 2 * rank, default: [Int](repeating: 0, count: 2 * rank))
        case "VALID":
            return [Int](repeating: 0, count: 2 * rank)
        case "SAME_UPPER", "SAME_LOWER":
            guard shape.count == rank + 2 else { throw c.invalid("input must have rank \(rank + 2)") }
            var pads = [Int](repeating: 0, count: 2 * rank)
            for axis in 0..<rank {
                let size = shape[2 + axis]
                let out = (size + strides[axis] - 1) / strides[axis]
                let total = max(0, (out - 1) * strides[axis] + (kernel[axis] - 1) * dilations[axis] + 1 - size)
                let small = total / 2, large = total - small
                pads[axis] = mode == "SAME_UPPER" ? small : large
                pads[axis + rank] = mode == "SAME_UPPER" ? large : small
            }
            return pads
        default:
            throw c.invalid("unknown auto_pad '\(mode)'")
        }
    }
}
