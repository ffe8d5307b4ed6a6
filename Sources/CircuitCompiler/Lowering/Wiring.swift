import ModelGraph

/// Reshape, Transpose and Concat move integers without computing anything (docs/fixed-point.md §5): their
/// output elements are the input elements in another order, so they cost no rows — the consumers'
/// equations read the permuted elements directly.
enum Wiring {
    static func elements(of node: Node, graph: ModelGraph, elements: [[ElementSource]]) -> [ElementSource] {
        let x = elements[node.inputs[0]]
        switch node.operation {
        case .reshape:
            return x
        case .transpose(let perm):
            return Layout.transposeSource(shape: graph.values[node.inputs[0]].shape, perm: perm).map { x[$0] }
        case .concat(let axis):
            var result: [ElementSource] = []
            for run in Layout.concatRuns(shapes: node.inputs.map { graph.values[$0].shape }, axis: axis) {
                result.append(contentsOf: elements[node.inputs[run.input]][run.start..<run.start + run.length])
            }
            return result
        default:
            return []
        }
    }
}
