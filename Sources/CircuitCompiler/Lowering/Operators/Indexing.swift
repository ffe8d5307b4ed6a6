import ModelGraph
import Quantization

/// Embedding lookups: `EmbeddingGadget` lanes, one per output element, each receiving its key D·id + d from the fold
/// and looking (key, value) up in the table's stacked rows. Cast: wiring when it changes no value (float to float32/
/// double, integer to int32, int64 or uint64: circuit integers lie in the activation range, inside int32), folded with
/// weight 2^s from integer to float (a rescale lane of shift 0 range-checks v·2^s); to a narrower integer type an
/// `IntegerGadget` wrap lane (`IntegerArithmetic.swift`), to bool a `StepGadget` x ∨ 0 lane, from float to a type
/// that holds every result a truncate lane, to a narrower one a truncateInto lane (0 outside the type's range); a cast that rounds otherwise (float16, float8...) is refused. Integer arithmetic: `IntegerLowering`.
extension IndexingOp: CircuitLowering {
    func isWiring(_ node: Node, graph: ModelGraph) -> Bool {
        guard case .cast(let format, let fromInteger) = self else { return false }
        switch format {
        case .real: return !fromInteger
        case .integer(let bits, let signed): return fromInteger && (bits == 64 || (bits == 32 && signed))
        default: return false
        }
    }

    func foldedShift(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) -> Int? {
        guard case .cast(.real, true) = self else { return nil }
        return 0
    }

    func wiringElements(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]]) -> [ElementSource] {
        elements[node.inputs[0]]
    }

    /// Largest embedding table proved (2·V·D rows, stacked with the other function tables).
    static let maxTableRows = 1 << 22

    var circuitHint: String {
        switch self {
        case .embedding: return "an embedding table of more than 2^21 entries is too large for the circuit's lookup table"
        case .integer(let op, _):
            switch op {
            case .shiftLeft, .shiftRight: return "BitShift on an integer type narrower than 2 bits or of an unknown type runs in `zkinfer run` (and --float); proving it is not supported"
            case .add, .sub, .mul, .bitAnd, .bitOr, .bitXor, .max, .min: return "arithmetic on an integer type narrower than 2 bits or of an unknown type runs in `zkinfer run` (and --float); proving it is not supported"
            case .div, .mod, .fmod: return "integer Div and Mod of a constant by a constant, or on an integer type narrower than 2 bits, run in `zkinfer run` (and --float); proving them is not supported"
            }
        case .cast: return "a Cast that rounds (to float16, bfloat16, float8, float4, or from float to an integer type at scale 2^0) runs in `zkinfer run` (and --float); proving it is not supported yet"
        }
    }

    func standaloneKind(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) throws -> LaneKind? {
        switch self {
        case .integer, .cast(.integer, _):
            if isWiring(node, graph: graph) { return nil }
            return try IntegerLowering.lowering(node, graph: graph, settings: settings).map { .integer($0.gadget) }
        case .cast(.bool, _):
            // [x ≠ 0] as StepGadget's x ∨ 0 (its second port receives the constant 0).
            return .step(StepGadget(mode: .or, bits: settings.activationBits))
        default: break
        }
        guard case .embedding(let table) = self, 2 * table.count <= Self.maxTableRows else { return nil }
        let rows = table.shape[0], width = table.count / rows
        var entries: [Int64] = []
        entries.reserveCapacity(table.count)
        for v in table.values {
            guard let q = FixedPoint.quantize(v, scale: settings.activationScale) else {
                throw CompilerError.unsupportedOperation(layer: node.label, op: node.operation.name, hint: "table entry \(v) does not fit 62 bits")
            }
            entries.append(q)
        }
        return .embedding(EmbeddingGadget(table: LookupTable(embedding: entries, rows: rows, width: width)))
    }

    /// Output element j·D + d receives D·id_j + d.
    func emitEquations(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]], layer: String,
                       _ emit: Equations.Emit) throws {
        if case .cast(.bool, _) = self {
            let x = elements[node.inputs[0]]
            for i in 0..<x.count {
                try emit(2 * i, [(x[i], 1)], 0)
                try emit(2 * i + 1, [], 0)
            }
            return
        }
        guard case .embedding(let table) = self else {
            // Cast from integer to float: v·2^s.
            guard foldedShift(node, graph: graph, settings: .default) != nil else {
                throw CompilerError.unsupportedOperation(layer: layer, op: node.operation.name, hint: circuitHint)
            }
            let x = elements[node.inputs[0]]
            for i in 0..<x.count { try emit(i, [(x[i], q.weights[0])], 0) }
            return
        }
        let width = table.count / table.shape[0], ids = elements[node.inputs[0]]
        for (j, id) in ids.enumerated() {
            for d in 0..<width { try emit(j * width + d, [(id, Int64(width))], Int64(d)) }
        }
    }

    func foldEntries(_ node: Node, graph: ModelGraph, plan: CircuitPlan, group: Int) -> Int {
        if case .integer = self {
            return IntegerLowering.foldEntries(node, graph: graph, settings: plan.settings)
        }
        if case .cast(.bool, _) = self { return 3 * graph.values[node.output].elementCount }
        if case .cast(.integer, _) = self, !isWiring(node, graph: graph) {
            return IntegerLowering.foldEntries(node, graph: graph, settings: plan.settings)
        }
        guard case .embedding(let table) = self else { return 2 * graph.values[node.output].elementCount }
        let width = table.count / table.shape[0], outputs = graph.values[node.output].elementCount
        // Per lane: the id's weight, the constant d (when non-zero), the received −1.
        return outputs * 2 + (outputs / width) * (width - 1)
    }
}
