import ConstraintSystem
import FieldArithmetic
import Quantization

/// An interpolated table function of one element (Sigmoid, Tanh; docs/fixed-point.md §6), with k = s − t:
///
///     x = f + 2^k·z                        f ∈ [0, 2^k) by limbs               (z = ⌊x / 2^k⌋)
///     z − u_lo = split(s₁, v₁)             c = max(z, u_lo) = u_lo + s₁·v₁
///     u_hi − c = split(s₂, v₂)             u = min(c, u_hi) = u_hi − s₂·v₂      (the clamp, proved)
///     g = s₁·s₂·f                                                               (0 when clamped)
///     (tag, u, T, Δ) ∈ table                                                     (one lookup)
///     2^k·q + r = Δ·g + 2^(k−1)            r ∈ [0, 2^k), q + 2^(b−1) ∈ [0, 2^b) by limbs
///     out = T + q
///
/// Trace integers: [x, z, f, u, q, r]. The splits' bits cover z's whole range (x is a B-bit activation), so
/// the decomposition x = f + 2^k·z is the unique floor division and each split an exact comparison; u is also
/// confined to the table's index column by the lookup. b covers |q| ≤ max|Δ| + 1, which with r's exact range
/// pins q = R_k(Δ·g). Received: x (degree 2); produced: T + q.
///
/// `inputBelowTop`: the caller proves z ≤ u_hi already (Softmax's d = x − m ≤ 0 with u_hi = 0), so the upper
/// clamp is the identity and is not proved again: no s₂ and v₂, u = c, g = s₁·f (compiler 10).
public struct TableGadget: LaneGadget {
    /// Width of the range-checked limbs (the range table has 2^limbBits rows); set by the plan.
    public var limbBits = 8
    public let table: LookupTable
    public let activationBits: Int
    let lowBits: Int
    let highBits: Int
    let quotientBits: Int
    public let inputBelowTop: Bool

    public init(table: LookupTable, activationBits: Int, inputBelowTop: Bool = false) {
        self.table = table
        self.activationBits = activationBits
        self.inputBelowTop = inputBelowTop
        let k = table.shift
        let zLow = -(Int128(1) << (activationBits - 1 - k)), zHigh = (Int128(1) << (activationBits - 1 - k)) - 1
        let lo = Int128(table.minIndex), hi = Int128(table.maxIndex)
        lowBits = SignSplit.bits(low: zLow - lo, high: zHigh - lo)
        highBits = SignSplit.bits(low: hi - max(zHigh, lo), high: hi - lo)
        let largestDelta = table.deltas.map { $0.magnitude }.max() ?? 0
        quotientBits = SignSplit.bits(low: 0, high: Int128(largestDelta) + 1) + 1
    }

    var shift: Int { table.shift }
    var fraction: LimbDecomposition? { shift > 0 ? LimbDecomposition(limbBits: limbBits, bits: shift) : nil }
    var low: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: lowBits) }
    var high: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: highBits) }
    var quotient: LimbDecomposition? { shift > 0 ? LimbDecomposition(limbBits: limbBits, bits: quotientBits) : nil }

    public var name: String { "\(table.function.rawValue)\(table.inputScale)_\(shift)" }
    public var limbCells: Int {
        (fraction?.cellCount ?? 0) * 2 + low.cellCount + (inputBelowTop ? 0 : high.cellCount) + (quotient?.cellCount ?? 0)
    }
    /// s₁, s₂, u, T, Δ, g (no s₂ when `inputBelowTop`).
    public var freeCells: Int { inputBelowTop ? 5 : 6 }
    /// Where u, T, Δ, g start among the free cells.
    var entryCell: Int { inputBelowTop ? 1 : 2 }
    public var receivedCount: Int { 1 }

    public var functionTable: LookupTable? { table }

    private struct Parts {
        var x: Expression
        var out: Expression
        var constraints: [Expression]
    }

    private func parts(_ cells: LaneCells) -> Parts {
        var cursor = LimbCursor(cells.limbs)
        let f = fraction.map { cursor.take($0) }
        let v1 = cursor.take(low), v2 = inputBelowTop ? nil : cursor.take(high)
        let r = fraction.map { cursor.take($0) }
        let q = quotient.map { cursor.take($0) }
        let e = entryCell
        let (s1, u, t, delta, g) = (cells.free[0], cells.free[e], cells.free[e + 1], cells.free[e + 2], cells.free[e + 3])
        var constraints = [f?.helper, v1.helper, v2?.helper, r?.helper, q?.helper].compactMap { $0 }
        let lo = Fr(signed: table.minIndex), hi = Fr(signed: table.maxIndex)
        let z = SignSplit.value(sign: s1, magnitude: v1.value) + lo
        let x = f.map { $0.value + z * Fr(UInt64(1) << shift) } ?? z
        let fractionValue = f?.value ?? Expression(Fr.zero)
        constraints.append(s1 * (s1 - Fr.one))
        if let v2 {
            let s2 = cells.free[1]
            constraints += [
                s2 * (s2 - Fr.one),
                Expression(hi - lo) - s1 * v1.value - SignSplit.value(sign: s2, magnitude: v2.value),
                u - hi + s2 * v2.value,
                g - s1 * s2 * fractionValue,
            ]
        } else {
            // c = max(z, u_lo) = u_lo + s₁·v₁ is the entry itself (z ≤ u_hi is the caller's).
            constraints += [u - lo - s1 * v1.value, g - s1 * fractionValue]
        }
        guard let r, let q else { return Parts(x: x, out: t, constraints: constraints) }
        let qValue = q.value - Fr(UInt64(1) << (quotientBits - 1))
        constraints.append(qValue * Fr(UInt64(1) << shift) + r.value - delta * g - Fr(UInt64(1) << (shift - 1)))
        return Parts(x: x, out: t + qValue, constraints: constraints)
    }

    public func received(_ cells: LaneCells) -> [Expression] { [parts(cells).x] }
    public func produced(_ cells: LaneCells) -> Expression { parts(cells).out }
    public func constraints(_ cells: LaneCells) -> [Expression] { parts(cells).constraints }
    /// (u, T, Δ): a row of the function table (the tag is added by the circuit).
    public func tableInputs(_ cells: LaneCells) -> [Expression] { Array(cells.free[entryCell..<(entryCell + 3)]) }

    public var paddingInputs: [Int64] {
        let step = table.step(0)
        return [0, step.index, step.fraction, step.clampedIndex, step.quotient, step.remainder]
    }

    public func producedValue(_ inputs: [Int64]) -> Int64 { table.lookup(inputs[3]) + inputs[4] }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let (x, z, f, u, q, r) = (inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5])
        let bound = Int64(1) << (activationBits - 1)
        guard x >= -bound, x < bound, x == z << Int64(shift) + f, u >= table.minIndex, u <= table.maxIndex,
              !inputBelowTop || z <= table.maxIndex else {
            throw CompilerError.witnessMismatch("\(table.function) input \(x) does not split into index \(z), fraction \(f), entry \(u)")
        }
        let (s1, v1) = SignSplit.split(z - table.minIndex)
        let c = max(z, table.minIndex)
        let (s2, v2) = SignSplit.split(table.maxIndex - c)
        guard u == min(c, table.maxIndex) else { throw CompilerError.witnessMismatch("table index \(u) is not the clamp of \(z)") }
        let g = s1 == 1 && s2 == 1 ? f : 0
        var limbs: [Int64] = []
        if let fd = fraction { limbs += try fd.checkedCells(f, "fraction") }
        limbs += low.cells(of: v1) + (inputBelowTop ? [] : high.cells(of: v2))
        if let fd = fraction, let qd = quotient {
            limbs += try fd.checkedCells(r, "interpolation remainder")
            limbs += try qd.checkedCells(q + (Int64(1) << (quotientBits - 1)), "interpolation quotient (offset)")
        }
        return (limbs, (inputBelowTop ? [s1] : [s1, s2]) + [u, table.lookup(u), table.delta(u), g])
    }
}
