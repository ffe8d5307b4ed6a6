import ConstraintSystem
import FieldArithmetic

/// The `IntegerGadget` modes whose second operand is computed (docs/fixed-point.md §5d), where the constant-operand
/// modes fold a constant into the port's weight, and the Cast of a real onto a narrow integer type. Every value
/// below is a cell or limbs of this lane, so each degree stays 2.
///
/// - `divideBy(mod:)` (W here ob, the operands' bits): ports receive a and d. a = (2σ − 1)·v + σ − 1 (σ = [a ≥ 0]),
///   D = (2τ − 1)·w + τ − 1 (a cell, τ = [d ≥ 0]), r = (2σ − 1)·ρ, q + 2^ob by limbs, and
///
///       a − D·q − r = 0,   |D| − 1 = w − τ = ρ + g   (ρ, g ≥ 0 by limbs)
///
///   so |d| ≥ 1 (a zero divisor has no witness: the direct path refuses it too), |r| < |d| with a's sign: q, r are
///   the truncated division's, unique. Div: out = q; Mod fmod = 1: out = r; fmod = 0: out = r + D·k with
///   k = (1 − z)·e, e = σ + τ − 2στ, z = [ρ = 0] (isZero cells): the divisor's sign, as Python's %.
/// - `shiftBy(left:base:amountBits:)` (W the type's bits): ports receive a and the amount b (a cell Bc). Two sign
///   splits give σ₁ = [b ≥ 0], σ₂ = [b ≤ base − 1], ι = σ₁·σ₂ (in range); bits β_i with ι·(b − Σ 2^i·β_i) = 0;
///   p = Π (1 + (2^(2^i) − 1)·β_i) by a chain of cells; P = ι·p + (1 − ι)·F. LEFT (base W, F = 0): a lane cell A
///   receives a and A·P = x, x decomposed as the wrap mode's (W < 64) or the exact mode's (W = 64): out = a·2^b
///   wrapped, 0 out of range. RIGHT (base R = min(W, B), F = 2^R): the port receives P·q + r with r and
///   P − 1 − r ≥ 0 by limbs (R bits), q + 2^(m−1) by limbs: out = q = ⌊a/P⌋ (out of range ⌊a/2^R⌋, 0 or −1 on the
///   operand range, as §5's shift by W or more or a negative one).
/// - `truncateInto(low:high:rangeBits:)` (W here s): the truncate mode's t = q + (1 − σ)·(1 − z) held in a cell T,
///   sign splits of T − low and high − T (σ₁, σ₂), ι = σ₁·σ₂: out = ι·T (0 outside the type's range, §5).
///
/// Trace integers: [a, d] (divideBy), [a, b] (shiftBy), [x] (truncateInto).
extension IntegerGadget {
    /// Bits k of the in-range amount (2^k ≥ base).
    var amountBitCount: Int {
        guard case .shiftBy(_, let base, _) = mode else { return 0 }
        var k = 1
        while (1 << k) < base { k += 1 }
        return k
    }

    var computedName: String {
        let type = "\(signed ? "i" : "u")\(width)"
        switch mode {
        case .divideBy(let mod): return "int_\(mod == nil ? "div" : mod! ? "mod" : "fmod")_by\(width)"
        case .shiftBy(let left, let base, let amountBits): return "int_\(left ? "shl" : "shr")_by_\(type)_\(base)_\(amountBits)_\(highBits)"
        case .truncateInto(let low, let high, let rangeBits): return "int_trunc\(width)_\(highBits)_in_\(low)_\(high)_\(rangeBits)"
        default: return name
        }
    }

    /// Decompositions of the shift mode: the amount's two sign splits.
    var amountSplit: LimbDecomposition {
        guard case .shiftBy(_, _, let bits) = mode else { return magnitude }
        return LimbDecomposition(limbBits: limbBits, bits: bits)
    }
    /// The right shift's remainder and gap (R bits).
    var shiftRemainder: LimbDecomposition {
        guard case .shiftBy(_, let base, _) = mode else { return remainder }
        return LimbDecomposition(limbBits: limbBits, bits: base)
    }
    /// The narrowing truncation's two range splits.
    var rangeSplit: LimbDecomposition {
        guard case .truncateInto(_, _, let bits) = mode else { return magnitude }
        return LimbDecomposition(limbBits: limbBits, bits: bits)
    }

    var computedLimbCells: Int {
        switch mode {
        case .divideBy: return 5 * magnitude.cellCount   // v, w, ρ, g, q + 2^ob
        case .shiftBy(let left, _, _):
            let value = left ? (width < 64 ? low.cellCount + high.cellCount : high.cellCount) : 2 * shiftRemainder.cellCount + high.cellCount
            return 2 * amountSplit.cellCount + value
        case .truncateInto: return remainder.cellCount + high.cellCount + 2 * rangeSplit.cellCount
        default: return 0
        }
    }

    var computedFreeCells: Int {
        switch mode {
        case .divideBy(let mod): return mod == true ? 7 : 3   // σ, τ, D (, e, k, i, z)
        case .shiftBy(let left, _, _):
            // Bc, σ₁, σ₂, ι, β₀…β_{k−1}, p₁…p_{k−1}, P (, A, t)
            let k = amountBitCount
            return 4 + k + (k - 1) + 1 + (left ? (width < 64 ? 2 : 1) : 0)
        case .truncateInto: return 7   // σ, i, z, T, σ₁, σ₂, ι
        default: return 0
        }
    }

    func computedParts(_ cells: LaneCells) -> LaneParts {
        var cursor = LimbCursor(cells.limbs)
        let f = cells.free
        let one = Expression(Fr.one)
        switch mode {
        case .divideBy(let mod):
            let v = cursor.take(magnitude), w = cursor.take(magnitude), rho = cursor.take(magnitude)
            let g = cursor.take(magnitude), qd = cursor.take(magnitude)
            let (sigma, tau, d) = (f[0], f[1], f[2])
            let a = SignSplit.value(sign: sigma, magnitude: v.value)
            let q = qd.value - Fr(UInt64(1) << width)
            let r = (sigma * Fr(2) - Fr.one) * rho.value
            var constraints = [sigma * (sigma - Fr.one), tau * (tau - Fr.one), d - SignSplit.value(sign: tau, magnitude: w.value),
                               a - d * q - r, w.value - tau - rho.value - g.value]
                + [v.helper, w.helper, rho.helper, g.helper, qd.helper].compactMap { $0 }
            var out = mod == nil ? q : r
            if mod == true {
                let (e, k, inverse, z) = (f[3], f[4], f[5], f[6])
                constraints += [e - (sigma + tau - sigma * tau * Fr(2)), k - (one - z) * e] + ZeroTest.constraints(rho.value, inverse, z)
                out = r + d * k
            }
            return LaneParts(received: [a, d], out: out, constraints: constraints)
        case .shiftBy(let left, let base, _):
            let k = amountBitCount
            let v1 = cursor.take(amountSplit), v2 = cursor.take(amountSplit)
            let (amount, s1, s2, inRange) = (f[0], f[1], f[2], f[3])
            let bits = Array(f[4..<(4 + k)]), chain = Array(f[(4 + k)..<(4 + 2 * k - 1)]), power = f[4 + 2 * k - 1]
            var constraints: [Expression] = [s1 * (s1 - Fr.one), s2 * (s2 - Fr.one),
                                             amount - SignSplit.value(sign: s1, magnitude: v1.value),
                                             Expression(Fr(UInt64(base - 1))) - amount - SignSplit.value(sign: s2, magnitude: v2.value),
                                             inRange - s1 * s2]
            constraints += bits.map { $0 * ($0 - Fr.one) }
            let low = Expression.sum(of: (0..<k).map { bits[$0] * Fr(UInt64(1) << $0) })
            constraints.append(inRange * (amount - low))
            func factor(_ i: Int) -> Expression { one + bits[i] * Fr((UInt64(1) << (UInt64(1) << i)) - 1) }
            var previous = factor(0)
            for i in 1..<k {
                constraints.append(chain[i - 1] - previous * factor(i))
                previous = chain[i - 1]
            }
            let fallback: Expression = left ? Expression(Fr.zero) : (one - inRange) * Fr(UInt64(1) << base)
            constraints.append(power - inRange * previous - fallback)
            constraints += [v1.helper, v2.helper].compactMap { $0 }
            if left {
                let a = f[4 + 2 * k]
                let x: Expression, out: Expression
                if width < 64 {
                    let u = cursor.take(self.low), c = cursor.take(high), t = f[4 + 2 * k + 1]
                    let half = Fr(UInt64(1) << (width - 1))
                    x = (c.value - Fr(signed: highOffset)) * Fr(UInt64(1) << width) + t * half + u.value
                    out = signed ? u.value - t * half : u.value + t * half
                    constraints += [t * (t - Fr.one)] + [u.helper, c.helper].compactMap { $0 }
                } else {
                    let value = cursor.take(high)
                    x = value.value - Fr(signed: highOffset)
                    out = x
                    constraints += [value.helper].compactMap { $0 }
                }
                constraints.append(a * power - x)
                return LaneParts(received: [a, amount], out: out, constraints: constraints)
            }
            let r = cursor.take(shiftRemainder), gap = cursor.take(shiftRemainder), qd = cursor.take(high)
            let q = qd.value - Fr(signed: highOffset)
            constraints.append(power - one - r.value - gap.value)
            constraints += [r.helper, gap.helper, qd.helper].compactMap { $0 }
            return LaneParts(received: [power * q + r.value, amount], out: q, constraints: constraints)
        case .truncateInto(let lowest, let highest, _):
            let r = cursor.take(remainder), v = cursor.take(high), v1 = cursor.take(rangeSplit), v2 = cursor.take(rangeSplit)
            let (sigma, inverse, z, t, s1, s2, inRange) = (f[0], f[1], f[2], f[3], f[4], f[5], f[6])
            let q = SignSplit.value(sign: sigma, magnitude: v.value)
            let constraints = [sigma * (sigma - Fr.one), s1 * (s1 - Fr.one), s2 * (s2 - Fr.one),
                               t - (q + (one - sigma) * (one - z)),
                               t - Fr(signed: lowest) - SignSplit.value(sign: s1, magnitude: v1.value),
                               Expression(Fr(signed: highest)) - t - SignSplit.value(sign: s2, magnitude: v2.value),
                               inRange - s1 * s2]
                + ZeroTest.constraints(r.value, inverse, z) + [r.helper, v.helper, v1.helper, v2.helper].compactMap { $0 }
            return LaneParts(received: [q * Fr(UInt64(1) << width) + r.value], out: inRange * t, constraints: constraints)
        default:
            return LaneParts(received: [], out: Expression(Fr.zero), constraints: [])
        }
    }

    /// The kernel's integer (`IntegerArithmetic.apply` and the Cast kernel), Int64.min where no witness exists.
    func computedValue(_ inputs: [Int64]) -> Int64 {
        switch mode {
        case .divideBy(let mod):
            guard let (q, r) = Self.divide(inputs[0], inputs[1]) else { return Int64.min }
            if mod == nil { return q }
            return mod == true && r != 0 && (r < 0) != (inputs[1] < 0) ? r + inputs[1] : r
        case .shiftBy(let left, let base, _):
            let (a, b) = (inputs[0], inputs[1])
            if left {
                guard b >= 0, b < Int64(base) else { return 0 }
                let (x, overflow) = a.multipliedReportingOverflow(by: Int64(1) << b)
                guard !overflow else { return Int64.min }
                return width < 64 ? wrappedOnto(x) : x
            }
            return b >= 0 && b < Int64(base) ? a >> b : a >> Int64(base)
        case .truncateInto(let lowest, let highest, _):
            let x = inputs[0], t = x >= 0 ? x >> Int64(width) : -((0 &- x) >> Int64(width))
            return t >= lowest && t <= highest ? t : 0
        default:
            return Int64.min
        }
    }

    /// x modulo 2^W read as the type.
    func wrappedOnto(_ x: Int64) -> Int64 {
        let mask = (Int64(1) << width) - 1, lowBits = x & mask
        return signed && lowBits >= Int64(1) << (width - 1) ? lowBits - (Int64(1) << width) : lowBits
    }

    func computedWitness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Fr]) {
        switch mode {
        case .divideBy(let mod):
            let (a, d) = (inputs[0], inputs[1])
            guard let (q, r) = Self.divide(a, d) else { throw CompilerError.witnessMismatch("\(name): division of \(a) by \(d)") }
            let (sigma, v) = SignSplit.split(a), (tau, w) = SignSplit.split(d)
            let rho = r.magnitude, g = d.magnitude - 1 - rho
            let bound = UInt64(1) << UInt64(width + 1)
            let qd = q + (Int64(1) << width)
            guard v < bound, w < bound, qd >= 0, UInt64(qd) < bound else {
                throw CompilerError.witnessMismatch("\(name): \(a), \(d) or the quotient outside ±2^\(width)")
            }
            let limbs = magnitude.cells(of: v) + magnitude.cells(of: w) + magnitude.cells(of: rho) + magnitude.cells(of: g)
                + magnitude.cells(of: UInt64(qd))
            var free = [Fr(signed: sigma), Fr(signed: tau), Fr(signed: d)]
            if mod == true {
                let e = sigma + tau - 2 * sigma * tau, z: Int64 = rho == 0 ? 1 : 0, k = (1 - z) * e
                free += [Fr(signed: e), Fr(signed: k)] + ZeroTest.cells(Int64(rho))
            }
            return (limbs, free)
        case .shiftBy(let left, let base, _):
            let (a, b) = (inputs[0], inputs[1]), k = amountBitCount
            let (s1, v1) = SignSplit.split(b)
            let (over, v2Overflow) = Int64(base - 1).subtractingReportingOverflow(b)
            guard !v2Overflow else { throw CompilerError.witnessMismatch("\(name): amount \(b)") }
            let (s2, v2) = SignSplit.split(over)
            let splitBound = UInt64(1) << UInt64(amountSplit.bits)
            guard v1 < splitBound, v2 < splitBound else { throw CompilerError.witnessMismatch("\(name): amount \(b) outside the operand range") }
            let inRange: Int64 = s1 * s2
            let amountBits: [Int64] = (0..<k).map { inRange == 1 ? (b >> Int64($0)) & 1 : 0 }
            // 2^b up to 2^63 (a 64-bit type's left shift by 63): UInt64 holds it, and so does the field.
            var chain: [UInt64] = []
            var previous = UInt64(1 + amountBits[0])   // 2^(2^0) − 1 = 1
            for i in 1..<k {
                previous *= amountBits[i] == 1 ? UInt64(1) << (UInt64(1) << UInt64(i)) : 1
                chain.append(previous)
            }
            let power: UInt64 = inRange == 1 ? previous : (left ? 0 : UInt64(1) << UInt64(base))
            var limbs = amountSplit.cells(of: v1) + amountSplit.cells(of: v2)
            var free: [Fr] = [b, s1, s2, inRange].map { Fr(signed: $0) } + amountBits.map { Fr(signed: $0) } + (chain + [power]).map { Fr($0) }
            if left {
                let wide = Int128(a) * Int128(power)
                guard let x = Int64(exactly: wide) else { throw CompilerError.witnessMismatch("\(name): \(a)·2^\(b) does not fit 64 bits") }
                free.append(Fr(signed: a))
                if width < 64 {
                    let c = x >> Int64(width), rest = x - (c << Int64(width))
                    let t = rest >> Int64(width - 1), u = rest - (t << Int64(width - 1))
                    guard c >= -highOffset, c < highOffset else { throw CompilerError.witnessMismatch("\(name): \(x) outside ±2^\(width + highBits - 1)") }
                    limbs += try self.low.checkedCells(u, "low bits") + high.checkedCells(c + highOffset, "carry (offset)")
                    free.append(Fr(signed: t))
                } else {
                    guard x >= -highOffset, x < highOffset else { throw CompilerError.witnessMismatch("\(name): the result is outside ±2^\(highBits - 1)") }
                    limbs += try high.checkedCells(x + highOffset, "value (offset)")
                }
            } else {
                // base ≤ 62, so P = 2^b or 2^base fits an Int64.
                let p = Int64(power), q = a >> Int64(power.trailingZeroBitCount), r = a - q * p
                guard q >= -highOffset, q < highOffset else { throw CompilerError.witnessMismatch("\(name): quotient \(q) outside ±2^\(highBits - 1)") }
                limbs += try shiftRemainder.checkedCells(r, "remainder") + shiftRemainder.checkedCells(p - 1 - r, "remainder gap")
                    + high.checkedCells(q + highOffset, "quotient (offset)")
            }
            return (limbs, free)
        case .truncateInto(let lowest, let highest, _):
            let x = inputs[0], q = x >> Int64(width), r = x - (q << Int64(width))
            let (sigma, v) = SignSplit.split(q)
            guard v < UInt64(1) << UInt64(highBits) else { throw CompilerError.witnessMismatch("\(name): quotient \(q) outside ±2^\(highBits)") }
            let t = q + (r != 0 && q < 0 ? 1 : 0)
            let (s1, v1) = SignSplit.split(t - lowest), (s2, v2) = SignSplit.split(highest - t)
            let bound = UInt64(1) << UInt64(rangeSplit.bits)
            guard v1 < bound, v2 < bound else { throw CompilerError.witnessMismatch("\(name): \(t) outside the range split") }
            let limbs = try remainder.checkedCells(r, "remainder") + high.cells(of: v) + rangeSplit.cells(of: v1) + rangeSplit.cells(of: v2)
            let free = [Fr(signed: sigma)] + ZeroTest.cells(r) + [Fr(signed: t), Fr(signed: s1), Fr(signed: s2), Fr(signed: s1 * s2)]
            return (limbs, free)
        default:
            throw CompilerError.witnessMismatch("\(name): not a computed-operand mode")
        }
    }
}
