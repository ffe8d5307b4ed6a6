import ConstraintSystem
import FieldArithmetic

/// The maximum of one pooling window (docs/fixed-point.md §5), one lane per output:
///
///     port j receives m − d_j (= window element x_j),   d_j ∈ [0, 2^B) by limbs     (m ≥ every x_j)
///     b_j ∈ {0, 1},   Σ_j b_j = 1,   b_j·d_j = 0                                    (m equals some x_j)
///
/// Trace integers: [m, x_1 … x_K]. Windows with fewer than K input positions (padding, which never wins)
/// repeat one of their elements, so every lane of a layer has the same K ports. m needs no range check of its
/// own: it equals a window element, and those are activations. Produced: m.
///
/// With `minimum` (ReduceMin) the same lane proves the smallest element: port j receives m + d_j, so m ≤ every
/// x_j and equals one of them. ReduceMax and ReduceMin use it with one port per member of a reduced group.
public struct MaxPoolGadget: LaneGadget {
    /// Width of the range-checked limbs (the range table has 2^limbBits rows); set by the plan.
    public var limbBits = 8
    public let window: Int
    public let activationBits: Int
    public let minimum: Bool

    public init(window: Int, activationBits: Int, minimum: Bool = false) {
        self.window = window
        self.activationBits = activationBits
        self.minimum = minimum
    }

    var difference: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: activationBits) }

    public var name: String { minimum ? "minpool\(window)" : "maxpool\(window)" }
    public var limbCells: Int { window * difference.cellCount }
    public var freeCells: Int { 1 + window }
    public var receivedCount: Int { window }

    private func parts(_ cells: LaneCells) -> (m: Expression, d: [Expression], b: [Expression], helpers: [Expression]) {
        var cursor = LimbCursor(cells.limbs)
        let d = (0..<window).map { _ in cursor.take(difference) }
        return (cells.free[0], d.map(\.value), Array(cells.free[1...]), d.compactMap(\.helper))
    }

    public func received(_ cells: LaneCells) -> [Expression] {
        let p = parts(cells)
        return p.d.map { minimum ? p.m + $0 : p.m - $0 }
    }

    public func produced(_ cells: LaneCells) -> Expression { cells.free[0] }

    public func constraints(_ cells: LaneCells) -> [Expression] {
        let p = parts(cells)
        return p.helpers + MaxPoolGadget.selects(p.b, zeroOf: p.d)
    }

    /// b is one-hot (b_j ∈ {0, 1}, Σ b_j = 1) and picks a j with d_j = 0 (b_j·d_j = 0): the chosen element is the
    /// extremum. Shared with `ArgExtremumGadget`, whose d_j also carry the tie rule.
    static func selects(_ b: [Expression], zeroOf d: [Expression]) -> [Expression] {
        var result: [Expression] = []
        for (b, d) in zip(b, d) { result += [b * (b - Fr.one), b * d] }
        result.append(Expression.sum(of: b) - Fr.one)
        return result
    }

    public var paddingInputs: [Int64] { [Int64](repeating: 0, count: 1 + window) }

    public func producedValue(_ inputs: [Int64]) -> Int64 { minimum ? inputs[1...].min()! : inputs[1...].max()! }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let m = inputs[0], x = inputs[1...]
        guard x.count == window, let chosen = x.firstIndex(of: m) else {
            throw CompilerError.witnessMismatch("\(minimum ? "min" : "max") \(m) is not an element of its window")
        }
        var limbs: [Int64] = []
        var bits = [Int64](repeating: 0, count: window)
        bits[chosen - 1] = 1
        for v in x { limbs += try difference.checkedCells(minimum ? v - m : m - v, minimum ? "element − min" : "max − element") }
        return (limbs, [m] + bits)
    }
}
