import ModelGraph

/// MaxPool and AveragePool (1-D, 2-D, or 3-D as a 2-D then a 1-D pool: `Pooling3D`; strides, pads, auto_pad, dilations, ceil_mode, count_include_pad),
/// GlobalAveragePool and GlobalMaxPool → `pooling`.
enum PoolingImport {
    static let converters: [String: Converter] = [
        "MaxPool": window, "AveragePool": window,
        "GlobalAveragePool": { g, c in try g.add(c, .globalAveragePool, [0]) },
        "GlobalMaxPool": globalMax,
        "ReduceSum": reduce, "ReduceMean": reduce, "ReduceMax": reduce, "ReduceMin": reduce,
    ]

    /// Planes of up to `globalMaxLane` positions are one GlobalMaxPool (one circuit lane each); larger planes are
    /// ReduceMax over the spatial axes, cut into a tree of ≤ 16-member reductions (`ExtremumTree`): the same
    /// element is selected, so run, --float and the proof agree with one pooling.
    static let globalMaxLane = 9

    static func globalMax(_ g: inout GraphImport, _ c: NodeContext) throws {
        let shape = try g.shape(c, 0)
        guard shape.count > 2, shape.dropFirst(2).reduce(1, *) > globalMaxLane else {
            try g.add(c, .pooling(.globalMax), [0])
            return
        }
        var k = Composition(c)
        _ = try ExtremumTree.add(&g, &k, try k.input(&g, 0), shape: shape,
                                 Reduction(axes: Array(2..<shape.count), keepDims: true, mean: false), maximum: true, final: true)
    }

    /// ReduceSum / ReduceMean: axes from the attribute (older opsets) or a constant input (ReduceSum 13+, ReduceMean
    /// 18+); no axes reduce everything unless noop_with_empty_axes.
    static func reduce(_ g: inout GraphImport, _ c: NodeContext) throws {
        let rank = try g.shape(c, 0).count
        var axes: [Int]?
        if let listed = c.ints("axes") {
            axes = try listed.map { try ShapeOps.normalizeAxis($0, rank: rank, c) }
        } else if let constant = try c.optionalConstant(1, "axes") {
            axes = try c.integerList(constant, "axes").map { try ShapeOps.normalizeAxis(Int64($0), rank: rank, c) }
        }
        if axes?.isEmpty ?? true {
            if try c.int("noop_with_empty_axes", default: 0) != 0 {
                guard let slot = c.input(0) else { throw c.invalid("missing input") }
                g.slots[c.node.outputs[0]] = slot
                return
            }
            axes = Array(0..<rank)
        }
        let reduction = Reduction(axes: axes!, keepDims: try c.int("keepdims", default: 1) != 0, mean: c.op == "ReduceMean")
        if c.op == "ReduceMax" || c.op == "ReduceMin" {
            // Groups larger than the circuit's lane become a tree of smaller reductions (`ExtremumTree`).
            var k = Composition(c)
            _ = try ExtremumTree.add(&g, &k, try k.input(&g, 0), shape: try g.shape(c, 0), reduction,
                                     maximum: c.op == "ReduceMax", final: true)
        } else {
            try g.add(c, .pooling(.reduce(reduction)), [0])
        }
    }

    static func window(_ g: inout GraphImport, _ c: NodeContext) throws {
        try g.requireComputedFirst(c)
        let indices = c.op == "MaxPool" && c.node.outputs.count > 1 && !c.node.outputs[1].isEmpty
            && g.readers[c.node.outputs[1], default: 0] > 0
        if !indices { try g.extraOutputsUnused(c, "Indices") }
        let inputShape = try g.shape(c, 0)
        let rank = inputShape.count - 2
        if indices, rank == 3 { throw Unsupported(reason: "its Indices output is used (3-D)", suggestion: nil) }
        guard (1...3).contains(rank) else {
            throw Unsupported(reason: "\(rank)-D pooling; 1-D, 2-D and 3-D are supported", suggestion: nil)
        }
        let kernel = try c.sizes("kernel_shape", count: rank, default: [])
        guard kernel.count == rank else { throw c.invalid("kernel_shape must have \(rank) entries") }
        let ones = [Int](repeating: 1, count: rank)
        let strides = try c.sizes("strides", count: rank, default: ones)
        let dilations = try c.sizes("dilations", count: rank, default: ones)
        let pads = try ConvolutionImport.resolvePads(c, inputShape: inputShape, kernel: kernel, strides: strides, dilations: dilations)
        if rank == 3 {
            return try Pooling3D.window(&g, c, inputShape: inputShape, kernel: kernel, strides: strides, dilations: dilations, pads: pads)
        }
        let attributes = try WindowAttributes(spatialRank: rank, strides: strides, pads: pads, dilations: dilations)
        let pool = try Pooling(kernel: kernel, attributes: attributes,
                               countIncludePad: try c.int("count_include_pad", default: 0) != 0,
                               ceilMode: try c.int("ceil_mode", default: 0) != 0)
        try g.add(c, c.op == "MaxPool" ? .maxPool(pool) : .averagePool(pool), [0])
        if indices {
            let storageOrder = try c.int("storage_order", default: 0)
            guard storageOrder == 0 || storageOrder == 1 else { throw c.invalid("storage_order \(storageOrder)") }
            guard case .value(let x)? = c.input(0) else { throw c.invalid("missing input") }
            let output = c.node.outputs[1]
            g.slots[output] = .value(try g.builder.addNode(
                name: c.name, sourceOp: c.op, operation: .pooling(.maxIndex(pool, columnMajor: storageOrder == 1)),
                inputs: [x], outputName: output))
        }
    }
}
