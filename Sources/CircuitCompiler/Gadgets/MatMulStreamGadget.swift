import ConstraintSystem
import FieldArithmetic

/// One element of a MatMul check's stream (docs/protocol.md §20): a single free cell x that the committed
/// relation ties to an element of A or B (a copy, weight 1) or of C (the product itself, which the output's
/// rescale lanes read). The lane has no constraint of its own: what binds the stream is the random-point check
/// of `MatMulCheckLayout`, run over whole rows of these lanes in a later phase.
///
/// Trace integers: [x]. Padding lanes (the tail of a segment's last row) receive the constant 0, so the relation
/// forces them to 0 and they add nothing to a row's sum.
public struct MatMulStreamGadget: LaneGadget {
    /// Unused (no limbs); kept so every kind answers `withLimbBits` alike.
    public var limbBits = 8

    public init() {}

    public var name: String { "mmx" }
    public var limbCells: Int { 0 }
    public var freeCells: Int { 1 }
    public var receivedCount: Int { 1 }
    public func received(_ cells: LaneCells) -> [Expression] { [cells.free[0]] }
    public func produced(_ cells: LaneCells) -> Expression { cells.free[0] }
    public func constraints(_ cells: LaneCells) -> [Expression] { [] }
    public var paddingInputs: [Int64] { [0] }
    public func producedValue(_ inputs: [Int64]) -> Int64 { inputs[0] }
    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) { ([], [inputs[0]]) }
}
