import ConstraintSystem
import FieldArithmetic

/// LeakyRelu of one element (docs/fixed-point.md §5): out = x if x ≥ 0, else R_w(x·α_q).
///
/// Trace integers: [x, q, r] with x·α_q + 2^(w−1) = q·2^w + r (the trace holds the rescale for every element).
/// Cells: the sign split of x (s, and v as B−1 bits: q of `RescaleGadget`'s ReLU, so x is range-checked by the
/// same decomposition), r as w bits, q as a free cell, and the output o + 2^(B−1) as B bits.
/// Constraints: 2^w·q + r = α_q·x + 2^(w−1); s·(o − v) = 0 (x ≥ 0: o = x); (1 − s)·(o − q) = 0 (x < 0: o = q).
/// Received: x. Produced: o.
///
/// Why o carries the range check, not q: for x ≥ 0 the trace's q may leave the activation range (α > 1) and is
/// not an output, while for x < 0, o = q must be the unique integer quotient — r ∈ [0, 2^w) and o's B bits pin
/// it (α_q·x is far below the field size).
public struct LeakyReluGadget: LaneGadget {
    /// Width of the range-checked limbs (the range table has 2^limbBits rows); set by the plan.
    public var limbBits = 8
    public let alpha: Int64
    public let shift: Int
    public let activationBits: Int

    public init(alpha: Int64, shift: Int, activationBits: Int) {
        self.alpha = alpha
        self.shift = shift
        self.activationBits = activationBits
    }

    var magnitude: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: activationBits - 1) }
    var remainder: LimbDecomposition? { shift > 0 ? LimbDecomposition(limbBits: limbBits, bits: shift) : nil }
    var output: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: activationBits) }
    var half: Fr { Fr(UInt64(1) << (activationBits - 1)) }

    public var name: String { "leakyrelu\(alpha)_\(shift)" }
    public var limbCells: Int { magnitude.cellCount + (remainder?.cellCount ?? 0) + output.cellCount }
    public var freeCells: Int { 2 }
    public var receivedCount: Int { 1 }

    private func parts(_ cells: LaneCells) -> (x: Expression, s: Expression, v: Expression, r: Expression?, q: Expression,
                                               o: Expression, helpers: [Expression]) {
        var cursor = LimbCursor(cells.limbs)
        let v = cursor.take(magnitude)
        let r = remainder.map { cursor.take($0) }
        let o = cursor.take(output)
        let s = cells.free[0]
        return (SignSplit.value(sign: s, magnitude: v.value), s, v.value, r?.value, cells.free[1], o.value - half,
                [v.helper, r?.helper, o.helper].compactMap { $0 })
    }

    public func received(_ cells: LaneCells) -> [Expression] { [parts(cells).x] }
    public func produced(_ cells: LaneCells) -> Expression { parts(cells).o }

    public func constraints(_ cells: LaneCells) -> [Expression] {
        let p = parts(cells)
        var rescale = p.q - p.x * Fr(signed: alpha)
        if let r = p.r { rescale = p.q * Fr(UInt64(1) << shift) + r - p.x * Fr(signed: alpha) - Fr(UInt64(1) << (shift - 1)) }
        return p.helpers + [p.s * (p.s - Fr.one), rescale, p.s * (p.o - p.v), (Expression(Fr.one) - p.s) * (p.o - p.q)]
    }

    public var paddingInputs: [Int64] { [0, 0, shift > 0 ? Int64(1) << (shift - 1) : 0] }

    public func producedValue(_ inputs: [Int64]) -> Int64 { inputs[0] >= 0 ? inputs[0] : inputs[1] }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let x = inputs[0], q = inputs[1], r = inputs[2]
        let bound = Int64(1) << (activationBits - 1)
        guard x >= -bound, x < bound else { throw CompilerError.witnessMismatch("LeakyRelu input \(x) out of range") }
        let (s, v) = SignSplit.split(x)
        var limbs = magnitude.cells(of: v)
        if let rd = remainder {
            limbs += try rd.checkedCells(r, "remainder")
        } else if r != 0 {
            throw CompilerError.witnessMismatch("remainder \(r) without a rescale")
        }
        limbs += try output.checkedCells(producedValue(inputs) + bound, "LeakyRelu output (offset)")
        return (limbs, [s, q])
    }
}
