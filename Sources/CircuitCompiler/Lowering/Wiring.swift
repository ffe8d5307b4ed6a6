import ModelGraph
import Quantization

/// Data movement (Reshape, Transpose, Concat, a Clip without bounds) computes nothing (docs/fixed-point.md §5):
/// its output elements are the input elements in another order, so it costs no rows — the consumers' equations
/// read the permuted elements directly. A Concat's constant operand contributes fixed elements (Q_s(c),
/// `QuantizedNode.constantOperands`), which the equations reading them fold into their constants.
enum Wiring {
    static func elements(of node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]]) -> [ElementSource] {
        node.operation.lowering.wiringElements(node, q, graph: graph, elements: elements)
    }
}
