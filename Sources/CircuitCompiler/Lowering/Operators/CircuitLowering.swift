import ModelGraph
import Quantization

/// What every operator family defines in the circuit stage (its `Lowering/Operators/<Family>.swift`). A node is
/// proved in one of three ways: by the fold (`foldedShift` non-nil: its equations go to the model's one linear
/// system and its outputs get rescale lanes), by lanes of a gadget of its own (`standaloneKind`), or as wiring
/// (`isWiring`: its elements are its inputs' in another order). A node that is none of these is refused by
/// `zkinfer compile` with `circuitHint`.
protocol CircuitLowering {
    /// The rescale shift k of a node the fold proves; nil for other nodes.
    func foldedShift(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) -> Int?
    /// The gadget of a node with lanes of its own; parameters from the settings alone (`zkinfer stats` needs no
    /// weights).
    func standaloneKind(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) throws -> LaneKind?
    func isWiring(_ node: Node, graph: ModelGraph) -> Bool
    /// Why the circuit cannot prove the node (with a rewrite where one exists).
    var circuitHint: String { get }
    /// A folded node's equations: for output element i, Σ weight·element + constant = the accumulator y_i.
    func emitEquations(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]], layer: String,
                       _ emit: Equations.Emit) throws
    /// A standalone gadget's ports: which element (value id, flat position) port `port` of lane `index` receives.
    func ports(_ node: Node, graph: ModelGraph) -> (_ index: Int, _ port: Int) -> (ValueID, Int)
    /// A wiring node's elements.
    func wiringElements(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]]) -> [ElementSource]
    /// Non-zero fold entries of a node with receiving lanes of group `group` (see `ModelStatistics`).
    func foldEntries(_ node: Node, graph: ModelGraph, plan: CircuitPlan, group: Int) -> Int
}

extension CircuitLowering {
    func foldedShift(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) -> Int? { nil }
    func standaloneKind(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) throws -> LaneKind? { nil }
    func isWiring(_ node: Node, graph: ModelGraph) -> Bool { false }
    var circuitHint: String { "" }

    func emitEquations(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]], layer: String,
                       _ emit: Equations.Emit) throws {
        throw CompilerError.unsupportedOperation(layer: layer, op: node.operation.name, hint: circuitHint)
    }

    /// By default lane i receives element i of the first input.
    func ports(_ node: Node, graph: ModelGraph) -> (_ index: Int, _ port: Int) -> (ValueID, Int) {
        let input = node.inputs[0]
        return { index, _ in (input, index) }
    }

    func wiringElements(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]]) -> [ElementSource] { [] }

    /// A standalone gadget: each port's equation has the element it receives (weight 1) and the −1.
    func foldEntries(_ node: Node, graph: ModelGraph, plan: CircuitPlan, group: Int) -> Int {
        2 * graph.values[node.output].elementCount * plan.groups[group].kind.gadget.receivedCount
    }
}

extension LayerOperation {
    var lowering: any CircuitLowering {
        switch self {
        case .linear(let op): return op
        case .convolution(let op): return op
        case .pooling(let op): return op
        case .arithmetic(let op): return op
        case .activation(let op): return op
        case .normalization(let op): return op
        case .movement(let op): return op
        case .indexing(let op): return op
        case .comparison(let op): return op
        }
    }
}

/// Fold-entry counting helpers shared by the families.
enum FoldCount {
    static func nonZero(_ v: Double, _ scale: Int) -> Bool { FixedPoint.quantize(v, scale: scale) != 0 }
    /// The rounding offset 2^(k−1) the equation constant carries (0 without a rescale).
    static func offset(_ shift: Int) -> Int64 { shift > 0 ? 1 << (shift - 1) : 0 }
}
