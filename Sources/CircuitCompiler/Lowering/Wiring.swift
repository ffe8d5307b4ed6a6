import ModelGraph

/// Data movement (Reshape, Transpose, Concat, a Clip without bounds) computes nothing (docs/fixed-point.md §5):
/// its output elements are the input elements in another order, so it costs no rows — the consumers' equations
/// read the permuted elements directly.
enum Wiring {
    static func elements(of node: Node, graph: ModelGraph, elements: [[ElementSource]]) -> [ElementSource] {
        node.operation.lowering.wiringElements(node, graph: graph, elements: elements)
    }
}
