import ModelGraph
import Quantization

/// The equations each folded operation contributes (docs/fixed-point.md §4–§5; each family's in
/// `Operators/<Family>.swift`): for output element i, `Σ weight·element + constant` equals the accumulator y_i
/// the receiving lane rescales.
enum Equations {
    typealias Emit = (_ index: Int, _ terms: [(ElementSource, Int64)], _ constant: Int64) throws -> Void

    static func emit(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]],
                     layer: String, _ emit: Emit) throws {
        try node.operation.lowering.emitEquations(node, q, graph: graph, elements: elements, layer: layer, emit)
    }

    /// For a standalone gadget's layer: which element (value id, flat position) port `port` of lane `index`
    /// receives. The witness builder reads the trace at the same positions.
    static func ports(_ node: Node, graph: ModelGraph) -> (_ index: Int, _ port: Int) -> (ValueID, Int) {
        node.operation.lowering.ports(node, graph: graph)
    }
}
