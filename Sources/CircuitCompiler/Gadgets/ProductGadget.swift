import ConstraintSystem
import FieldArithmetic

/// The product of two activations, rescaled (docs/fixed-point.md §5): out = R_s(a·b).
///
/// Trace integers: [a, b, q, r] with a·b + 2^(s−1) = q·2^s + r. Cells: a and b (free, each received from its
/// operand), r as s bits, q + 2^(B−1) as B bits. Constraint: 2^s·q + r = a·b + 2^(s−1): with both ranges
/// exact and |a·b| < 2^62 (a, b are range-checked activations), q is R_s(a·b). Produced: q.
public struct ProductGadget: LaneGadget {
    /// Width of the range-checked limbs (the range table has 2^limbBits rows); set by the plan.
    public var limbBits = 8
    public let shift: Int
    public let activationBits: Int

    public init(shift: Int, activationBits: Int) {
        self.shift = shift
        self.activationBits = activationBits
    }

    var remainder: LimbDecomposition? { shift > 0 ? LimbDecomposition(limbBits: limbBits, bits: shift) : nil }
    var quotient: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: activationBits) }

    public var name: String { "mul\(shift)" }
    public var limbCells: Int { (remainder?.cellCount ?? 0) + quotient.cellCount }
    public var freeCells: Int { 2 }
    public var receivedCount: Int { 2 }

    private func parts(_ cells: LaneCells) -> (r: Expression?, q: Expression, helpers: [Expression]) {
        var cursor = LimbCursor(cells.limbs)
        let r = remainder.map { cursor.take($0) }
        let q = cursor.take(quotient)
        return (r?.value, q.value - Fr(UInt64(1) << (activationBits - 1)), [r?.helper, q.helper].compactMap { $0 })
    }

    public func received(_ cells: LaneCells) -> [Expression] { [cells.free[0], cells.free[1]] }
    public func produced(_ cells: LaneCells) -> Expression { parts(cells).q }

    public func constraints(_ cells: LaneCells) -> [Expression] {
        let p = parts(cells)
        let product = cells.free[0] * cells.free[1]
        guard let r = p.r else { return p.helpers + [p.q - product] }
        return p.helpers + [p.q * Fr(UInt64(1) << shift) + r - product - Fr(UInt64(1) << (shift - 1))]
    }

    public var paddingInputs: [Int64] { [0, 0, 0, shift > 0 ? Int64(1) << (shift - 1) : 0] }

    public func producedValue(_ inputs: [Int64]) -> Int64 { inputs[2] }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let (a, b, q, r) = (inputs[0], inputs[1], inputs[2], inputs[3])
        var limbs: [Int64] = []
        if let rd = remainder {
            limbs += try rd.checkedCells(r, "remainder")
        } else if r != 0 {
            throw CompilerError.witnessMismatch("remainder \(r) without a rescale")
        }
        limbs += try quotient.checkedCells(q + (Int64(1) << (activationBits - 1)), "quotient (offset)")
        return (limbs, [a, b])
    }
}
