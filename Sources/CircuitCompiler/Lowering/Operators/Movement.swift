import ModelGraph
import Quantization

/// Reshape, Transpose, Concat: wiring (no rows, no equations).
extension MovementOp: CircuitLowering {
    func isWiring(_ node: Node, graph: ModelGraph) -> Bool {
        if case .gatherAxes(let gather) = self { return !gather.usesFill }
        return true
    }

    var circuitHint: String {
        "constant padding runs in `zkinfer run`; to prove it, move the padding into the next Conv's or pool's pads, or use reflect/edge padding"
    }

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
            return gather.sources().map { x[$0] }  // wiring only without fill positions
        }
    }
}
