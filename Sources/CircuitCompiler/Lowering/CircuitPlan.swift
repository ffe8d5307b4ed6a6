import ModelGraph
import Quantization

/// What each layer becomes in the circuit, decided from the graph and the settings alone (no weights, no
/// witness): gadget kinds, lane counts, fusions. `zkinfer stats` works from this, so it is fast even for
/// large models; `CircuitLayout` places the lanes and `LinearSystem` adds the weights.
public struct CircuitPlan: Sendable {
    /// How a layer is realised.
    public enum Role: Hashable, Sendable {
        /// Lanes of one gadget kind, one per output element (group index into `groups`).
        case lanes(group: Int)
        /// Computed inside the lanes of another layer (e.g. a Relu fused into the rescale of its linear
        /// layer): no rows of its own.
        case fused(intoLayer: Int)
        /// Pure data movement: the consumers' equations read the permuted elements; no rows.
        case wiring
        /// A public model input: folded by the verifier, no rows.
        case publicInput
    }

    public struct Layer: Sendable {
        public let name: String
        public let op: String
        public let outputShape: [Int]
        public let role: Role
        /// The graph node (nil for a model input).
        public let nodeIndex: Int?
        /// For model inputs: the graph input position.
        public let inputIndex: Int?
    }

    /// A run of lanes of one kind produced by one layer.
    public struct LaneGroup: Hashable, Sendable {
        public let kind: LaneKind
        public let count: Int
        public let layer: Int
        /// False for private inputs: they receive no equation (only their range check binds them).
        public let receives: Bool
    }

    public let graph: ModelGraph
    public let settings: QuantizationSettings
    public let options: CompileOptions
    /// Width of the range-checked limbs of every lane (the range table has 2^limbBits rows).
    public let limbBits: Int
    public var rangeTableRows: Int { 1 << limbBits }
    public let layers: [Layer]
    public let groups: [LaneGroup]
    /// Public values: the model inputs (when public) then the outputs, flattened in graph order.
    public let publicInputCount: Int
    public let publicOutputCount: Int
    /// MatMuls of two activations and their stream groups (docs/protocol.md §20).
    public let matMulChecks: [MatMulCheck]

    public init(graph: ModelGraph, settings: QuantizationSettings, options: CompileOptions = CompileOptions(),
                limbBits: Int = 8) throws {
        do { try settings.validate() } catch { throw CompilerError.invalidOptions("\(error)") }
        guard CompileOptions.limbBitChoices.contains(limbBits) else {
            throw CompilerError.invalidOptions("limbs of \(limbBits) bits; supported: \(CompileOptions.limbBitChoices.map(String.init).joined(separator: ", "))")
        }
        if let empty = graph.values.first(where: { $0.constant == nil && $0.elementCount == 0 }) {
            throw CompilerError.unsupportedOperation(
                layer: "'\(empty.name)'", op: "empty tensor",
                hint: "a tensor of shape \(Shape.describe(empty.shape)) holds nothing to prove; `zkinfer run` computes the model")
        }
        self.limbBits = limbBits
        self.graph = graph
        self.settings = settings
        self.options = options
        let consumers = graph.consumers()
        let outputs = Set(graph.outputs)
        var layers: [Layer] = []
        var groups: [LaneGroup] = []
        var unsupported: [CompilerError] = []
        var matMulChecks: [MatMulCheck] = []
        let bits = settings.activationBits

        for (position, id) in graph.inputs.enumerated() {
            let value = graph.values[id]
            if options.publicInput {
                layers.append(Layer(name: value.name, op: "Input", outputShape: value.shape, role: .publicInput,
                                    nodeIndex: nil, inputIndex: position))
            } else {
                groups.append(LaneGroup(kind: .rescale(RescaleGadget(shift: 0, activation: .identity, activationBits: bits)),
                                        count: value.elementCount, layer: layers.count, receives: false))
                layers.append(Layer(name: value.name, op: "Input (private)", outputShape: value.shape,
                                    role: .lanes(group: groups.count - 1), nodeIndex: nil, inputIndex: position))
            }
        }

        var layerOfNode = [Int](repeating: -1, count: graph.nodes.count)
        var fusedInto: [Int: Int] = [:]  // relu node → layer it is fused into
        for (index, node) in graph.nodes.enumerated() {
            let shape = graph.values[node.output].shape
            let count = graph.values[node.output].elementCount
            layerOfNode[index] = layers.count
            if let target = fusedInto[index] {
                layers.append(Layer(name: node.name, op: node.sourceOp, outputShape: shape, role: .fused(intoLayer: target),
                                    nodeIndex: index, inputIndex: nil))
                continue
            }
            let lowering = node.operation.lowering
            if let shift = lowering.foldedShift(node, graph: graph, settings: settings) {
                // A Relu that alone reads this layer's output runs in the same lanes (one sign decomposition
                // serves as the quotient's range check and the ReLU).
                let readers = consumers[node.output]
                var activation = RescaleGadget.Activation.identity
                if readers.count == 1, !outputs.contains(node.output), graph.nodes[readers[0]].operation == .relu,
                   graph.nodes[readers[0]].inputs.count == 1 {
                    activation = .relu
                    fusedInto[readers[0]] = layers.count
                }
                if case .arithmetic(.matMul) = node.operation {
                    // Its stream first (one group per segment), then the output's rescale lanes, which read C.
                    let geometry = try MatMulGeometry(graph.values[node.inputs[0]].shape, graph.values[node.inputs[1]].shape)
                    let check = MatMulCheck(layer: layers.count, m: geometry.m, k: geometry.k, n: geometry.n,
                                            aOffsets: geometry.aOffsets, bOffsets: geometry.bOffsets, firstGroup: groups.count)
                    for _ in 0..<check.batches {
                        for s in 0..<check.segmentsPerBatch {
                            groups.append(LaneGroup(kind: .matMulStream(MatMulStreamGadget()), count: check.length(check.segment(s)),
                                                    layer: layers.count, receives: true))
                        }
                    }
                    matMulChecks.append(check)
                }
                groups.append(LaneGroup(kind: .rescale(RescaleGadget(shift: shift, activation: activation, activationBits: bits)),
                                        count: count, layer: layers.count, receives: true))
                layers.append(Layer(name: node.name, op: node.sourceOp + (activation == .relu ? "+Relu" : ""),
                                    outputShape: shape, role: .lanes(group: groups.count - 1), nodeIndex: index, inputIndex: nil))
                continue
            }
            if let kind = try lowering.standaloneKind(node, graph: graph, settings: settings) {
                groups.append(LaneGroup(kind: kind, count: count, layer: layers.count, receives: true))
                layers.append(Layer(name: node.name, op: node.sourceOp, outputShape: shape, role: .lanes(group: groups.count - 1),
                                    nodeIndex: index, inputIndex: nil))
                continue
            }
            if lowering.isWiring(node, graph: graph) {
                layers.append(Layer(name: node.name, op: node.sourceOp, outputShape: shape, role: .wiring,
                                    nodeIndex: index, inputIndex: nil))
            } else {
                unsupported.append(.unsupportedOperation(layer: node.label, op: node.operation.name, hint: lowering.circuitHint))
                layers.append(Layer(name: node.name, op: node.sourceOp, outputShape: shape, role: .wiring,
                                    nodeIndex: index, inputIndex: nil))
            }
        }
        if let first = unsupported.first { throw first }
        if groups.isEmpty {
            throw CompilerError.unsupportedOperation(layer: "model", op: "data movement only",
                                                     hint: "the model computes nothing to prove")
        }
        self.layers = layers
        self.groups = groups.map { LaneGroup(kind: $0.kind.withLimbBits(limbBits), count: $0.count, layer: $0.layer, receives: $0.receives) }
        publicInputCount = options.publicInput ? graph.inputs.reduce(0) { $0 + graph.values[$1].elementCount } : 0
        publicOutputCount = graph.outputs.reduce(0) { $0 + graph.values[$1].elementCount }
        self.matMulChecks = matMulChecks
    }

    /// The check whose output lanes are layer `layer`'s, if any.
    public func matMulCheck(layer: Int) -> MatMulCheck? { matMulChecks.first { $0.layer == layer } }

    /// The distinct function tables of the plan's gadgets, in order of first use (each gets a tag 1, 2, …).
    public var functionTables: [LookupTable] {
        var tables: [LookupTable] = []
        for kind in kinds { if let t = kind.gadget.functionTable, !tables.contains(t) { tables.append(t) } }
        return tables
    }

    /// Total lanes of all groups.
    public var laneCount: Int { groups.reduce(0) { $0 + $1.count } }

    /// The distinct gadget kinds, in order of first use.
    public var kinds: [LaneKind] {
        var seen = Set<LaneKind>()
        return groups.map(\.kind).filter { seen.insert($0).inserted }
    }
}
