import ConstraintSystem
import FieldArithmetic
import Quantization

/// Softmax over the last axis (docs/fixed-point.md §7), one lane per element x_j of a row of n. The row's
/// m and S are cells of every lane of the row; the row's first lane holds the row's own values, and the
/// fold ties the others to them, so no lane kind or row layout of its own is needed:
///
///     port 0 receives x_j = m − D_j            D_j ∈ [0, 2^B) by limbs                    (m ≥ x_j)
///     b_j ∈ {0, 1},  b_j·D_j = 0,  Σ_j b_j = 1 (a row equation of the fold)             (m is some x_j)
///     −D_j through the exp table (`TableGadget` on B + 1 bits): e_j = E(−D_j)
///     port 1 receives m (j > 0: = m of the row's first lane)
///     port 2 receives S (j = 0: = Σ_j e_j; j > 0: = S of the row's first lane)
///     2·e_j·2^s + S − π = 2·out_j·S + 2·ρ_j    π ∈ {0, 1}, out_j ∈ [0, 2^(s+1)), ρ_j and S − 1 − ρ_j ∈ [0, 2^R)
///
/// The last line is e_j·2^s + ⌊S/2⌋ = out_j·S + ρ_j with 0 ≤ ρ_j < S, multiplied by 2 so that ⌊S/2⌋ needs no
/// cell: a wrong parity π makes the two sides differ in parity. Every term is an integer far below the field
/// size (e_j ≤ 2^s, S ≤ n·2^s, R covers n·2^s), so the field equation is the integer one and out_j is the
/// rounded quotient exactly. Produced: out_j; also (for the row equations) e_j, b_j, m, S.
///
/// Trace integers: [x, m, S, e, out, ρ, chosen, d, z, f, u, q, r] with chosen = 1 on the row's first maximum
/// and (d, z, f, u, q, r) the table evaluation of d = x − m (`TableGadget`'s).
public struct SoftmaxGadget: LaneGadget {
    /// Width of the range-checked limbs (the range table has 2^limbBits rows); set by the plan.
    public var limbBits = 8 {
        didSet { exp.limbBits = limbBits }  // the nested table evaluation's limbs too
    }
    public let rowLength: Int
    public let activationScale: Int
    public let activationBits: Int
    private(set) var exp: TableGadget
    let remainderBits: Int

    public init(table: LookupTable, rowLength: Int, activationScale: Int, activationBits: Int) {
        precondition(table.function == .exp && rowLength >= 1)
        self.rowLength = rowLength
        self.activationScale = activationScale
        self.activationBits = activationBits
        // d = x − m ∈ (−2^B, 0]: one bit more than an activation; d ≤ 0 (D's limbs) and u_hi = 0 ≥ z, so the
        // table's upper clamp is the identity and is not proved again.
        exp = TableGadget(table: table, activationBits: activationBits + 1, inputBelowTop: table.maxIndex >= 0)
        remainderBits = SignSplit.bits(low: 0, high: Int128(rowLength) << activationScale - 1)
    }

    public var table: LookupTable { exp.table }
    var difference: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: activationBits) }
    var output: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: activationScale + 1) }
    var remainder: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: remainderBits) }

    public var name: String { "softmax\(rowLength)_\(exp.name)" }
    public var limbCells: Int { difference.cellCount + exp.limbCells + output.cellCount + 2 * remainder.cellCount }
    /// m, S, b, π, then the table's.
    public var freeCells: Int { 4 + exp.freeCells }
    public var receivedCount: Int { 3 }
    public var extraProducedCount: Int { 4 }
    public var functionTable: LookupTable? { exp.table }

    /// Indices of the extra produced values (value 1 + index in `ElementSource.lane`).
    public enum Produced: Int { case exponent = 1, bit, maximum, sum }

    private struct Parts {
        var m, sum, bit, parity, d, e, out: Expression
        var tableCells: LaneCells
        var helpers: [Expression]
        var division: Expression
    }

    private func parts(_ cells: LaneCells) -> Parts {
        let tableLimbsStart = difference.cellCount
        let tableCells = LaneCells(limbs: Array(cells.limbs[tableLimbsStart..<(tableLimbsStart + exp.limbCells)]),
                                   free: Array(cells.free[4...]))
        var cursor = LimbCursor(Array(cells.limbs[0..<tableLimbsStart]) + cells.limbs[(tableLimbsStart + exp.limbCells)...])
        let d = cursor.take(difference), out = cursor.take(output), rho = cursor.take(remainder), slack = cursor.take(remainder)
        let (m, sum, bit, parity) = (cells.free[0], cells.free[1], cells.free[2], cells.free[3])
        let e = exp.produced(tableCells)
        let s = Fr(UInt64(1) << activationScale)
        let division = e * (s + s) + sum - parity - (out.value * sum + rho.value) * Fr(2)
        return Parts(m: m, sum: sum, bit: bit, parity: parity, d: d.value, e: e, out: out.value, tableCells: tableCells,
                     helpers: [d.helper, out.helper, rho.helper, slack.helper].compactMap { $0 } + [sum - Fr.one - rho.value - slack.value],
                     division: division)
    }

    public func received(_ cells: LaneCells) -> [Expression] {
        let p = parts(cells)
        return [p.m - p.d, p.m, p.sum]
    }

    public func produced(_ cells: LaneCells) -> Expression { parts(cells).out }

    public func extraProduced(_ cells: LaneCells) -> [Expression] {
        let p = parts(cells)
        return [p.e, p.bit, p.m, p.sum]
    }

    public func constraints(_ cells: LaneCells) -> [Expression] {
        let p = parts(cells)
        // The table's input x is −D (its own decomposition proves the split and lower clamp of it; −D ≤ 0 ≤ u_hi).
        return p.helpers + exp.constraints(p.tableCells) + [
            exp.received(p.tableCells)[0] + p.d,
            p.bit * (p.bit - Fr.one), p.bit * p.d,
            p.parity * (p.parity - Fr.one),
            p.division,
        ]
    }

    public func tableInputs(_ cells: LaneCells) -> [Expression] { exp.tableInputs(parts(cells).tableCells) }

    /// A lone element x = 0 (its own row): d = 0, e = E[0], S = e.
    public var paddingInputs: [Int64] {
        let step = table.step(0)
        let e = step.output, sum = step.output
        let numerator = e << Int64(activationScale) + sum / 2
        return [0, 0, sum, e, numerator / sum, numerator % sum, 1, 0, step.index, step.fraction, step.clampedIndex,
                step.quotient, step.remainder]
    }

    public func producedValue(_ inputs: [Int64]) -> Int64 { inputs[4] }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let (x, m, sum, e, out, rho, chosen) = (inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5], inputs[6])
        let tableInputs = Array(inputs[7...])
        guard tableInputs[0] == x - m, chosen == 0 || x == m,
              table.lookup(tableInputs[3]) + tableInputs[4] == e, sum >= 1,
              e << Int64(activationScale) + sum / 2 == out * sum + rho else {
            throw CompilerError.witnessMismatch("softmax element \(x): max \(m), exponent \(e), sum \(sum), output \(out) do not agree")
        }
        let (tableLimbs, tableFree) = try exp.witness(tableInputs)
        var limbs = try difference.checkedCells(m - x, "max − element")
        limbs += tableLimbs
        limbs += try output.checkedCells(out, "softmax output")
        limbs += try remainder.checkedCells(rho, "division remainder")
        limbs += try remainder.checkedCells(sum - 1 - rho, "sum − 1 − division remainder")
        return (limbs, [m, sum, chosen, sum & 1] + tableFree)
    }
}
