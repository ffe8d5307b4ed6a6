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
        case .integer(let op, let format):
            let shape = c.outputShape, count = shape.reduce(1, *)
            func operand(_ position: Int) -> ([Int64], [Int]?) {
                if let constant = c.q.constantOperands[position] { return (constant, nil) }
                let id = c.node.inputs[position]
                return (c.values[id], c.graph.values[id].shape == shape ? nil : Shape.broadcastIndices(from: c.graph.values[id].shape, to: shape))
            }
            let (a, mapA) = operand(0), (b, mapB) = operand(1)
            var y = [Int64](repeating: 0, count: count)
            do {
                for i in 0..<count { y[i] = try op.apply(a[mapA?[i] ?? i], b[mapB?[i] ?? i], wrap: format) }
            } catch let error as ModelGraphError {
                throw InferenceError.invalidInput("layer \(c.label): \(error)")
            }
            return y
        case .cast(let format, let fromInteger):
            let s = c.settings.activationScale
            switch format {
            case .bool:
                return x.map { $0 != 0 ? 1 : 0 }
            case .real:
                // Integers become x·2^s (the bound check that follows rejects overflow).
                return fromInteger ? x.map { $0 << Int64(s) } : x
            case .integer:
                if fromInteger { return x.map(format.wrap) }
                // Truncation toward zero of x/2^s; outside the type's range the result is 0.
                let range = format.integerRange!
                return x.map { v in
                    let t = v >= 0 ? v >> Int64(s) : -((-v) >> Int64(s))
                    return range.contains(t) ? t : 0
                }
            case .float, .powerOfTwo:
                // The real value x/2^s (exact in Double below 2^53) rounded onto the format, then requantized.
                let unit = Double(sign: .plus, exponent: fromInteger ? 0 : -s, significand: 1)
                return try x.map { v in
                    let cast: Double
                    do { cast = try format.convert(Double(v) * unit, fromInteger: false) } catch let error as ModelGraphError {
                        throw InferenceError.invalidInput("layer \(c.label): \(error)")
                    }
                    guard let q = FixedPoint.quantize(cast, scale: s) else {
                        throw InferenceError.invalidInput("layer \(c.label): \(cast) does not fit the fixed-point range")
                    }
                    return q
                }
            }
        }
    }
}
