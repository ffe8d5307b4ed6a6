import ConstraintSystem
import FieldArithmetic
import Quantization

/// Exp and Log (docs/fixed-point.md §6b): a range reduction around the mantissa tables 2^v and ln(1 + v) on [0, 1),
/// whose power of two is proved by its exponent's bits: E = Π_i (1 + b_i·(2^(2^i) − 1)), one free cell per partial
/// product, so the lane stays of degree 2 and the only table is the 2^t-row mantissa table (one lookup per lane).
/// Both take the direct path's trace integers [x, out] and rebuild the rest, so a proof's output is `zkinfer run`'s.

/// The interpolated step of a mantissa table (§6's steps 1–3) on f ∈ [0, 2^s): f = 2^k·u + g, u from the
/// lookup (so u ∈ [0, 2^t) and f < 2^s), g and the remainder r k-bit limbs, 2^k·q + r = Δ·g + 2^(k−1), P = T + q.
struct MantissaStep: Hashable, Sendable {
    let table: LookupTable
    let limbBits: Int
    let quotientBits: Int

    init(table: LookupTable, limbBits: Int) {
        self.table = table
        self.limbBits = limbBits
        let largestDelta = table.deltas.map { $0.magnitude }.max() ?? 0
        quotientBits = SignSplit.bits(low: 0, high: Int128(largestDelta) + 1) + 1
    }

    var shift: Int { table.shift }
    var fraction: LimbDecomposition? { shift > 0 ? LimbDecomposition(limbBits: limbBits, bits: shift) : nil }
    var quotient: LimbDecomposition? { shift > 0 ? LimbDecomposition(limbBits: limbBits, bits: quotientBits) : nil }
    /// g, r, q.
    var limbCells: Int { 2 * (fraction?.cellCount ?? 0) + (quotient?.cellCount ?? 0) }

    /// (f, P, constraints) from the limbs under `cursor` and the looked-up (u, T, Δ).
    func parts(_ cursor: inout LimbCursor, u: Expression, t: Expression, delta: Expression)
        -> (f: Expression, p: Expression, constraints: [Expression]) {
        guard let fd = fraction, let qd = quotient else { return (u, t, []) }
        let g = cursor.take(fd), r = cursor.take(fd), q = cursor.take(qd)
        let qValue = q.value - Fr(UInt64(1) << (quotientBits - 1))
        let constraints = [g.helper, r.helper, q.helper].compactMap { $0 } + [
            qValue * Fr(UInt64(1) << shift) + r.value - delta * g.value - Fr(UInt64(1) << (shift - 1)),
        ]
        return (u * Fr(UInt64(1) << shift) + g.value, t + qValue, constraints)
    }

    /// Limb values and (u, T, Δ) for f ∈ [0, 2^s).
    func witness(_ f: Int64) throws -> (limbs: [Int64], u: Int64, t: Int64, delta: Int64, p: Int64) {
        let step = table.step(f)
        guard step.clampedIndex == step.index else { throw CompilerError.witnessMismatch("mantissa \(f) outside its table") }
        var limbs: [Int64] = []
        if let fd = fraction, let qd = quotient {
            limbs += try fd.checkedCells(step.fraction, "mantissa fraction")
            limbs += try fd.checkedCells(step.remainder, "interpolation remainder")
            limbs += try qd.checkedCells(step.quotient + (Int64(1) << (quotientBits - 1)), "interpolation quotient (offset)")
        }
        return (limbs, step.clampedIndex, table.lookup(step.clampedIndex), table.delta(step.clampedIndex), step.output)
    }
}

/// 2^a for an exponent a given by `bits` boolean cells: E_0 = 1 + b_0, E_i = E_(i−1)·(1 + b_i·(2^(2^i) − 1)) in
/// free cells E_1 … E_(bits−1) (each constraint of degree 2).
struct PowerOfTwoBits: Hashable, Sendable {
    let bits: Int

    /// b_0 … b_(n−1), then E_1 … E_(n−1).
    var freeCells: Int { 2 * bits - 1 }

    func parts(_ free: ArraySlice<Expression>) -> (exponent: Expression, power: Expression, constraints: [Expression]) {
        let b = Array(free.prefix(bits)), e = Array(free.dropFirst(bits))
        var constraints = b.map { $0 * ($0 - Fr.one) }
        var power = Expression(Fr.one) + b[0]
        for i in 1..<bits {
            constraints.append(e[i - 1] - power * (Expression(Fr.one) + b[i] * Fr((UInt64(1) << (UInt64(1) << UInt64(i))) - 1)))
            power = e[i - 1]
        }
        let exponent = Expression.sum(of: b.enumerated().map { $0.offset == 0 ? $0.element : $0.element * Fr(UInt64(1) << $0.offset) })
        return (exponent, power, constraints)
    }

    func witness(_ a: Int64) throws -> [Int64] {
        guard a >= 0, a < Int64(1) << bits else { throw CompilerError.witnessMismatch("exponent \(a) outside [0, 2^\(bits))") }
        let b = (0..<bits).map { (a >> Int64($0)) & 1 }
        var partial: [Int64] = []
        var power: UInt64 = 1 << UInt64(b[0])
        for i in 1..<bits {
            power <<= UInt64(b[i]) << UInt64(i)
            partial.append(Int64(bitPattern: power))
        }
        return b + partial
    }
}

/// Exp: with c = Q_w(1/ln 2), J = s + 3 (every right shift of J or more rounds P ≤ 2^(s+1) to 0):
///
///     2^w·ζ + ρ = x·c + 2^(w−1)            ρ ∈ [0, 2^w) by limbs                    (ζ = R_w(x·c))
///     ζ = (a − J)·2^s + f                  a = split(σ, v), f = 2^k·u + g           (k_ζ = ⌊ζ/2^s⌋ = a − J)
///     e = σ·v = Σ b_i·2^i,  E = 2^e                                                  (e = max(k_ζ + J, 0))
///     P = T₂(f)                                                                        (one lookup)
///     2^J·out + r = P·E + 2^(J−1)          r ∈ [0, 2^J), out + 2^(B−1) ∈ [0, 2^B) by limbs
///
/// out = R_J(P·2^(k_ζ+J)) is P·2^k_ζ for k_ζ ≥ 0 and R_(−k_ζ)(P) for k_ζ < 0, as the direct path; below −J both
/// are 0. v's bits cover k_ζ's whole range (x is a B-bit activation), so the split is exact; e has bits(B + 1)
/// bits, enough for every output in range (k_ζ ≤ B − 2 − s since P ≥ 2^s), and a larger one fails out's range
/// check as the direct path refuses it. Received: x; produced: out.
public struct ExpGadget: LaneGadget {
    public var limbBits = 8
    public let table: LookupTable
    public let multiplier: Int64
    public let parameterScale: Int
    public let activationScale: Int
    public let activationBits: Int
    let splitBits: Int
    let power: PowerOfTwoBits

    public init(settings: QuantizationSettings) {
        table = LookupTable(unit: .exp2Unit, settings: settings)
        parameterScale = settings.parameterScale
        activationScale = settings.activationScale
        activationBits = settings.activationBits
        let c = FixedPoint.quantize(1 / 0.6931471805599453, scale: settings.parameterScale)!  // the direct path's Q_w(1/ln 2)
        multiplier = c
        let w = settings.parameterScale, half = w > 0 ? Int128(1) << (w - 1) : 0
        func zeta(_ x: Int128) -> Int128 {
            let y = x * Int128(c) + half
            return y >= 0 ? y >> w : -((-y + (Int128(1) << w) - 1) >> w)
        }
        let bound = Int128(1) << (settings.activationBits - 1), scale = settings.activationScale
        let lowK = zeta(-bound) >> scale, highK = zeta(bound - 1) >> scale
        let j = Int128(scale + 3)
        splitBits = SignSplit.bits(low: lowK + j, high: highK + j)
        power = PowerOfTwoBits(bits: SignSplit.bits(low: 0, high: Int128(activationBits + 1)))
    }

    var jShift: Int { activationScale + 3 }
    var mantissa: MantissaStep { MantissaStep(table: table, limbBits: limbBits) }
    var rounding: LimbDecomposition? { parameterScale > 0 ? LimbDecomposition(limbBits: limbBits, bits: parameterScale) : nil }
    var split: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: splitBits) }
    var outRemainder: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: jShift) }
    var output: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: activationBits) }

    public var name: String { "exp\(activationScale)_\(parameterScale)" }
    public var limbCells: Int {
        (rounding?.cellCount ?? 0) + split.cellCount + mantissa.limbCells + outRemainder.cellCount + output.cellCount
    }
    /// x, σ, u, T, Δ, then the exponent's bits and partial powers.
    public var freeCells: Int { 5 + power.freeCells }
    public var receivedCount: Int { 1 }
    public var functionTable: LookupTable? { table }

    private func parts(_ cells: LaneCells) -> (x: Expression, out: Expression, constraints: [Expression]) {
        var cursor = LimbCursor(cells.limbs)
        let rho = rounding.map { cursor.take($0) }, v = cursor.take(split)
        let (x, sigma, u, t, delta) = (cells.free[0], cells.free[1], cells.free[2], cells.free[3], cells.free[4])
        let m = mantissa.parts(&cursor, u: u, t: t, delta: delta)
        let r = cursor.take(outRemainder), out = cursor.take(output)
        let (e, bigE, powerConstraints) = power.parts(cells.free[5...])
        var constraints = [rho?.helper, v.helper, r.helper, out.helper].compactMap { $0 } + m.constraints + powerConstraints
        let s = activationScale, w = parameterScale
        let zeta = (SignSplit.value(sign: sigma, magnitude: v.value) - Fr(UInt64(jShift))) * Fr(UInt64(1) << s) + m.f
        var lhs = zeta * Fr(UInt64(1) << w)
        if let rho { lhs = lhs + rho.value - Fr(UInt64(1) << (w - 1)) }
        constraints += [
            sigma * (sigma - Fr.one),
            x * Fr(signed: multiplier) - lhs,
            e - sigma * v.value,
            r.value + out.value * Fr(UInt64(1) << jShift) - Fr(UInt64(1) << (activationBits - 1)) * Fr(UInt64(1) << jShift)
                - m.p * bigE - Fr(UInt64(1) << (jShift - 1)),
        ]
        return (x, out.value - Fr(UInt64(1) << (activationBits - 1)), constraints)
    }

    public func received(_ cells: LaneCells) -> [Expression] { [cells.free[0]] }
    public func produced(_ cells: LaneCells) -> Expression { parts(cells).out }
    public func constraints(_ cells: LaneCells) -> [Expression] { parts(cells).constraints }
    public func tableInputs(_ cells: LaneCells) -> [Expression] { [cells.free[2], cells.free[3], cells.free[4]] }

    /// Every integer of one evaluation (nil outside the activation range, where the direct path refuses too).
    func evaluate(_ x: Int64) -> (rho: Int64, a: Int64, f: Int64, e: Int64, r: Int64, out: Int64)? {
        let s = Int64(activationScale)
        let (zeta, rho) = FixedPoint.rescale(x * multiplier, shift: parameterScale)
        let k = zeta >> s, f = zeta - (k << s), a = k + Int64(jShift)
        let e = max(a, 0)
        guard e < Int64(1) << power.bits else { return nil }
        let p = table.step(f).output
        let total = Int128(p) << Int128(e) + (Int128(1) << (jShift - 1))
        let out = total >> jShift, r = total - (out << jShift)
        let bound = Int128(1) << (activationBits - 1)
        guard out >= -bound, out < bound else { return nil }
        return (rho, a, f, e, Int64(r), Int64(out))
    }

    public var paddingInputs: [Int64] { [0, evaluate(0)!.out] }
    public func producedValue(_ inputs: [Int64]) -> Int64 { evaluate(inputs[0])?.out ?? Int64.min }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let x = inputs[0]
        guard let v = evaluate(x) else { throw CompilerError.witnessMismatch("Exp of \(x) leaves the activation range") }
        let (sigma, magnitude) = SignSplit.split(v.a)
        let m = try mantissa.witness(v.f)
        var limbs: [Int64] = []
        if let rd = rounding { limbs += try rd.checkedCells(v.rho, "Exp's argument rounding") }
        limbs += split.cells(of: magnitude) + m.limbs
        limbs += try outRemainder.checkedCells(v.r, "Exp's shift remainder")
        limbs += try output.checkedCells(v.out + (Int64(1) << (activationBits - 1)), "Exp's output (offset)")
        return (limbs, [x, sigma, m.u, m.t, m.delta] + (try power.witness(v.e)))
    }
}

/// Log: with N = B − 2 and a = N − n (n the index of x's top bit), so that y = x·2^a ∈ [2^N, 2^(N+1)):
///
///     x·E = 2^(N−s)·m + ρ                  E = 2^a = Π(1 + b_i·(2^(2^i) − 1)),  ρ ∈ [0, 2^(N−s)) by limbs
///     m = 2^s + f,  f = 2^k·u + g           (the lookup bounds f < 2^s: m ∈ [2^s, 2^(s+1)), which pins a)
///     out = T_L(f) + (N − s − a)·Q_s(ln 2)
///
/// m is the direct path's mantissa: x >> (n − s) or x << (s − n). x·E ≥ 2^N has no solution for x ≤ 0 (|x·E| <
/// 2^62 ≪ p), so a non-positive input has no witness, as the direct path refuses it. Received: x; produced: out.
public struct LogGadget: LaneGadget {
    public var limbBits = 8
    public let table: LookupTable
    public let logTwo: Int64
    public let activationScale: Int
    public let activationBits: Int
    let power: PowerOfTwoBits

    public init(settings: QuantizationSettings) {
        table = LookupTable(unit: .log1pUnit, settings: settings)
        activationScale = settings.activationScale
        activationBits = settings.activationBits
        logTwo = FixedPoint.quantize(0.6931471805599453, scale: settings.activationScale)!  // the direct path's Q_s(ln 2)
        power = PowerOfTwoBits(bits: SignSplit.bits(low: 0, high: Int128(settings.activationBits - 2)))
    }

    var top: Int { activationBits - 2 }
    var mantissa: MantissaStep { MantissaStep(table: table, limbBits: limbBits) }
    var truncation: LimbDecomposition? { top > activationScale ? LimbDecomposition(limbBits: limbBits, bits: top - activationScale) : nil }

    public var name: String { "log\(activationScale)" }
    public var limbCells: Int { (truncation?.cellCount ?? 0) + mantissa.limbCells }
    /// x, u, T, Δ, then the normalising exponent's bits and partial powers.
    public var freeCells: Int { 4 + power.freeCells }
    public var receivedCount: Int { 1 }
    public var functionTable: LookupTable? { table }

    private func parts(_ cells: LaneCells) -> (out: Expression, constraints: [Expression]) {
        var cursor = LimbCursor(cells.limbs)
        let rho = truncation.map { cursor.take($0) }
        let (x, u, t, delta) = (cells.free[0], cells.free[1], cells.free[2], cells.free[3])
        let m = mantissa.parts(&cursor, u: u, t: t, delta: delta)
        let (a, bigE, powerConstraints) = power.parts(cells.free[4...])
        let s = activationScale
        var y = (m.f + Fr(UInt64(1) << s)) * Fr(UInt64(1) << (top - s))
        if let rho { y = y + rho.value }
        let constraints = [rho?.helper].compactMap { $0 } + m.constraints + powerConstraints + [x * bigE - y]
        return (m.p + (Expression(Fr(UInt64(top - s))) - a) * Fr(signed: logTwo), constraints)
    }

    public func received(_ cells: LaneCells) -> [Expression] { [cells.free[0]] }
    public func produced(_ cells: LaneCells) -> Expression { parts(cells).out }
    public func constraints(_ cells: LaneCells) -> [Expression] { parts(cells).constraints }
    public func tableInputs(_ cells: LaneCells) -> [Expression] { [cells.free[1], cells.free[2], cells.free[3]] }

    func evaluate(_ x: Int64) -> (a: Int64, rho: Int64, f: Int64, out: Int64)? {
        guard x > 0, x < Int64(1) << (top + 1) else { return nil }
        let s = activationScale
        let n = 63 - x.leadingZeroBitCount, a = top - n
        let y = x << Int64(a), m = y >> Int64(top - s)
        let f = m - (Int64(1) << s)
        return (Int64(a), y - (m << Int64(top - s)), f, table.step(f).output + Int64(n - s) * logTwo)
    }

    public var paddingInputs: [Int64] { [Int64(1) << activationScale, 0] }
    public func producedValue(_ inputs: [Int64]) -> Int64 { evaluate(inputs[0])?.out ?? Int64.min }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let x = inputs[0]
        guard let v = evaluate(x) else { throw CompilerError.witnessMismatch("Log of \(x): the input must be positive") }
        let m = try mantissa.witness(v.f)
        var limbs: [Int64] = []
        if let td = truncation { limbs += try td.checkedCells(v.rho, "Log's mantissa truncation") }
        limbs += m.limbs
        return (limbs, [x, m.u, m.t, m.delta] + (try power.witness(v.a)))
    }
}

/// Sin and Cos (docs/fixed-point.md §6b; rotary position embeddings): with c = Q_w(1/2π) and q = 2^(s−2) for Cos
/// (a quarter turn; 0 for Sin):
///
///     2^w·ζ + ρ = x·c + 2^(w−1)            ρ ∈ [0, 2^w) by limbs                    (ζ = R_w(x·c), in turns)
///     ζ + q = 2^s·k + v                    k = split(σ, m), v = 2^k·u + g           (v = (ζ + q) mod 2^s)
///     out = S(v)                           the sin(2πv) table, one lookup
///
/// m's bits cover k's whole range (x is a B-bit activation), so v is the exact residue the direct path takes.
/// Received: x; produced: out.
public struct SineGadget: LaneGadget {
    public var limbBits = 8
    public let table: LookupTable
    public let multiplier: Int64
    public let cosine: Bool
    public let parameterScale: Int
    public let activationScale: Int
    let splitBits: Int

    public init(settings: QuantizationSettings, cosine: Bool) {
        table = LookupTable(unit: .sinTurn, settings: settings)
        self.cosine = cosine
        parameterScale = settings.parameterScale
        activationScale = settings.activationScale
        let c = FixedPoint.quantize(1 / (2 * Double.pi), scale: settings.parameterScale)!  // the direct path's Q_w(1/2π)
        multiplier = c
        let w = settings.parameterScale, half = w > 0 ? Int128(1) << (w - 1) : 0
        let bound = Int128(1) << (settings.activationBits - 1), scale = settings.activationScale
        let quarter = cosine ? Int128(Self.quarter(scale)) : 0
        let low = ((-bound) * Int128(c) + half) >> w + quarter, high = ((bound - 1) * Int128(c) + half) >> w + quarter
        splitBits = SignSplit.bits(low: low >> scale, high: high >> scale)
    }

    static func quarter(_ s: Int) -> Int64 { s >= 2 ? Int64(1) << (s - 2) : 0 }

    var mantissa: MantissaStep { MantissaStep(table: table, limbBits: limbBits) }
    var rounding: LimbDecomposition? { parameterScale > 0 ? LimbDecomposition(limbBits: limbBits, bits: parameterScale) : nil }
    var split: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: splitBits) }

    public var name: String { "\(cosine ? "cos" : "sin")\(activationScale)_\(parameterScale)" }
    public var limbCells: Int { (rounding?.cellCount ?? 0) + split.cellCount + mantissa.limbCells }
    /// x, σ, u, T, Δ.
    public var freeCells: Int { 5 }
    public var receivedCount: Int { 1 }
    public var functionTable: LookupTable? { table }

    private func parts(_ cells: LaneCells) -> (out: Expression, constraints: [Expression]) {
        var cursor = LimbCursor(cells.limbs)
        let rho = rounding.map { cursor.take($0) }, k = cursor.take(split)
        let (x, sigma, u, t, delta) = (cells.free[0], cells.free[1], cells.free[2], cells.free[3], cells.free[4])
        let m = mantissa.parts(&cursor, u: u, t: t, delta: delta)
        let s = activationScale, w = parameterScale
        // ζ = 2^s·k + v − q
        let q = cosine ? Self.quarter(s) : 0
        let zeta = SignSplit.value(sign: sigma, magnitude: k.value) * Fr(UInt64(1) << s) + m.f - Fr(UInt64(q))
        var lhs = zeta * Fr(UInt64(1) << w)
        if let rho { lhs = lhs + rho.value - Fr(UInt64(1) << (w - 1)) }
        let constraints = [rho?.helper, k.helper].compactMap { $0 } + m.constraints + [
            sigma * (sigma - Fr.one),
            x * Fr(signed: multiplier) - lhs,
        ]
        return (m.p, constraints)
    }

    public func received(_ cells: LaneCells) -> [Expression] { [cells.free[0]] }
    public func produced(_ cells: LaneCells) -> Expression { parts(cells).out }
    public func constraints(_ cells: LaneCells) -> [Expression] { parts(cells).constraints }
    public func tableInputs(_ cells: LaneCells) -> [Expression] { [cells.free[2], cells.free[3], cells.free[4]] }

    func evaluate(_ x: Int64) -> (rho: Int64, k: Int64, v: Int64, out: Int64) {
        let s = Int64(activationScale)
        let (zeta, rho) = FixedPoint.rescale(x * multiplier, shift: parameterScale)
        let shifted = (cosine ? zeta + Self.quarter(activationScale) : zeta)
        let k = shifted >> s, v = shifted - (k << s)
        return (rho, k, v, table.step(v).output)
    }

    public var paddingInputs: [Int64] { [0, evaluate(0).out] }
    public func producedValue(_ inputs: [Int64]) -> Int64 { evaluate(inputs[0]).out }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let x = inputs[0], e = evaluate(x)
        let (sigma, magnitude) = SignSplit.split(e.k)
        let m = try mantissa.witness(e.v)
        var limbs: [Int64] = []
        if let rd = rounding { limbs += try rd.checkedCells(e.rho, "\(cosine ? "Cos" : "Sin")'s argument rounding") }
        limbs += split.cells(of: magnitude) + m.limbs
        return (limbs, [x, sigma, m.u, m.t, m.delta])
    }
}
