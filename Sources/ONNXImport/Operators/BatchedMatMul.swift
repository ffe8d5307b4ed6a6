import ModelGraph

/// MatMul of a computed x by a constant W that is not 2-D (numpy matmul semantics): a 1-D W is a column [K, 1]
/// and a 1-D x a row [1, K], each extra axis removed from the result; with batch axes, x is broadcast to the
/// batch shape, the batches are laid side by side on the last axis, and one `linear` node with the
/// block-diagonal weight diag(W_1ᵀ, …, W_P) computes every batch's product (data movement around it).
enum BatchedMatMul {
    static func convert(_ g: inout GraphImport, _ c: NodeContext, weight w: Tensor) throws {
        var k = Composition(c)
        var x = try k.input(&g, 0)
        let xShape = g.builder.graph.values[x].shape
        guard !xShape.isEmpty, !w.shape.isEmpty else { throw c.invalid("MatMul operands must have rank 1 or more") }
        // Rank-2-or-more forms: x [..., M, K], W [..., K, N].
        let xMatrix = xShape.count == 1 ? [1, xShape[0]] : xShape
        let wMatrix = w.shape.count == 1 ? [w.shape[0], 1] : w.shape
        let (m, kx) = (xMatrix[xMatrix.count - 2], xMatrix[xMatrix.count - 1])
        let (kw, n) = (wMatrix[wMatrix.count - 2], wMatrix[wMatrix.count - 1])
        guard kx == kw else { throw c.invalid("MatMul of \(Shape.describe(xShape)) by \(Shape.describe(w.shape)): inner sizes differ") }
        let batch = try Shape.broadcast(Array(xMatrix.dropLast(2)), Array(wMatrix.dropLast(2)))
        let p = try Shape.elementCount(batch)
        let rank = batch.count + 2
        // x as [batch..., M, K] (leading 1s, then broadcast along the batch axes).
        let xAligned = [Int](repeating: 1, count: rank - xMatrix.count) + xMatrix
        if xAligned != xShape { x = try k.add(&g, .reshape(xAligned), [x]) }
        let full = batch + [m, kx]
        if xAligned != full {
            let maps = (0..<rank).map { axis in (0..<full[axis]).map { xAligned[axis] == 1 ? 0 : $0 } }
            x = try k.add(&g, .movement(.gatherAxes(try AxisGather(kind: "MatMul", inputShape: xAligned, maps: maps))), [x])
        }
        // [P, M, K] → [M, P, K] → [M, P·K]; one linear with the block-diagonal [P·N, P·K] weight; back to [P, M, N].
        x = try k.add(&g, .reshape([p, m, kx]), [x])
        x = try k.add(&g, .movement(.transpose([1, 0, 2])), [x])
        x = try k.add(&g, .reshape([m, p * kx]), [x])
        // The block-diagonal weight is a constant the import creates: bounded before it is allocated.
        let (rows, o1) = p.multipliedReportingOverflow(by: n), (columns, o2) = p.multipliedReportingOverflow(by: kx)
        let (entries, o3) = rows.multipliedReportingOverflow(by: columns)
        guard !o1, !o2, !o3 else { throw c.invalid("a block-diagonal weight of \(p) batches is too large") }
        try c.reserve(entries)
        let wAligned = [Int](repeating: 1, count: rank - wMatrix.count) + wMatrix
        let wBatchMap = Shape.broadcastIndices(from: Array(wAligned.dropLast(2)), to: batch)
        var weight = [Double](repeating: 0, count: p * n * p * kx)
        for b in 0..<p {
            let block = wBatchMap.isEmpty ? 0 : wBatchMap[b]
            for o in 0..<n {
                for i in 0..<kx { weight[(b * n + o) * (p * kx) + b * kx + i] = w.values[block * kx * n + i * n + o] }
            }
        }
        x = try k.add(&g, .linear(try Linear(weight: try Tensor(shape: [p * n, p * kx], values: weight), bias: nil)), [x])
        x = try k.add(&g, .reshape([m, p, n]), [x])
        x = try k.add(&g, .movement(.transpose([1, 0, 2])), [x])
        var target = batch + [m, n]
        if xShape.count == 1 { target.remove(at: target.count - 2) }
        if w.shape.count == 1 { target.removeLast() }
        _ = try k.add(&g, .reshape(target), [x], final: true)
    }
}
