import ModelGraph
import Quantization

/// Comparisons of integers in one unit, logic on bools, rounding of x/2^s to whole units and sign, ArgMax and
/// ArgMin as exact integer searches (spec §5b). Nothing rounds: every output is exactly the step function's.
extension ComparisonOp: IntegerKernel {
    func run(_ c: inout KernelContext) throws -> [Int64] {
        switch self {
        case .compare, .logical:
            let shape = c.outputShape, count = shape.reduce(1, *)
            func operand(_ position: Int) -> ([Int64], [Int]?) {
                if position < c.q.constantOperands.count, let constant = c.q.constantOperands[position] { return (constant, nil) }
                let id = c.node.inputs[position]
                let values = c.graph.values[id].constant.map { $0.values.map { Int64($0 != 0 ? 1 : 0) } } ?? c.values[id]
                return (values, c.graph.values[id].shape == shape ? nil : Shape.broadcastIndices(from: c.graph.values[id].shape, to: shape))
            }
            let (a, mapA) = operand(0), (b, mapB) = operand(1)
            var y = [Int64](repeating: 0, count: count)
            switch self {
            case .compare(let relation):
                for i in 0..<count { y[i] = relation.holds(a[mapA?[i] ?? i], b[mapB?[i] ?? i]) ? 1 : 0 }
            case .logical(let logic):
                for i in 0..<count { y[i] = logic.apply(a[mapA?[i] ?? i] != 0, b[mapB?[i] ?? i] != 0) ? 1 : 0 }
            default: break
            }
            return y
        case .not:
            return c.input(0).map { $0 != 0 ? 0 : 1 }
        case .rounding(let rounding):
            let x = c.input(0)
            guard !c.graph.values[c.node.inputs[0]].isInteger else {
                return rounding == .sign ? x.map { $0.signum() } : x  // integers are whole already
            }
            let s = Int64(c.settings.activationScale), one = Int64(1) << s
            switch rounding {
            case .floor: return x.map { ($0 >> s) << s }  // arithmetic shift: ⌊x/2^s⌋
            case .ceil: return x.map { -(((-$0) >> s) << s) }
            case .sign: return x.map { $0.signum() * one }
            case .round:
                // ⌊x/2^s⌋, plus one above the half, or at exactly the half when ⌊x/2^s⌋ is odd (ties to even).
                let half = one >> 1
                return x.map { v in
                    let q = v >> s, r = v - (q << s)
                    return (r > half || (r == half && half > 0 && q & 1 == 1) ? q + 1 : q) << s
                }
            }
        case .argExtremum(let axis, _, let lastIndex, let maximum):
            let x = c.input(0)
            let (outer, size, inner) = Self.axisGeometry(c.inputShape, axis: axis)
            var y = [Int64](repeating: 0, count: outer * inner)
            for o in 0..<outer {
                for i in 0..<inner {
                    let base = o * size * inner + i
                    y[o * inner + i] = Int64(Self.pick(size: size, lastIndex: lastIndex, maximum: maximum) { x[base + $0 * inner] })
                }
            }
            return y
        }
    }
}
