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
        case .cast(let toInteger, let toBool):
            if toBool { return x.map { $0 != 0 ? 1 : 0 } }
            if toInteger { return x.map { $0.rounded(.towardZero) } }
            return x
        }
    }
}
