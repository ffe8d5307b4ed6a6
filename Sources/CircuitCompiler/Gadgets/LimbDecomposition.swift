import ConstraintSystem
import FieldArithmetic

/// A non-negative integer below 2^bits held as 8-bit limbs, each a lookup into the 256-row range table.
///
/// Cells, in order: ⌊bits/8⌋ full limbs (least significant first), then, when bits is not a multiple of
/// 8, the top (partial) limb p and a helper h = 2^(8−b)·p with b = bits mod 8. Both p and h are looked up
/// in [0, 256), so p < 2^b exactly: a 13-bit remainder is checked as 13 bits, never as 16, which would let
/// a prover move the rounding by up to 2^13 (docs/fixed-point.md §2).
public struct LimbDecomposition: Hashable, Sendable {
    public let bits: Int

    public init(bits: Int) {
        precondition(bits >= 1 && bits <= 62, "limb decomposition of \(bits) bits")
        self.bits = bits
    }

    public var fullLimbs: Int { bits / 8 }
    public var partialBits: Int { bits % 8 }
    /// Cells the decomposition occupies (all of them are range-checked to 8 bits).
    public var cellCount: Int { fullLimbs + (partialBits > 0 ? 2 : 0) }

    /// Σ 2^(8l)·limb_l over the value limbs (not the helper).
    public func value(_ cells: ArraySlice<Expression>) -> Expression {
        let base = cells.startIndex
        var terms: [Expression] = []
        let valueLimbs = fullLimbs + (partialBits > 0 ? 1 : 0)
        for l in 0..<valueLimbs {
            let cell = cells[base + l]
            terms.append(l == 0 ? cell : cell * Fr(UInt64(1) << (8 * l)))
        }
        return Expression.sum(of: terms)
    }

    /// h − 2^(8−b)·p = 0, when there is a partial limb.
    public func helperConstraint(_ cells: ArraySlice<Expression>) -> Expression? {
        guard partialBits > 0 else { return nil }
        let base = cells.startIndex
        let partial = cells[base + fullLimbs], helper = cells[base + fullLimbs + 1]
        return helper - partial * Fr(UInt64(1) << (8 - partialBits))
    }

    /// The cell values for 0 ≤ value < 2^bits.
    public func cells(of value: UInt64) -> [Int64] {
        precondition(bits == 64 || value < UInt64(1) << bits)
        var result: [Int64] = []
        result.reserveCapacity(cellCount)
        for l in 0..<fullLimbs { result.append(Int64((value >> UInt64(8 * l)) & 0xff)) }
        if partialBits > 0 {
            let partial = Int64(value >> UInt64(8 * fullLimbs))
            result.append(partial)
            result.append(partial << Int64(8 - partialBits))
        }
        return result
    }
}
