import ModelGraph
import Quantization

/// The integers one layer's circuit constrains (docs/fixed-point.md §8). Arrays are row-major over the
/// output tensor unless stated; empty when the operation has no such quantity.
public struct LayerTrace: Sendable {
    public let nodeIndex: Int
    public let name: String
    public let op: String
    /// Value ids of the inputs and output; their integers are in `IntegerTrace.values`.
    public let inputs: [ValueID]
    public let output: ValueID
    /// Un-rescaled accumulator y (linear family: W·x + b at scale s+w; Mul: product; LeakyRelu: x·α_q).
    public var accumulator: [Int64] = []
    /// k of the rescale y + 2^(k−1) = q·2^k + r (0: no rescale).
    public var shift = 0
    /// q of the rescale (for linear layers equal to the output; for tables the index before clamping).
    public var quotient: [Int64] = []
    /// r of the rescale, in [0, 2^k).
    public var remainder: [Int64] = []
    /// Sigmoid/Tanh/Softmax: the clamped table index u.
    public var tableIndex: [Int64] = []
    /// Softmax, per row: the maximum m.
    public var rowMax: [Int64] = []
    /// Softmax: e_j = E[u_j].
    public var exponent: [Int64] = []
    /// Softmax, per row: S = Σ e_j.
    public var rowSum: [Int64] = []
    /// Softmax: ρ_j with e_j·2^s + ⌊S/2⌋ = y_j·S + ρ_j, 0 ≤ ρ_j < S.
    public var divisionRemainder: [Int64] = []
}

/// The full integer computation of one inference: the witness the circuit compiler lays out.
public struct IntegerTrace: Sendable {
    public let settings: QuantizationSettings
    /// Integers of every activation value by `ValueID` (inputs and node outputs); constants are empty
    /// (their integers are in `QuantizedModel.nodes`).
    public var values: [[Int64]]
    /// One entry per node, in graph order; present only when tracing was requested.
    public var layers: [LayerTrace]
}

/// The result of a run on either path.
public struct InferenceResult: Sendable {
    /// Output names as in the source model.
    public let names: [String]
    public let shapes: [[Int]]
    /// Real values: dequantized integers on the fixed-point path, Doubles on the float path.
    public let outputs: [[Double]]
    /// Raw fixed-point integers at scale 2^s (fixed-point path only).
    public let fixed: [[Int64]]?
    /// Quantized inputs (fixed-point path): what a proof attests.
    public let quantizedInputs: [[Int64]]?
    public let trace: IntegerTrace?
}
