import ModelGraph
import Quantization

/// Reshape, Transpose, Concat, the axis gathers (Pad of every mode, Slice, Expand, nearest Resize), the selections
/// (Trilu, GatherElements, GatherND, ScatterND): wiring (no rows, no equations); a 0, a constant element or a
/// constant Pad's fill Q_s(fill) is a constant in the wiring.
extension MovementOp: CircuitLowering {
    func isWiring(_ node: Node, graph: ModelGraph) -> Bool { true }

    func wiringElements(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]]) -> [ElementSource] {
        switch self {
        case .reshape:
            return elements[node.inputs[0]]
        case .transpose(let perm):
            let x = elements[node.inputs[0]]
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
        case .gatherAxes(let gather):
            let x = elements[node.inputs[0]]
            return gather.sources().map { $0 < 0 ? .constant(q.fill) : x[$0] }
        case .select(let selection):
            // A 0 or a constant operand's element is a constant in the wiring, as a Concat's constant operand is.
            return (0..<selection.sources.count).map { i in
                let (input, index) = selection.source(i)
                guard index >= 0 else { return .constant(0) }
                if let constant = q.constantOperands[input] { return .constant(constant[index]) }
                return elements[node.inputs[input]][index]
            }
        }
    }
}
