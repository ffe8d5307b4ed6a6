import ConstraintSystem
import FieldArithmetic

/// Rescale, range check and (optionally) ReLU of one element (docs/fixed-point.md §2–§3, §5).
///
/// Trace integers: [q, r] with y + 2^(k−1) = q·2^k + r (for k = 0: [q, 0], q = y).
/// Cells:
/// - k > 0: r as a k-bit limb decomposition (exact: ⌈k/8⌉ limbs plus a helper for a partial top limb);
/// - identity: w = q + 2^(B−1) as a B-bit decomposition, so q ∈ [−2^(B−1), 2^(B−1)) exactly;
/// - relu: a sign bit s (free cell) and a magnitude v as a (B−1)-bit decomposition, with
///   q = s ? v : −1 − v, i.e. q = (2s − 1)·v + s − 1. This is at once the quotient's range check (q covers
///   [−2^(B−1), 2^(B−1)) exactly, each q once) and the sign decomposition ReLU needs: relu(q) = s·v.
/// Received: 2^k·q + r (= y + 2^(k−1), the accumulator the fold pins); produced: q or s·v.
///
/// Why it is sound: the fold fixes y as an integer below 2^62 in magnitude; r ∈ [0, 2^k) and the range of q
/// make (q, r) the unique pair with y + 2^(k−1) = q·2^k + r among integers of magnitude far below the field
/// size, so q = R_k(y) and the output is the spec's. A witness with s = 1 for negative q would need v = q,
/// which no limbs can hold.
public struct RescaleGadget: LaneGadget {
    /// Width of the range-checked limbs (the range table has 2^limbBits rows); set by the plan.
    public var limbBits = 8
    public enum Activation: String, Hashable, Sendable { case identity, relu }

    public let shift: Int
    public let activation: Activation
    public let activationBits: Int

    public init(shift: Int, activation: Activation, activationBits: Int) {
        self.shift = shift
        self.activation = activation
        self.activationBits = activationBits
    }

    var remainder: LimbDecomposition? { shift > 0 ? LimbDecomposition(limbBits: limbBits, bits: shift) : nil }
    var magnitude: LimbDecomposition {
        LimbDecomposition(limbBits: limbBits, bits: activation == .relu ? activationBits - 1 : activationBits)
    }

    public var name: String { "rescale\(shift)" + (activation == .relu ? "-relu" : "") }
    public var limbCells: Int { (remainder?.cellCount ?? 0) + magnitude.cellCount }
    public var freeCells: Int { activation == .relu ? 1 : 0 }
    public var receivedCount: Int { 1 }

    private func parts(_ cells: LaneCells) -> (r: Expression?, q: Expression, v: Expression, s: Expression?) {
        let rCount = remainder?.cellCount ?? 0
        let r = remainder.map { $0.value(cells.limbs[0..<rCount]) }
        let m = magnitude.value(cells.limbs[rCount..<(rCount + magnitude.cellCount)])
        switch activation {
        case .identity:
            return (r, m - Fr(UInt64(1) << (activationBits - 1)), m, nil)
        case .relu:
            let s = cells.free[0]
            // q = (2s − 1)·v + s − 1
            return (r, (s * Fr(2) - Fr.one) * m + s - Fr.one, m, s)
        }
    }

    public func received(_ cells: LaneCells) -> [Expression] {
        let p = parts(cells)
        guard let r = p.r else { return [p.q] }
        return [p.q * Fr(UInt64(1) << shift) + r]
    }

    public func produced(_ cells: LaneCells) -> Expression {
        let p = parts(cells)
        if let s = p.s { return s * p.v }
        return p.q
    }

    public func constraints(_ cells: LaneCells) -> [Expression] {
        var result: [Expression] = []
        let rCount = remainder?.cellCount ?? 0
        if let r = remainder, let h = r.helperConstraint(cells.limbs[0..<rCount]) { result.append(h) }
        if let h = magnitude.helperConstraint(cells.limbs[rCount..<(rCount + magnitude.cellCount)]) {
            result.append(h)
        }
        if activation == .relu {
            let s = cells.free[0]
            result.append(s * (s - Fr.one))
        }
        return result
    }

    public var paddingInputs: [Int64] { [0, shift > 0 ? Int64(1) << (shift - 1) : 0] }

    public func producedValue(_ inputs: [Int64]) -> Int64 {
        activation == .relu ? max(inputs[0], 0) : inputs[0]
    }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let q = inputs[0], r = inputs[1]
        let half = Int64(1) << (activationBits - 1)
        guard q >= -half, q < half else {
            throw CompilerError.witnessMismatch("quotient \(q) outside [−2^\(activationBits - 1), 2^\(activationBits - 1))")
        }
        var limbs: [Int64] = []
        if let rd = remainder {
            guard r >= 0, r < Int64(1) << shift else {
                throw CompilerError.witnessMismatch("remainder \(r) outside [0, 2^\(shift))")
            }
            limbs += rd.cells(of: UInt64(r))
        } else if r != 0 {
            throw CompilerError.witnessMismatch("remainder \(r) without a rescale")
        }
        switch activation {
        case .identity:
            limbs += magnitude.cells(of: UInt64(q + half))
            return (limbs, [])
        case .relu:
            let v = q >= 0 ? q : -1 - q
            limbs += magnitude.cells(of: UInt64(v))
            return (limbs, [q >= 0 ? 1 : 0])
        }
    }
}
