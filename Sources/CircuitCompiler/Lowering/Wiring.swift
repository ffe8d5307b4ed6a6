import ModelGraph
import Quantization

/// Reshape, Transpose and Concat move integers without computing anything (docs/fixed-point.md §5): their
/// output elements are the input elements in another order, so they cost no rows — the consumers'
/// equations read the permuted elements directly. A Concat's constant operand contributes fixed elements
/// (Q_s(c), `QuantizedNode.constantOperands`), which the equations reading them fold into their constants.
enum Wiring {
    static func elements(of node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]]) -> [ElementSource] {
        let x = elements[node.inputs[0]]
        switch node.operation {
        case .reshape, .clip(nil, nil):
            return x
        case .transpose(let perm):
            return Layout.transposeSource(shape: graph.values[node.inputs[0]].shape, perm: perm).map { x[$0] }
        case .concat(let axis):
            var result: [ElementSource] = []
            for run in Layout.concatRuns(shapes: node.inputs.map { graph.values[$0].shape }, axis: axis) {
                if let constant = q.constantOperands[run.input] {
                    result.append(contentsOf: constant[run.start..<run.start + run.length].map { .constant($0) })
                } else {
                    result.append(contentsOf: elements[node.inputs[run.input]][run.start..<run.start + run.length])
                }
            }
            return result
        default:
            return []
        }
    }
}
