import ModelGraph

/// MaxPool, AveragePool, GlobalAveragePool → `pooling`.
enum PoolingImport {
    static let converters: [String: Converter] = [
        "MaxPool": window, "AveragePool": window,
        "GlobalAveragePool": { g, c in try g.add(c, .globalAveragePool, [0]) },
    ]

    static func window(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        try g.extraOutputsUnused(c, "Indices")
        let kernel = try c.sizes("kernel_shape", count: 2, default: [])
        guard kernel.count == 2 else { throw Unsupported(reason: "only 2-D pooling is supported", suggestion: nil) }
        guard try c.int("ceil_mode", default: 0) == 0 else {
            throw Unsupported(reason: "ceil_mode = 1", suggestion: "add explicit bottom/right padding and use ceil_mode = 0")
        }
        guard try c.sizes("dilations", count: 2, default: [1, 1]) == [1, 1] else {
            throw Unsupported(reason: "dilated pooling", suggestion: nil)
        }
        let strides = try c.sizes("strides", count: 2, default: [1, 1])
        let pads = try ConvolutionImport.resolvePads(c, inputShape: try g.shape(c, 0), kernel: kernel, strides: strides,
                                                     dilations: [1, 1])
        let pool = try Pooling(kernel: kernel, strides: strides, pads: pads,
                               countIncludePad: try c.int("count_include_pad", default: 0) != 0)
        try g.add(c, c.op == "MaxPool" ? .maxPool(pool) : .averagePool(pool), [0])
    }
}
