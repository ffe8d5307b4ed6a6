import ModelGraph
import Quantization

/// Embedding lookups (rows of the table at scale s; an index outside the table is an error naming the layer) and
/// Cast between integer-valued and real tensors (spec §5).
extension IndexingOp: IntegerKernel {
    func run(_ c: inout KernelContext) throws -> [Int64] {
        let x = c.input(0)
        switch self {
        case .embedding(let table):
            let rows = table.shape[0], width = table.count / rows
            var y: [Int64] = []
            y.reserveCapacity(x.count * width)
            for v in x {
                guard let r = IndexingOp.row(v, rows: rows) else {
                    throw InferenceError.invalidInput("layer \(c.label): index \(v) is outside the table's \(rows) rows [−\(rows), \(rows))")
                }
                y.append(contentsOf: c.q.weights[r * width..<(r + 1) * width])
            }
            return y
        case .cast(let toInteger, let toBool):
            let fromInteger = c.graph.values[c.node.inputs[0]].isInteger
            let s = Int64(c.settings.activationScale)
            if toBool { return x.map { $0 != 0 ? 1 : 0 } }
            if toInteger {
                // Truncation toward zero of x/2^s (already an integer when the input is one).
                return fromInteger ? x : x.map { $0 >= 0 ? $0 >> s : -((-$0) >> s) }
            }
            // To a float type: integers become x·2^s (the bound check that follows rejects overflow).
            return fromInteger ? x.map { $0 << s } : x
        }
    }
}
