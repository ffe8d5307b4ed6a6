import ConstraintSystem
import FieldArithmetic

/// ArgMax / ArgMin of one row of K elements (docs/fixed-point.md §5b), one lane per output: `MaxPoolGadget`'s
/// proof of the extremum m plus the index it is at, with ONNX's tie rule made exact.
///
///     b_j ∈ {0, 1},   Σ_j b_j = 1,   b_j·d_j = 0                  (m = x_c for the one c with b_c = 1)
///     d_j = e_j + 1 − c_j,   e_j ∈ [0, 2^B) by limbs                (d_j ≥ 0, and d_j ≥ 1 where c_j = 0)
///     port j receives m − d_j (ArgMax) or m + d_j (ArgMin)         (= x_j)
///
/// c_j = Σ_{i ≤ j} b_i (first index) or Σ_{i ≥ j} b_i (select_last_index): every element on the losing side of
/// the chosen one is strictly worse, so c is the first (last) index of the extremum, the kernel's. Trace integers:
/// [index, x_0 … x_{K−1}]. Produced: Σ_j j·b_j, an integer (unscaled) index.
public struct ArgExtremumGadget: LaneGadget {
    /// Width of the range-checked limbs (the range table has 2^limbBits rows); set by the plan.
    public var limbBits = 8
    public let size: Int
    public let activationBits: Int
    public let maximum: Bool
    public let lastIndex: Bool

    public init(size: Int, activationBits: Int, maximum: Bool, lastIndex: Bool) {
        self.size = size
        self.activationBits = activationBits
        self.maximum = maximum
        self.lastIndex = lastIndex
    }

    var difference: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: activationBits) }

    public var name: String { "\(maximum ? "argmax" : "argmin")\(size)\(lastIndex ? "_last" : "")" }
    public var limbCells: Int { size * difference.cellCount }
    public var freeCells: Int { 1 + size }
    public var receivedCount: Int { size }

    private func parts(_ cells: LaneCells) -> (m: Expression, d: [Expression], b: [Expression], helpers: [Expression]) {
        var cursor = LimbCursor(cells.limbs)
        let e = (0..<size).map { _ in cursor.take(difference) }
        let b = Array(cells.free[1...])
        var d: [Expression] = []
        for j in 0..<size {
            let covered = lastIndex ? Array(b[j...]) : Array(b[...j])
            d.append(e[j].value + Fr.one - Expression.sum(of: covered))
        }
        return (cells.free[0], d, b, e.compactMap(\.helper))
    }

    public func received(_ cells: LaneCells) -> [Expression] {
        let p = parts(cells)
        return p.d.map { maximum ? p.m - $0 : p.m + $0 }
    }

    public func produced(_ cells: LaneCells) -> Expression {
        let b = Array(cells.free[1...])
        return Expression.sum(of: (1..<size).map { b[$0] * Fr(UInt64($0)) } + [Expression(Fr.zero)])
    }

    public func constraints(_ cells: LaneCells) -> [Expression] {
        let p = parts(cells)
        return p.helpers + MaxPoolGadget.selects(p.b, zeroOf: p.d)
    }

    public var paddingInputs: [Int64] { [Int64](repeating: 0, count: 1 + size) }

    /// The kernel's pick (ties: first index, or last with select_last_index).
    public func producedValue(_ inputs: [Int64]) -> Int64 {
        let x = Array(inputs[1...])
        var best = 0
        for j in 1..<size {
            let better = maximum ? x[j] > x[best] : x[j] < x[best]
            if better || (lastIndex && x[j] == x[best]) { best = j }
        }
        return Int64(best)
    }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let chosen = Int(producedValue(inputs)), x = Array(inputs[1...])
        guard x.count == size else { throw CompilerError.witnessMismatch("\(name): \(x.count) elements for \(size) ports") }
        let m = x[chosen]
        var limbs: [Int64] = []
        var bits = [Int64](repeating: 0, count: size)
        bits[chosen] = 1
        for j in 0..<size {
            let strict = lastIndex ? j > chosen : j < chosen
            let d = maximum ? m - x[j] : x[j] - m
            limbs += try difference.checkedCells(d - (strict ? 1 : 0), "extremum gap")
        }
        return (limbs, [m] + bits)
    }
}
