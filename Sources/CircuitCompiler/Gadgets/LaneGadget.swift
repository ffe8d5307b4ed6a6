import ConstraintSystem
import FieldArithmetic
import Quantization

/// The cells of one lane on its row, as expressions at the current row.
public struct LaneCells: Sendable {
    /// Range-checked (8-bit) cells.
    public let limbs: [Expression]
    /// Cells that are not looked up (bits, values).
    public let free: [Expression]

    public init(limbs: [Expression], free: [Expression]) {
        self.limbs = limbs
        self.free = free
    }
}

/// One element's gadget: a fixed set of cells on one row ("lane") with its own constraints, and two kinds
/// of link to the rest of the circuit, both through the single folded linear system of the model
/// (docs/protocol.md §11; README of this target):
/// - `received`: expressions the lane asserts are equal to some linear combination of other elements plus a
///   constant (for a rescale lane: 2^k·q + r = W·x + b + 2^(k−1));
/// - `produced`: the element's value, which other equations may read with a weight; a kind may produce
///   further values (`extraProduced`, value 1, 2, … of `ElementSource.lane`) for equations that tie lanes
///   together (Softmax's Σb = 1 and S = Σe over a row).
/// No copy constraints are needed anywhere: every link is an equation of the fold.
public protocol LaneGadget: Hashable, Sendable {
    /// Short name used for gate and selector names, e.g. "rescale16-relu".
    var name: String { get }
    var limbCells: Int { get }
    var freeCells: Int { get }
    /// How many equations each lane receives (the fold gate gives each its own challenge column).
    var receivedCount: Int { get }
    func received(_ cells: LaneCells) -> [Expression]
    func produced(_ cells: LaneCells) -> Expression
    var extraProducedCount: Int { get }
    func extraProduced(_ cells: LaneCells) -> [Expression]
    /// The lane's own constraints (each is multiplied by the kind's selector).
    func constraints(_ cells: LaneCells) -> [Expression]
    /// Cell values from the lane's trace integers (their meaning is the gadget's: see each gadget).
    /// Throws `CompilerError.witnessMismatch` when a value is outside what the gadget can hold, which for a
    /// trace produced by `DirectInference` never happens: its bounds are the spec's.
    func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64])
    /// The same cells with free cells as field elements (a gadget with inverse cells overrides it; the witness
    /// builder calls this one).
    func fieldWitness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Fr])
    /// Trace integers of a lane that carries no element (padding of a partly filled row).
    var paddingInputs: [Int64] { get }
    /// The produced value for the given trace integers (to check the witness against the trace).
    func producedValue(_ inputs: [Int64]) -> Int64
    /// A function table whose rows (index, value, delta) `tableInputs` must be one of (nil: no such lookup).
    var functionTable: LookupTable? { get }
    func tableInputs(_ cells: LaneCells) -> [Expression]
}

extension LaneGadget {
    public var extraProducedCount: Int { 0 }
    public func extraProduced(_ cells: LaneCells) -> [Expression] { [] }
    /// Every produced value: the element's, then the extra ones.
    public func allProduced(_ cells: LaneCells) -> [Expression] { [produced(cells)] + extraProduced(cells) }
    public var functionTable: LookupTable? { nil }
    public func fieldWitness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Fr]) {
        let (limbs, free) = try witness(inputs)
        return (limbs, free.map { Fr(signed: $0) })
    }
    public func tableInputs(_ cells: LaneCells) -> [Expression] { [] }
}

/// The gadgets the compiler can place in lanes. An enum (not an existential) so that kinds are hashable,
/// ordered and exhaustively switched over.
public enum LaneKind: Hashable, Sendable {
    case rescale(RescaleGadget)
    case leakyRelu(LeakyReluGadget)
    case clip(ClipGadget)
    case maxPool(MaxPoolGadget)
    case product(ProductGadget)
    case table(TableGadget)
    case softmax(SoftmaxGadget)
    case embedding(EmbeddingGadget)
    case reciprocal(ReciprocalGadget)
    case squareRoot(SquareRootGadget)
    case matMulStream(MatMulStreamGadget)
    case exponential(ExpGadget)
    case logarithm(LogGadget)
    case sine(SineGadget)
    case step(StepGadget)
    case argExtremum(ArgExtremumGadget)
    case integer(IntegerGadget)

    public var gadget: any LaneGadget {
        switch self {
        case .rescale(let g): return g
        case .leakyRelu(let g): return g
        case .clip(let g): return g
        case .maxPool(let g): return g
        case .product(let g): return g
        case .table(let g): return g
        case .softmax(let g): return g
        case .embedding(let g): return g
        case .reciprocal(let g): return g
        case .squareRoot(let g): return g
        case .matMulStream(let g): return g
        case .exponential(let g): return g
        case .logarithm(let g): return g
        case .sine(let g): return g
        case .step(let g): return g
        case .argExtremum(let g): return g
        case .integer(let g): return g
        }
    }

    public var name: String { gadget.name }

    /// The same kind with range-checked limbs of `bits` bits.
    public func withLimbBits(_ bits: Int) -> LaneKind {
        switch self {
        case .rescale(var g): g.limbBits = bits; return .rescale(g)
        case .leakyRelu(var g): g.limbBits = bits; return .leakyRelu(g)
        case .clip(var g): g.limbBits = bits; return .clip(g)
        case .maxPool(var g): g.limbBits = bits; return .maxPool(g)
        case .product(var g): g.limbBits = bits; return .product(g)
        case .table(var g): g.limbBits = bits; return .table(g)
        case .softmax(var g): g.limbBits = bits; return .softmax(g)
        case .embedding(var g): g.limbBits = bits; return .embedding(g)
        case .reciprocal(var g): g.limbBits = bits; return .reciprocal(g)
        case .squareRoot(var g): g.limbBits = bits; return .squareRoot(g)
        case .matMulStream(var g): g.limbBits = bits; return .matMulStream(g)
        case .exponential(var g): g.limbBits = bits; return .exponential(g)
        case .logarithm(var g): g.limbBits = bits; return .logarithm(g)
        case .sine(var g): g.limbBits = bits; return .sine(g)
        case .step(var g): g.limbBits = bits; return .step(g)
        case .argExtremum(var g): g.limbBits = bits; return .argExtremum(g)
        case .integer(var g): g.limbBits = bits; return .integer(g)
        }
    }
}
