import ModelGraph
import Quantization

/// Data movement: a fixed permutation of integers; nothing is computed (spec §5).
extension MovementOp: IntegerKernel {
    func run(_ c: inout KernelContext) throws -> [Int64] {
        switch self {
        case .reshape:
            return c.input(0)
        case .transpose(let perm):
            let x = c.input(0)
            return Layout.transposeSource(shape: c.inputShape, perm: perm).map { x[$0] }
        case .concat(let axis):
            let graph = c.graph, node = c.node
            var result: [Int64] = []
            result.reserveCapacity(c.outputShape.reduce(1, *))
            for run in Layout.concatRuns(shapes: node.inputs.map { graph.values[$0].shape }, axis: axis) {
                // A constant operand holds Q_s(c) (spec §5); an activation its values.
                let source = c.q.constantOperands[run.input] ?? c.values[node.inputs[run.input]]
                result.append(contentsOf: source[run.start..<run.start + run.length])
            }
            return result
        case .gatherAxes(let gather):
            let x = c.input(0), fill = c.q.fill
            return gather.sources().map { $0 < 0 ? fill : x[$0] }
        case .select(let selection):
            let node = c.node, q = c.q, values = c.values
            return (0..<selection.sources.count).map { i in
                let (input, index) = selection.source(i)
                guard index >= 0 else { return 0 }
                return (q.constantOperands[input] ?? values[node.inputs[input]])[index]
            }
        }
    }
}
