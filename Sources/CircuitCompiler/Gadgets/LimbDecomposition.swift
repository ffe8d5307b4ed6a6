import ConstraintSystem
import FieldArithmetic

/// A non-negative integer below 2^bits held as limbs of `limbBits` bits (8 or 7), each a lookup into the
/// range table of 2^limbBits rows.
///
/// Cells, in order: ⌊bits/L⌋ full limbs (least significant first, L = limbBits), then, when bits is not a
/// multiple of L, the top (partial) limb p and a helper h = 2^(L−b)·p with b = bits mod L. Both p and h are
/// looked up in [0, 2^L), so p < 2^b exactly: a 13-bit remainder is checked as 13 bits, never as 16, which
/// would let a prover move the rounding by up to 2^13 (docs/fixed-point.md §2).
public struct LimbDecomposition: Hashable, Sendable {
    public let bits: Int
    public let limbBits: Int

    public init(limbBits: Int = 8, bits: Int) {
        precondition(bits >= 1 && bits <= 62, "limb decomposition of \(bits) bits")
        precondition(limbBits >= 2 && limbBits <= 16, "limbs of \(limbBits) bits")
        self.bits = bits
        self.limbBits = limbBits
    }

    public var fullLimbs: Int { bits / limbBits }
    public var partialBits: Int { bits % limbBits }
    /// Cells the decomposition occupies (all of them are range-checked to `limbBits` bits).
    public var cellCount: Int { fullLimbs + (partialBits > 0 ? 2 : 0) }

    /// Σ 2^(L·l)·limb_l over the value limbs (not the helper).
    public func value(_ cells: ArraySlice<Expression>) -> Expression {
        let base = cells.startIndex
        var terms: [Expression] = []
        let valueLimbs = fullLimbs + (partialBits > 0 ? 1 : 0)
        for l in 0..<valueLimbs {
            let cell = cells[base + l]
            terms.append(l == 0 ? cell : cell * Fr(UInt64(1) << (limbBits * l)))
        }
        return Expression.sum(of: terms)
    }

    /// h − 2^(L−b)·p = 0, when there is a partial limb.
    public func helperConstraint(_ cells: ArraySlice<Expression>) -> Expression? {
        guard partialBits > 0 else { return nil }
        let base = cells.startIndex
        let partial = cells[base + fullLimbs], helper = cells[base + fullLimbs + 1]
        return helper - partial * Fr(UInt64(1) << (limbBits - partialBits))
    }

    /// The cell values for 0 ≤ value < 2^bits.
    public func cells(of value: UInt64) -> [Int64] {
        precondition(bits == 64 || value < UInt64(1) << bits)
        var result: [Int64] = []
        result.reserveCapacity(cellCount)
        let mask = (UInt64(1) << UInt64(limbBits)) - 1
        for l in 0..<fullLimbs { result.append(Int64((value >> UInt64(limbBits * l)) & mask)) }
        if partialBits > 0 {
            let partial = Int64(value >> UInt64(limbBits * fullLimbs))
            result.append(partial)
            result.append(partial << Int64(limbBits - partialBits))
        }
        return result
    }
}
