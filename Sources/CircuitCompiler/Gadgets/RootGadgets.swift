import ConstraintSystem
import FieldArithmetic

/// Reciprocal of a positive activation (docs/fixed-point.md §6a): y = ⌊(2^2s + ⌊x/2⌋) / x⌋.
///
/// Trace integers: [x, y]. Cells: x and b (free); y, h, ρ and g = x − 1 − ρ as limbs of B − 1 bits. Constraints:
/// b² = b, x = 2h + b (so h = ⌊x/2⌋), 2^2s + h = y·x + ρ, g + ρ + 1 = x. With ρ, g ≥ 0 the remainder lies in
/// [0, x) and x ≥ 1, so y is the quotient, unique; every product is below 2^63, far from the field's size.
/// Received: x. Produced: y. A negative x has no witness (the prover refuses it).
public struct ReciprocalGadget: LaneGadget {
    public var limbBits = 8
    public let activationScale: Int
    public let activationBits: Int

    public init(activationScale: Int, activationBits: Int) {
        self.activationScale = activationScale
        self.activationBits = activationBits
    }

    var part: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: activationBits - 1) }
    var numerator: Int64 { Int64(1) << (2 * activationScale) }

    public var name: String { "reciprocal\(activationScale)" }
    public var limbCells: Int { 4 * part.cellCount }
    public var freeCells: Int { 2 }
    public var receivedCount: Int { 1 }

    private func parts(_ cells: LaneCells) -> (y: Expression, h: Expression, rho: Expression, gap: Expression, helpers: [Expression]) {
        var cursor = LimbCursor(cells.limbs)
        let y = cursor.take(part), h = cursor.take(part), rho = cursor.take(part), gap = cursor.take(part)
        return (y.value, h.value, rho.value, gap.value, [y.helper, h.helper, rho.helper, gap.helper].compactMap { $0 })
    }

    public func received(_ cells: LaneCells) -> [Expression] { [cells.free[0]] }
    public func produced(_ cells: LaneCells) -> Expression { parts(cells).y }

    public func constraints(_ cells: LaneCells) -> [Expression] {
        let p = parts(cells), x = cells.free[0], b = cells.free[1]
        return p.helpers + [
            b * b - b,
            x - p.h * Fr(UInt64(2)) - b,
            p.h + Fr(UInt64(numerator)) - p.y * x - p.rho,
            p.gap + p.rho + Fr.one - x,
        ]
    }

    /// x = 2^s (1.0): y = 2^s, h = 2^(s−1), ρ = 2^(s−1).
    public var paddingInputs: [Int64] { [Int64(1) << activationScale, Int64(1) << activationScale] }

    public func producedValue(_ inputs: [Int64]) -> Int64 { inputs[1] }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let (x, y) = (inputs[0], inputs[1])
        guard x >= 1 else { throw CompilerError.witnessMismatch("Reciprocal of \(x): the circuit proves positive inputs only") }
        let h = x / 2, rho = numerator + h - y * x
        return (try part.checkedCells(y, "quotient") + part.checkedCells(h, "⌊x/2⌋") + part.checkedCells(rho, "remainder")
                + part.checkedCells(x - 1 - rho, "x − 1 − remainder"), [x, x & 1])
    }
}

/// Sqrt of a positive activation (§6a): y = ⌊√(x·2^s) + ½⌋, i.e. y² − y + 1 ≤ x·2^s ≤ y² + y with y ≥ 1.
///
/// Trace integers: [x, y]. Cells: x (free); y − 1 (B − 1 bits), d₁ = x·2^s − y² + y − 1 and d₂ = y² + y − x·2^s
/// (B + 1 bits each: d₁ + d₂ = 2y − 1). Both non-negative pins y (for N ≥ 1 the rounded root is the only integer
/// in that window; y² < 2^62, far from the field's size). Received: x. Produced: y. x = 0 has no witness.
public struct SquareRootGadget: LaneGadget {
    public var limbBits = 8
    public let activationScale: Int
    public let activationBits: Int

    public init(activationScale: Int, activationBits: Int) {
        self.activationScale = activationScale
        self.activationBits = activationBits
    }

    var root: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: activationBits - 1) }
    var slack: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: activationBits + 1) }

    public var name: String { "sqrt\(activationScale)" }
    public var limbCells: Int { root.cellCount + 2 * slack.cellCount }
    public var freeCells: Int { 1 }
    public var receivedCount: Int { 1 }

    private func parts(_ cells: LaneCells) -> (y: Expression, d1: Expression, d2: Expression, helpers: [Expression]) {
        var cursor = LimbCursor(cells.limbs)
        let y = cursor.take(root), d1 = cursor.take(slack), d2 = cursor.take(slack)
        return (y.value + Fr.one, d1.value, d2.value, [y.helper, d1.helper, d2.helper].compactMap { $0 })
    }

    public func received(_ cells: LaneCells) -> [Expression] { [cells.free[0]] }
    public func produced(_ cells: LaneCells) -> Expression { parts(cells).y }

    public func constraints(_ cells: LaneCells) -> [Expression] {
        let p = parts(cells), n = cells.free[0] * Fr(UInt64(1) << activationScale)
        return p.helpers + [
            p.d1 - n + p.y * p.y - p.y + Fr.one,
            p.d2 - p.y * p.y - p.y + n,
        ]
    }

    /// x = 1 (2^−s): y = round(√(2^s)).
    public var paddingInputs: [Int64] { [1, Self.roundedRoot(Int64(1) << activationScale)] }

    public func producedValue(_ inputs: [Int64]) -> Int64 { inputs[1] }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let (x, y) = (inputs[0], inputs[1])
        guard x >= 1, y >= 1 else { throw CompilerError.witnessMismatch("Sqrt of \(x): the circuit proves positive inputs only") }
        let n = x << Int64(activationScale)
        return (try root.checkedCells(y - 1, "root − 1") + slack.checkedCells(n - y * y + y - 1, "x·2^s − y² + y − 1")
                + slack.checkedCells(y * y + y - n, "y² + y − x·2^s"), [x])
    }

    static func roundedRoot(_ n: Int64) -> Int64 {
        var r = Int64(Double(n).squareRoot())
        while r > 0 && r * r > n { r -= 1 }
        while (r + 1) * (r + 1) <= n { r += 1 }
        return n - r * r > r ? r + 1 : r
    }
}
