extension IndexingOp {
    public func evaluateFloat(_ inputs: [Tensor], outputShape: [Int]) throws -> [Double] {
        let x = inputs[0].values
        switch self {
        case .embedding(let table):
            let rows = table.shape[0], width = table.count / rows
            var y: [Double] = []
            y.reserveCapacity(x.count * width)
            for v in x {
                guard let r = IndexingOp.row(Int64(exactly: v) ?? Int64.max, rows: rows) else {
                    throw ModelGraphError.invalidTensor("Gather index \(v) is outside the table's \(rows) rows")
                }
                y.append(contentsOf: table.values[r * width..<(r + 1) * width])
            }
            return y
        case .cast(let format, let fromInteger):
            return try x.map { try format.convert($0, fromInteger: fromInteger) }
        case .integer(let op, let format):
            let a = Shape.broadcastIndices(from: inputs[0].shape, to: outputShape)
            let b = Shape.broadcastIndices(from: inputs[1].shape, to: outputShape)
            return try (0..<a.count).map { i in
                guard let p = Int64(exactly: x[a[i]]), let q = Int64(exactly: inputs[1].values[b[i]]) else {
                    throw ModelGraphError.invalidTensor("\(op.rawValue) of integer tensors got a non-integer operand")
                }
                return Double(try op.apply(p, q, wrap: format))
            }
        }
    }
}
