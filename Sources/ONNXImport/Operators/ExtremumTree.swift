import ModelGraph

/// ReduceMax/ReduceMin over groups of any size as a tree of reductions over at most `maxGroup` elements each
/// (docs/fixed-point.md §6c): the circuit proves one group per `MaxPoolGadget` lane, whose gate grows with the
/// group, so larger groups are cut. The maximum of the chunks' maxima is the group's maximum exactly (in reals
/// and in integers), so the direct path, the float path and the circuit all compute the same values as one
/// reduction would. Each level is a selection (wiring: every output's group laid out as [outputs, chunks,
/// chunk], the last member repeated to fill the last chunk — a repeated element changes no maximum) and a
/// reduction over the chunk axis.
enum ExtremumTree {
    /// The circuit's largest group per lane (CircuitCompiler's `PoolingOp.maxReduceGroup`; a test keeps them equal).
    static let maxGroup = 16

    /// The reduction of `x` (shape `shape`) by `r`; with `final`, the step writes the node's output.
    static func add(_ g: inout GraphImport, _ k: inout Composition, _ x: ValueID, shape: [Int], _ r: Reduction,
                    maximum: Bool, final: Bool = false) throws -> ValueID {
        let group = r.count(shape)
        let operation = PoolingOp.reduceExtremum(r, maximum: maximum)
        guard group > maxGroup else { return try k.add(&g, .pooling(operation), [x], final: final) }
        let outputShape = try operation.outputShape([shape])
        let outputs = outputShape.reduce(1, *)
        let name = maximum ? "ReduceMax" : "ReduceMin"
        // Level 0: element t of output o's group is input position members[o][t] (input order).
        var members = [[Int]](repeating: [], count: outputs)
        for (i, o) in r.outputIndex(shape).enumerated() { members[o].append(i) }
        var current = x, currentShape = shape, length = group
        var position: (Int, Int) -> Int = { o, t in members[o][t] }
        let chunkAxis = Reduction(axes: [2], keepDims: false, mean: false)
        while length > maxGroup {
            let chunks = (length + maxGroup - 1) / maxGroup
            let size = (length + chunks - 1) / chunks
            var sources: [Int] = []
            sources.reserveCapacity(outputs * chunks * size)
            for o in 0..<outputs {
                for j in 0..<chunks {
                    for t in 0..<size { sources.append(position(o, min(j * size + t, length - 1))) }
                }
            }
            let laid = try k.add(&g, .movement(.select(try ElementSelection(
                kind: "\(name) chunks", inputShapes: [currentShape], outputShape: [outputs, chunks, size], sources: sources))), [current])
            current = try k.add(&g, .pooling(.reduceExtremum(chunkAxis, maximum: maximum)), [laid])
            currentShape = [outputs, chunks]
            length = chunks
            position = { o, t in o * chunks + t }
        }
        let last = try k.add(&g, .pooling(.reduceExtremum(Reduction(axes: [1], keepDims: false, mean: false), maximum: maximum)), [current])
        return try k.add(&g, .reshape(outputShape), [last], final: final)
    }
}
