import ModelGraph
import Quantization

/// Relu (fused into the rescale of a folded producer, or a rescale lane of its own), LeakyRelu, Clip, Sigmoid and
/// Tanh: lanes of their own gadgets, each receiving its input element. A Clip without bounds is wiring; Neg is
/// folded (weight −1); Expm1 and Log1pExp are `TableGadget` lanes like Sigmoid. (Abs, Max, Min, HardSigmoid,
/// HardSwish, PRelu, Elu and Softplus are compositions of these, made at import.) Erf and Gelu's gates are
/// `TableGadget` lanes too. Sqrt and Reciprocal are `ReciprocalGadget`/`SquareRootGadget` lanes, Exp and Log
/// `ExpGadget`/`LogGadget` lanes (mantissa table and exponent bits), Sin and Cos `SineGadget` lanes (the turn's
/// residue and the sin(2πv) table).
extension ActivationOp: CircuitLowering {
    func foldedShift(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) -> Int? { self == .neg ? 0 : nil }

    var circuitHint: String {
        switch self {
        default: return "it runs in `zkinfer run` (and --float); proving it is not supported yet"
        }
    }

    func standaloneKind(_ node: Node, graph: ModelGraph, settings: QuantizationSettings) throws -> LaneKind? {
        let bits = settings.activationBits, s = settings.activationScale, w = settings.parameterScale
        func quantized(_ v: Double, _ scale: Int, _ what: String) throws -> Int64 {
            guard let q = FixedPoint.quantize(v, scale: scale) else {
                throw CompilerError.unsupportedOperation(layer: node.label, op: node.operation.name, hint: "\(what) \(v) does not fit 62 bits")
            }
            return q
        }
        switch self {
        case .relu:
            return .rescale(RescaleGadget(shift: 0, activation: .relu, activationBits: bits))
        case .leakyRelu(let alpha):
            return .leakyRelu(LeakyReluGadget(alpha: try quantized(alpha, w, "alpha"), shift: w, activationBits: bits))
        case .clip(let lower, let upper):
            guard lower != nil || upper != nil else { return nil }  // no bounds: the identity (wiring)
            let lo = try lower.map { try quantized($0, s, "min") }, hi = try upper.map { try quantized($0, s, "max") }
            guard let gadget = ClipGadget(lower: lo, upper: hi, activationBits: bits) else {
                throw CompilerError.unsupportedOperation(layer: node.label, op: "Clip", hint: "a bound beyond ±2^61 at scale 2^\(s)")
            }
            return .clip(gadget)
        case .sigmoid:
            return .table(TableGadget(table: LookupTable(.sigmoid, settings: settings), activationBits: bits))
        case .tanh:
            return .table(TableGadget(table: LookupTable(.tanh, settings: settings), activationBits: bits))
        case .expm1:
            return .table(TableGadget(table: LookupTable(.expm1, settings: settings), activationBits: bits))
        case .log1pExp:
            return .table(TableGadget(table: LookupTable(.softplusTail, settings: settings), activationBits: bits))
        case .erf:
            return .table(TableGadget(table: LookupTable(.erf, settings: settings), activationBits: bits))
        case .normalCDF:
            return .table(TableGadget(table: LookupTable(.normalCDF, settings: settings), activationBits: bits))
        case .geluTanhGate:
            return .table(TableGadget(table: LookupTable(.geluTanhGate, settings: settings), activationBits: bits))
        case .reciprocal:
            return .reciprocal(ReciprocalGadget(activationScale: s, activationBits: bits))
        case .sqrt:
            return .squareRoot(SquareRootGadget(activationScale: s, activationBits: bits))
        case .exp:
            return .exponential(ExpGadget(settings: settings))
        case .log:
            return .logarithm(LogGadget(settings: settings))
        case .sin:
            return .sine(SineGadget(settings: settings, cosine: false))
        case .cos:
            return .sine(SineGadget(settings: settings, cosine: true))
        case .neg:
            return nil
        }
    }

    func isWiring(_ node: Node, graph: ModelGraph) -> Bool { self == .clip(lower: nil, upper: nil) }

    /// A standalone Relu lane receives its input unchanged.
    func emitEquations(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]], layer: String,
                       _ emit: Equations.Emit) throws {
        guard self == .relu || self == .neg else {
            throw CompilerError.unsupportedOperation(layer: layer, op: node.operation.name, hint: circuitHint)
        }
        let x = elements[node.inputs[0]], weight: Int64 = self == .neg ? -1 : 1
        for i in 0..<x.count { try emit(i, [(x[i], weight)], 0) }
    }

    func wiringElements(_ node: Node, _ q: QuantizedNode, graph: ModelGraph, elements: [[ElementSource]]) -> [ElementSource] {
        isWiring(node, graph: graph) ? elements[node.inputs[0]] : []
    }
}
