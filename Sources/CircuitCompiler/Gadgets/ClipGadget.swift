import ConstraintSystem
import FieldArithmetic

/// Clip of one element (docs/fixed-point.md §5): out = min(max(x, lo), hi), either side optional, as one or two
/// sign splits:
///
///     x − lo = split(s₁, v₁)      c = max(x, lo) = lo + s₁·v₁
///     hi − c = split(s₂, v₂)      out = min(c, hi) = hi − s₂·v₂
///
/// Trace integers: [x]. Magnitude bits cover each difference's whole range (x is an activation, lo and hi are
/// the quantized bounds), so each split exists, is unique, and is an exact comparison. Received: x.
public struct ClipGadget: LaneGadget {
    /// Width of the range-checked limbs (the range table has 2^limbBits rows); set by the plan.
    public var limbBits = 8
    public let lower: Int64?
    public let upper: Int64?
    public let activationBits: Int
    let lowerBits: Int
    let upperBits: Int

    /// Nil when a bound is so far outside the activation range that a difference needs more than 62 bits.
    public init?(lower: Int64?, upper: Int64?, activationBits: Int) {
        self.lower = lower
        self.upper = upper
        self.activationBits = activationBits
        let xLow = -(Int128(1) << (activationBits - 1)), xHigh = (Int128(1) << (activationBits - 1)) - 1
        var cLow = xLow, cHigh = xHigh
        if let lo = lower.map({ Int128($0) }) {
            lowerBits = SignSplit.bits(low: xLow - lo, high: xHigh - lo)
            cLow = max(cLow, lo)
            cHigh = max(cHigh, lo)
        } else {
            lowerBits = 0
        }
        upperBits = upper.map { SignSplit.bits(low: Int128($0) - cHigh, high: Int128($0) - cLow) } ?? 0
        guard lowerBits <= 62, upperBits <= 62, lower != nil || upper != nil else { return nil }
    }

    var lowerSplit: LimbDecomposition? { lower == nil ? nil : LimbDecomposition(limbBits: limbBits, bits: lowerBits) }
    var upperSplit: LimbDecomposition? { upper == nil ? nil : LimbDecomposition(limbBits: limbBits, bits: upperBits) }

    public var name: String { "clip\(lower.map(String.init) ?? "")_\(upper.map(String.init) ?? "")" }
    public var limbCells: Int { (lowerSplit?.cellCount ?? 0) + (upperSplit?.cellCount ?? 0) }
    public var freeCells: Int { (lower == nil ? 0 : 1) + (upper == nil ? 0 : 1) }
    public var receivedCount: Int { 1 }

    private struct Parts {
        var x: Expression
        var out: Expression
        var constraints: [Expression]
    }

    private func parts(_ cells: LaneCells) -> Parts {
        var cursor = LimbCursor(cells.limbs)
        var free = cells.free.makeIterator()
        var constraints: [Expression] = []
        var x: Expression?, c: Expression?
        if let lo = lower, let d = lowerSplit {
            let v = cursor.take(d), s = free.next()!
            if let h = v.helper { constraints.append(h) }
            constraints.append(s * (s - Fr.one))
            x = SignSplit.value(sign: s, magnitude: v.value) + Fr(signed: lo)
            c = s * v.value + Fr(signed: lo)
        }
        guard let hi = upper, let d = upperSplit else { return Parts(x: x!, out: c!, constraints: constraints) }
        let v = cursor.take(d), s = free.next()!
        if let h = v.helper { constraints.append(h) }
        constraints.append(s * (s - Fr.one))
        let difference = SignSplit.value(sign: s, magnitude: v.value)
        let high = Expression(Fr(signed: hi))
        if let c {
            constraints.append(high - c - difference)  // hi − max(x, lo) = split(s₂, v₂)
        } else {
            x = high - difference
        }
        return Parts(x: x!, out: high - s * v.value, constraints: constraints)
    }

    public func received(_ cells: LaneCells) -> [Expression] { [parts(cells).x] }
    public func produced(_ cells: LaneCells) -> Expression { parts(cells).out }
    public func constraints(_ cells: LaneCells) -> [Expression] { parts(cells).constraints }

    public var paddingInputs: [Int64] { [0] }

    public func producedValue(_ inputs: [Int64]) -> Int64 {
        var v = inputs[0]
        if let lower { v = max(v, lower) }
        if let upper { v = min(v, upper) }
        return v
    }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let x = inputs[0]
        let bound = Int64(1) << (activationBits - 1)
        guard x >= -bound, x < bound else { throw CompilerError.witnessMismatch("Clip input \(x) out of range") }
        var limbs: [Int64] = [], free: [Int64] = []
        var c = x
        if let lo = lower, let d = lowerSplit {
            let (s, v) = SignSplit.split(x - lo)
            limbs += d.cells(of: v)
            free.append(s)
            c = max(x, lo)
        }
        if let hi = upper, let d = upperSplit {
            let (s, v) = SignSplit.split(hi - c)
            limbs += d.cells(of: v)
            free.append(s)
        }
        return (limbs, free)
    }
}
