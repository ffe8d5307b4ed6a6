import ConstraintSystem
import FieldArithmetic

/// The sign/magnitude split every comparison gadget uses (the same one `RescaleGadget`'s ReLU uses):
///
///     a = (2s − 1)·v + s − 1      s ∈ {0, 1}, v ∈ [0, 2^bits) by limbs
///
/// so a = v when s = 1 and a = −1 − v when s = 0: every a ∈ [−2^bits, 2^bits) has exactly one split, and
/// s = [a ≥ 0]. With the bits chosen to cover a's whole range, one decomposition is a comparison with 0
/// and max(a, 0) = s·v.
enum SignSplit {
    static func value(sign s: Expression, magnitude v: Expression) -> Expression {
        (s * Fr(2) - Fr.one) * v + s - Fr.one
    }

    static func split(_ a: Int64) -> (sign: Int64, magnitude: UInt64) {
        a >= 0 ? (1, UInt64(a)) : (0, UInt64(-1 - a))
    }

    /// The magnitude bits that cover every a ∈ [low, high] (at least 1).
    static func bits(low: Int128, high: Int128) -> Int {
        let largest = max(high >= 0 ? high : 0, low < 0 ? -1 - low : 0)
        var bits = 1
        while (Int128(1) << bits) <= largest { bits += 1 }
        return bits
    }
}

/// Range and limb helpers shared by the gadgets.
extension LimbDecomposition {
    /// Cells for a value that must lie in [0, 2^bits); a `witnessMismatch` otherwise.
    func checkedCells(_ value: Int64, _ what: String) throws -> [Int64] {
        guard value >= 0, bits >= 63 || value < Int64(1) << bits else {
            throw CompilerError.witnessMismatch("\(what) \(value) outside [0, 2^\(bits))")
        }
        return cells(of: UInt64(value))
    }
}

/// Splits a lane's limb cells into consecutive decompositions, in declaration order.
struct LimbCursor {
    private let cells: [Expression]
    private var next = 0

    init(_ cells: [Expression]) { self.cells = cells }

    /// The value expression of the next decomposition, and its helper constraint (if any).
    mutating func take(_ d: LimbDecomposition) -> (value: Expression, helper: Expression?) {
        let slice = cells[next..<(next + d.cellCount)]
        next += d.cellCount
        return (d.value(slice), d.helperConstraint(slice))
    }
}
