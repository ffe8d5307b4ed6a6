import ModelGraph
import Quantization

/// Comparisons, logic, rounding, sign, ArgMax and ArgMin (docs/fixed-point.md §5b): `StepGadget` and
/// `ArgExtremumGadget` lanes, each output exactly the kernel's integer. A comparison's port receives a − b (b − a
/// for Less and LessOrEqual) through the fold, a constant operand's Q_s(c) in the equation's constant; logic
/// ports receive their operands (a bool constant as 0/1). Floor, Ceil and Round of an integer tensor, or at scale
/// 2^0, are the identity (wiring).
extension ComparisonOp: CircuitLowering {
    /// Rows longer than this are refused (one port per element, as ReduceMax's groups).
    static let maxArgRow = 16

    var circuitHint: String {
        if case .argExtremum = self {
            return "\(name) over more than \(Self.maxArgRow) elements runs in `zkinfer run`; to prove it, reduce the row in steps (e.g. a MaxPool first) or take the extremum over at most \(Self.maxArgRow) elements"
        }
        return "\(name) runs in `zkinfer run` (and --float); proving it needs every operand in the activation range (a constant beyond 2^61 is refused)"
    }

    /// Whether a computed operand is an integer tensor (a constant operand then enters unscaled), as the
    /// integer stage decides.
    private static func integerOperands(_ node: Node, _ graph: ModelGraph) -> Bool {
        node.inputs.contains { graph.values[$0].constant == nil && graph.values[$0].isInteger }
    }

    private func identityRounding(_ node: Node, graph: ModelGraph, scale: Int) -> Bool {
        guard case .rounding(let r) = self, r != .sign else { return false }
        return graph.values[node.inputs[0]].isInteger || scale == 0
    }

    /// Asked only of nodes `standaloneKind` gives no lanes: of these, Floor, Ceil and Round are the identity
    /// (an integer tensor, or scale 2^0); ArgMax/ArgMin over a long row and Sign never are.
    func isWiring(_ node: Node, graph: ModelGraph) -> Bool {
        if case .rounding(let r) = self { return r != .sign }
        return false
    }

    func standaloneKind(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) throws -> LaneKind? {
        let bits = settings.activationBits, s = settings.activationScale
        switch self {
        case .compare(let relation):
            // d = a − b (b − a for Less, LessOrEqual) over the operands' ranges; a constant's range is its own.
            let scale = Self.integerOperands(node, graph) ? 0 : s
            func range(_ id: ValueID) throws -> (Int128, Int128) {
                guard let constant = graph.values[id].constant else {
                    return (-(Int128(1) << (bits - 1)), (Int128(1) << (bits - 1)) - 1)
                }
                var low = Int128.max, high = Int128.min
                for v in constant.values {
                    guard let q = FixedPoint.quantize(v, scale: scale) else {
                        throw CompilerError.unsupportedOperation(layer: node.label, op: name, hint: "constant \(v) does not fit 62 bits at scale 2^\(scale)")
                    }
                    low = Swift.min(low, Int128(q))
                    high = Swift.max(high, Int128(q))
                }
                return constant.values.isEmpty ? (0, 0) : (low, high)
            }
            let swapped = relation == .less || relation == .lessOrEqual
            let (a, b) = try (range(node.inputs[swapped ? 1 : 0]), range(node.inputs[swapped ? 0 : 1]))
            if relation == .equal { return .step(StepGadget(mode: .isZero, bits: bits)) }
            let offset: Int64 = relation == .greater || relation == .less ? 1 : 0
            let magnitude = SignSplit.bits(low: a.0 - b.1 - Int128(offset), high: a.1 - b.0 - Int128(offset))
            guard magnitude <= 62 else {
                throw CompilerError.unsupportedOperation(layer: node.label, op: name, hint: "a comparison whose difference needs \(magnitude) bits")
            }
            return .step(StepGadget(mode: .atLeast(offset: offset), bits: magnitude))
        case .logical(let logic):
            return .step(StepGadget(mode: logic == .and ? .and : logic == .or ? .or : .xor, bits: bits))
        case .not:
            return .step(StepGadget(mode: .isZero, bits: bits))
        case .rounding(let rounding):
            let integer = graph.values[node.inputs[0]].isInteger
            switch rounding {
            case .sign: return .step(StepGadget(mode: .sign, bits: bits, scale: integer ? 0 : s))
            case _ where identityRounding(node, graph: graph, scale: s): return nil
            case .floor: return .step(StepGadget(mode: .floor, bits: bits, scale: s))
            case .ceil: return .step(StepGadget(mode: .ceil, bits: bits, scale: s))
            case .round: return .step(StepGadget(mode: .round, bits: bits, scale: s))
            }
        case .argExtremum(let axis, _, let lastIndex, let maximum):
            let size = graph.values[node.inputs[0]].shape[axis]
            guard size <= Self.maxArgRow else { return nil }
            return .argExtremum(ArgExtremumGadget(size: size, activationBits: bits, maximum: maximum, lastIndex: lastIndex))
        }
    }

    func wiringElements(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]]) -> [ElementSource] {
        elements[node.inputs[0]]
    }

    /// ArgMax/ArgMin: port j of output (o, i) receives x[o, j, i].
    func ports(_ node: Node, graph: ModelGraph) -> (_ index: Int, _ port: Int) -> (ValueID, Int) {
        let input = node.inputs[0]
        guard case .argExtremum(let axis, _, _, _) = self else { return { index, _ in (input, index) } }
        let (_, size, inner) = Self.axisGeometry(graph.values[input].shape, axis: axis)
        return { index, port in (input, (index / inner) * size * inner + port * inner + index % inner) }
    }

    /// One operand of a two-operand node at output element i: an element, or a fixed integer (a comparison's
    /// constant Q_s(c), a logic constant's 0/1).
    enum Operand {
        case element(ValueID, Int)
        case fixed(Int64)
    }

    /// Operand `position` of output element i (numpy broadcasting), with a comparison's constants from
    /// `constants` (`QuantizedNode.constantOperands`, broadcast to the output) or quantized as the integer stage
    /// does.
    func operand(_ node: Node, graph: ModelGraph, position: Int, constants: [[Int64]?], scale: Int) -> (Int) -> Operand {
        let id = node.inputs[position], outShape = graph.values[node.output].shape
        if position < constants.count, let constant = constants[position] { return { .fixed(constant[$0]) } }
        let map = Shape.broadcastIndices(from: graph.values[id].shape, to: outShape)
        if let constant = graph.values[id].constant {
            if case .compare = self {
                let integer = Self.integerOperands(node, graph)
                return { .fixed(FixedPoint.quantize(constant.values[map[$0]], scale: integer ? 0 : scale) ?? 0) }
            }
            return { constant.values[map[$0]] != 0 ? .fixed(1) : .fixed(0) }
        }
        return { .element(id, map[$0]) }
    }

    /// Each lane's equations, port by port: `emit(lane·P + port, terms, constant)` with P the gadget's ports.
    func emitEquations(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]], layer: String,
                       _ emit: Equations.Emit) throws {
        let count = graph.values[node.output].elementCount
        func term(_ o: Operand, _ sign: Int64) -> (ElementSource, Int64) {
            switch o {
            case .element(let id, let position): return (elements[id][position], sign)
            case .fixed(let v): return (.constant(v), sign)
            }
        }
        switch self {
        case .compare(let relation):
            let swapped = relation == .less || relation == .lessOrEqual
            let a = operand(node, graph: graph, position: swapped ? 1 : 0, constants: q.constantOperands, scale: 0)
            let b = operand(node, graph: graph, position: swapped ? 0 : 1, constants: q.constantOperands, scale: 0)
            for i in 0..<count { try emit(i, [term(a(i), 1), term(b(i), -1)], 0) }
        case .logical:
            let a = operand(node, graph: graph, position: 0, constants: [], scale: 0)
            let b = operand(node, graph: graph, position: 1, constants: [], scale: 0)
            for i in 0..<count {
                try emit(2 * i, [term(a(i), 1)], 0)
                try emit(2 * i + 1, [term(b(i), 1)], 0)
            }
        case .not, .rounding:
            let x = elements[node.inputs[0]]
            for i in 0..<count { try emit(i, [(x[i], 1)], 0) }
        case .argExtremum:
            throw CompilerError.unsupportedOperation(layer: layer, op: name, hint: circuitHint)
        }
    }

    /// The trace integers of each StepGadget lane: its received values (d = a − b, or the operands).
    func stepInputs(_ node: Node, graph: ModelGraph, values: [[Int64]], scale: Int) -> (Int) -> [Int64] {
        func value(_ o: Operand) -> Int64 {
            switch o {
            case .element(let id, let position): return values[id][position]
            case .fixed(let v): return v
            }
        }
        switch self {
        case .compare(let relation):
            let swapped = relation == .less || relation == .lessOrEqual
            let a = operand(node, graph: graph, position: swapped ? 1 : 0, constants: [], scale: scale)
            let b = operand(node, graph: graph, position: swapped ? 0 : 1, constants: [], scale: scale)
            return { i in [value(a(i)) &- value(b(i))] }
        case .logical:
            let a = operand(node, graph: graph, position: 0, constants: [], scale: scale)
            let b = operand(node, graph: graph, position: 1, constants: [], scale: scale)
            return { i in [value(a(i)), value(b(i))] }
        default:
            let x = values[node.inputs[0]]
            return { i in [x[i]] }
        }
    }
}
