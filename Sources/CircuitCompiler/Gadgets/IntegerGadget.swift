import ConstraintSystem
import FieldArithmetic

/// Arithmetic on integer-typed tensors (docs/fixed-point.md §5d), one lane per output element; every output is
/// the kernel's exact integer, wrapped as the element type wraps:
///
/// - `wrap` (Add, Sub, Mul by a constant, BitShift LEFT, a narrowing Cast): the port receives x (a ± b, k·a,
///   a·2^b or a, from the fold; with `product`, two ports a, b and x = a·b) and
///
///       x = 2^W·c + 2^(W−1)·t + u,   u ∈ [0, 2^(W−1)) by limbs, t a bit, c + 2^(m−1) ∈ [0, 2^m) by limbs
///
///   out = u − 2^(W−1)·t (signed) or u + 2^(W−1)·t (unsigned): x modulo 2^W read as the type. Unique, since
///   2^(W−1)·t + u covers [0, 2^W) once.
/// - `exact` (the same on the 64-bit types, which never wrap in a circuit): x + 2^(m−1) ∈ [0, 2^m) by limbs
///   (m ≤ 62), out = x.
/// - `shiftRight` (BitShift RIGHT): the port receives x = a·2^(W−b) (W here the shift base R) and
///   x = 2^W·q + r, r ∈ [0, 2^W) by limbs, q + 2^(m−1) ∈ [0, 2^m) by limbs: out = q = ⌊a/2^b⌋.
/// - `and`, `or`, `xor` (BitwiseAnd/Or/Xor; BitwiseNot is Xor with all ones): two ports a, b, each as W bits
///   (free cells, β·(β − 1) = 0) with weights 2^i below the top bit and ∓2^(W−1) on it (two's complement when
///   `signed`): out = Σ w_i·f(a_i, b_i) with f = a_i·b_i, a_i + b_i − a_i·b_i, a_i + b_i − 2·a_i·b_i.
///
/// - `max`, `min` (Max, Min, Clip): two ports receiving d = a − b and b; d = (2σ − 1)·v + σ − 1 (`SignSplit`,
///   v ∈ [0, 2^m) by limbs, σ = [a ≥ b]), b a free cell: out = b + σ·v (Max) or b + d − σ·v (Min).
///
/// - `truncate` (Cast of a real onto an integer type whose range holds every result; W here the scale s): the port
///   receives the activation x, x = 2^s·q + r with r ∈ [0, 2^s) by limbs, q = (2σ − 1)·v + σ − 1 (v ∈ [0, 2^m) by
///   limbs), z = [r = 0] (isZero cells: r·z = 0, r·i + z − 1 = 0): t = q + (1 − σ)·(1 − z) rounds toward zero
///   (a negative q with a remainder steps up); out = t (signed) or σ·v (unsigned: 0 for t < 0).
/// - `divide(mod:)` (Div, Mod by a constant divisor d per element; W here ob, the operands' bits): ports receive
///   a − d·q (q the lane's own extra produced value, read back through the fold), |d| − 1, a, and for Mod d and
///   [d > 0]. a = (2σ − 1)·v + σ − 1 (σ = [a ≥ 0]), r = (2σ − 1)·ρ with ρ and g = |d| − 1 − ρ ≥ 0 by limbs: the
///   remainder has a's sign and |r| < |d|, so r and q = (a − r)/d are the truncated division's. Div: out = q.
///   Mod: fmod = 1 out = r; fmod = 0 out = r + D·k, k = (1 − z)·e, e = σ + Δ − 2σΔ (D = d, Δ = [d > 0] received,
///   z = [ρ = 0] by isZero cells): the divisor's sign, as Python's %.
///
/// Trace integers: [x] (wrap, exact, shiftRight, truncate), [a, b] (product, bitwise), [a − b, b] (max, min) or
/// [a, d] (divide).
public struct IntegerGadget: LaneGadget {
    public enum Mode: Hashable, Sendable {
        case wrap(product: Bool)
        case exact(product: Bool)
        case shiftRight
        case and, or, xor
        case max, min
        case truncate
        /// nil: Div; false: Mod with fmod = 1 (the dividend's sign); true: Mod with fmod = 0 (the divisor's).
        case divide(mod: Bool?)
        /// Div and Mod by a computed divisor (`IntegerGadget+Computed.swift`; `mod` as in `divide`).
        case divideBy(mod: Bool?)
        /// BitShift by a computed amount: in range when 0 ≤ b < base (W left, min(W, B) right); `amountBits`
        /// covers the amount's sign splits (`IntegerGadget+Computed.swift`).
        case shiftBy(left: Bool, base: Int, amountBits: Int)
        /// Cast of a real onto a type narrower than the truncation's range: truncate, then 0 outside [low, high]
        /// (two sign splits of `rangeBits`; `IntegerGadget+Computed.swift`).
        case truncateInto(low: Int64, high: Int64, rangeBits: Int)
    }

    /// Width of the range-checked limbs (the range table has 2^limbBits rows); set by the plan.
    public var limbBits = 8
    public let mode: Mode
    /// W: the type's bits (wrap), the shift base (shiftRight) or the bits of each operand (bitwise).
    public let width: Int
    public let signed: Bool
    /// m: the bits of c (wrap), of x (exact) or of q (shiftRight).
    public let highBits: Int

    public init(mode: Mode, width: Int, signed: Bool, highBits: Int) {
        self.mode = mode
        self.width = width
        self.signed = signed
        self.highBits = highBits
    }

    var isProduct: Bool {
        switch mode {
        case .wrap(let p), .exact(let p): return p
        default: return false
        }
    }
    var isBitwise: Bool { mode == .and || mode == .or || mode == .xor }

    var low: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: width - 1) }
    var remainder: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: width) }
    var high: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: highBits) }
    var highOffset: Int64 { Int64(1) << (highBits - 1) }

    public var name: String {
        let type = "\(signed ? "i" : "u")\(width)"
        switch mode {
        case .wrap(let p): return "int_wrap\(p ? "_mul" : "")_\(type)_\(highBits)"
        case .exact(let p): return "int_exact\(p ? "_mul" : "")_\(highBits)"
        case .shiftRight: return "int_shr\(width)_\(highBits)"
        case .and: return "int_and_\(type)"
        case .or: return "int_or_\(type)"
        case .xor: return "int_xor_\(type)"
        case .max: return "int_max_\(highBits)"
        case .min: return "int_min_\(highBits)"
        case .truncate: return "int_trunc\(width)_\(signed ? "i" : "u")\(highBits)"
        case .divide(let mod): return "int_\(mod == nil ? "div" : mod! ? "mod" : "fmod")\(width)"
        case .divideBy, .shiftBy, .truncateInto: return computedName
        }
    }

    public var limbCells: Int {
        switch mode {
        case .wrap: return low.cellCount + high.cellCount
        case .exact: return high.cellCount
        case .shiftRight: return remainder.cellCount + high.cellCount
        case .and, .or, .xor: return 0
        case .max, .min: return high.cellCount
        case .truncate: return remainder.cellCount + high.cellCount
        case .divide: return 4 * magnitude.cellCount   // v, ρ, g, q + 2^ob (ob + 1 bits each)
        case .divideBy, .shiftBy, .truncateInto: return computedLimbCells
        }
    }

    /// The divide mode's decompositions: v of a's sign split, ρ = |r|, the gap g and q + 2^ob.
    var magnitude: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: width + 1) }

    public var freeCells: Int {
        switch mode {
        case .wrap(let p): return 1 + (p ? 2 : 0)   // t (, a, b)
        case .exact(let p): return p ? 2 : 0        // (a, b)
        case .shiftRight: return 0
        case .and, .or, .xor: return 2 * width      // a's bits, b's bits
        case .max, .min: return 2                   // σ, b
        case .truncate: return 3                    // σ, i, z
        case .divide(let mod): return mod == true ? 7 : 1   // σ (, D, Δ, e, k, i, z)
        case .divideBy, .shiftBy, .truncateInto: return computedFreeCells
        }
    }

    public var receivedCount: Int {
        if case .divide(let mod) = mode { return mod == true ? 5 : 3 }
        if case .divideBy = mode { return 2 }
        if case .shiftBy = mode { return 2 }
        return isProduct || isBitwise || mode == .max || mode == .min ? 2 : 1
    }

    public var extraProducedCount: Int { if case .divide = mode { return 1 } else { return 0 } }
    /// The divide mode's quotient q (read back by its first port's equation).
    public func extraProduced(_ cells: LaneCells) -> [Expression] {
        guard case .divide = mode else { return [] }
        var cursor = LimbCursor(cells.limbs)
        for _ in 0..<3 { _ = cursor.take(magnitude) }
        return [cursor.take(magnitude).value - Fr(UInt64(1) << width)]
    }

    /// The weight of bit i of a W-bit operand.
    func bitWeight(_ i: Int) -> Fr {
        let w = Fr(UInt64(1) << (i))
        return i == width - 1 && signed ? Fr.zero - w : w
    }

    private func parts(_ cells: LaneCells) -> LaneParts {
        var cursor = LimbCursor(cells.limbs)
        let f = cells.free
        switch mode {
        case .wrap(let product):
            let u = cursor.take(low), c = cursor.take(high), t = f[0]
            let half = Fr(UInt64(1) << (width - 1))
            let x = (c.value - Fr(signed: highOffset)) * Fr(UInt64(1) << width) + t * half + u.value
            let out = signed ? u.value - t * half : u.value + t * half
            var constraints = [t * (t - Fr.one)] + [u.helper, c.helper].compactMap { $0 }
            if product { constraints.append(f[1] * f[2] - x) }
            return LaneParts(received: product ? [f[1], f[2]] : [x], out: out, constraints: constraints)
        case .exact(let product):
            let v = cursor.take(high)
            let x = v.value - Fr(signed: highOffset)
            var constraints = [v.helper].compactMap { $0 }
            if product { constraints.append(f[0] * f[1] - x) }
            return LaneParts(received: product ? [f[0], f[1]] : [x], out: x, constraints: constraints)
        case .shiftRight:
            let r = cursor.take(remainder), q = cursor.take(high)
            let quotient = q.value - Fr(signed: highOffset)
            return LaneParts(received: [quotient * Fr(UInt64(1) << width) + r.value], out: quotient,
                         constraints: [r.helper, q.helper].compactMap { $0 })
        case .max, .min:
            let v = cursor.take(high), (sigma, b) = (f[0], f[1])
            let d = SignSplit.value(sign: sigma, magnitude: v.value)
            let out = mode == .max ? b + sigma * v.value : b + d - sigma * v.value
            return LaneParts(received: [d, b], out: out, constraints: [sigma * (sigma - Fr.one)] + [v.helper].compactMap { $0 })
        case .truncate:
            let r = cursor.take(remainder), v = cursor.take(high), (sigma, inverse, z) = (f[0], f[1], f[2])
            let q = SignSplit.value(sign: sigma, magnitude: v.value)
            let one = Expression(Fr.one)
            let out = signed ? q + (one - sigma) * (one - z) : sigma * v.value
            return LaneParts(received: [q * Fr(UInt64(1) << width) + r.value], out: out,
                         constraints: [sigma * (sigma - Fr.one)] + ZeroTest.constraints(r.value, inverse, z)
                             + [r.helper, v.helper].compactMap { $0 })
        case .divideBy, .shiftBy, .truncateInto:
            return computedParts(cells)
        case .divide(let mod):
            let v = cursor.take(magnitude), rho = cursor.take(magnitude), g = cursor.take(magnitude), qd = cursor.take(magnitude)
            let q = qd.value - Fr(UInt64(1) << width), sigma = f[0]
            let r = (sigma * Fr(2) - Fr.one) * rho.value
            var constraints = [sigma * (sigma - Fr.one)] + [v.helper, rho.helper, g.helper, qd.helper].compactMap { $0 }
            var received = [r, rho.value + g.value, SignSplit.value(sign: sigma, magnitude: v.value)]
            var out = mod == nil ? q : r
            if mod == true {
                let (d, delta, e, k, inverse, z) = (f[1], f[2], f[3], f[4], f[5], f[6])
                received += [d, delta]
                constraints += [e - (sigma + delta - sigma * delta * Fr(2)), k - (Expression(Fr.one) - z) * e]
                    + ZeroTest.constraints(rho.value, inverse, z)
                out = r + d * k
            }
            return LaneParts(received: received, out: out, constraints: constraints)
        case .and, .or, .xor:
            let a = Array(f[0..<width]), b = Array(f[width..<(2 * width)])
            var aTerms: [Expression] = [], bTerms: [Expression] = [], outTerms: [Expression] = []
            var constraints: [Expression] = []
            for i in 0..<width {
                let w = bitWeight(i), p = a[i] * b[i]
                let bit: Expression
                switch mode {
                case .and: bit = p
                case .or: bit = a[i] + b[i] - p
                default: bit = a[i] + b[i] - p * Fr(2)
                }
                aTerms.append(a[i] * w)
                bTerms.append(b[i] * w)
                outTerms.append(bit * w)
                constraints += [a[i] * (a[i] - Fr.one), b[i] * (b[i] - Fr.one)]
            }
            return LaneParts(received: [Expression.sum(of: aTerms), Expression.sum(of: bTerms)], out: Expression.sum(of: outTerms),
                         constraints: constraints)
        }
    }

    public func received(_ cells: LaneCells) -> [Expression] { parts(cells).received }
    public func produced(_ cells: LaneCells) -> Expression { parts(cells).out }
    public func constraints(_ cells: LaneCells) -> [Expression] { parts(cells).constraints }

    /// Zeros (0 / 1 for a division: a padding lane must have a witness too).
    public var paddingInputs: [Int64] {
        switch mode {
        case .divide, .divideBy: return [0, 1]
        case .truncateInto: return [0]
        default: break
        }
        return [Int64](repeating: 0, count: receivedCount)
    }

    /// x of the wrap and exact modes (a·b for a product), nil when it does not fit 64 bits.
    private func received(_ inputs: [Int64]) -> Int64? {
        guard isProduct else { return inputs[0] }
        let (x, overflow) = inputs[0].multipliedReportingOverflow(by: inputs[1])
        return overflow ? nil : x
    }

    /// x modulo 2^W read as the type.
    private func wrapped(_ x: Int64) -> Int64 {
        let mask = (Int64(1) << width) - 1, lowBits = x & mask
        return signed && lowBits >= Int64(1) << (width - 1) ? lowBits - (Int64(1) << width) : lowBits
    }

    /// The W bits of a (two's complement on the signed top bit), nil when a is outside the operand range.
    private func bits(_ a: Int64) -> [Int64]? {
        let top = Int64(1) << (width - 1)
        guard signed ? (a >= -top && a < top) : (a >= 0 && a < 2 * top) else { return nil }
        return (0..<width).map { (a >> Int64($0)) & 1 }
    }

    public func producedValue(_ inputs: [Int64]) -> Int64 {
        switch mode {
        case .wrap: return received(inputs).map(wrapped) ?? Int64.min
        case .exact: return received(inputs) ?? Int64.min
        case .shiftRight: return inputs[0] >> Int64(width)
        case .truncate:
            let x = inputs[0], t = x >= 0 ? x >> Int64(width) : -((0 &- x) >> Int64(width))
            return signed || t >= 0 ? t : 0
        case .divide(let mod):
            guard let (q, r) = Self.divide(inputs[0], inputs[1]) else { return Int64.min }
            if mod == nil { return q }
            return mod == true && r != 0 && (r < 0) != (inputs[1] < 0) ? r + inputs[1] : r
        case .divideBy, .shiftBy, .truncateInto: return computedValue(inputs)
        case .max: return inputs[0] >= 0 ? inputs[1] &+ inputs[0] : inputs[1]
        case .min: return inputs[0] >= 0 ? inputs[1] : inputs[1] &+ inputs[0]
        case .and, .or, .xor:
            guard let a = bits(inputs[0]), let b = bits(inputs[1]) else { return Int64.min }
            var out: Int64 = 0
            for i in 0..<width {
                let bit: Int64 = mode == .and ? a[i] & b[i] : mode == .or ? a[i] | b[i] : a[i] ^ b[i]
                let w = Int64(1) << Int64(i)
                out += i == width - 1 && signed ? -bit * w : bit * w
            }
            return out
        }
    }

    /// Truncated division (q toward zero, r with a's sign), nil for d = 0 or a quotient beyond 64 bits.
    static func divide(_ a: Int64, _ d: Int64) -> (q: Int64, r: Int64)? {
        guard d != 0, !(a == Int64.min && d == -1) else { return nil }
        return (a / d, a % d)
    }

    /// The truncate and Mod modes' inverse cell is an arbitrary field element; every other cell is an integer.
    public func fieldWitness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Fr]) {
        switch mode {
        case .divideBy, .shiftBy, .truncateInto: return try computedWitness(inputs)
        default: break
        }
        if case .divide(let mod) = mode {
            let (a, d) = (inputs[0], inputs[1])
            guard let (q, r) = Self.divide(a, d) else { throw CompilerError.witnessMismatch("\(name): division of \(a) by \(d)") }
            let (sigma, v) = SignSplit.split(a)
            let rho = r.magnitude, g = d.magnitude - 1 - rho
            let bound = UInt64(1) << UInt64(width + 1)
            let qd = q + (Int64(1) << width)
            guard v < bound, d.magnitude <= bound, qd >= 0, UInt64(qd) < bound else {
                throw CompilerError.witnessMismatch("\(name): \(a) or \(d) outside ±2^\(width)")
            }
            let limbs = magnitude.cells(of: v) + magnitude.cells(of: rho) + magnitude.cells(of: g) + magnitude.cells(of: UInt64(qd))
            var free = [Fr(signed: sigma)]
            if mod == true {
                let delta: Int64 = d > 0 ? 1 : 0
                let e = sigma + delta - 2 * sigma * delta, z: Int64 = rho == 0 ? 1 : 0, k = (1 - z) * e
                free += [Fr(signed: d), Fr(signed: delta), Fr(signed: e), Fr(signed: k)] + ZeroTest.cells(Int64(rho))
            }
            return (limbs, free)
        }
        guard mode == .truncate else {
            let (limbs, free) = try witness(inputs)
            return (limbs, free.map { Fr(signed: $0) })
        }
        let x = inputs[0], q = x >> Int64(width), r = x - (q << Int64(width))
        let (sigma, v) = SignSplit.split(q)
        guard v < UInt64(1) << UInt64(highBits) else { throw CompilerError.witnessMismatch("\(name): quotient \(q) outside ±2^\(highBits)") }
        return (try remainder.checkedCells(r, "remainder") + high.cells(of: v), [Fr(signed: sigma)] + ZeroTest.cells(r))
    }

    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        switch mode {
        case .truncate, .divide, .divideBy, .shiftBy, .truncateInto:
            let (limbs, free) = try fieldWitness(inputs)
            return (limbs, try ZeroTest.integerCells(free, gadget: name))
        case .wrap(let product):
            guard let x = received(inputs) else { throw CompilerError.witnessMismatch("\(name): product \(inputs[0])·\(inputs[1]) does not fit 64 bits") }
            let c = x >> Int64(width), rest = x - (c << Int64(width))
            let t = rest >> Int64(width - 1), u = rest - (t << Int64(width - 1))
            guard c >= -highOffset, c < highOffset else { throw CompilerError.witnessMismatch("\(name): \(x) outside ±2^\(width + highBits - 1)") }
            return (try low.checkedCells(u, "low bits") + high.checkedCells(c + highOffset, "carry (offset)"),
                    [t] + (product ? [inputs[0], inputs[1]] : []))
        case .exact(let product):
            guard let x = received(inputs), x >= -highOffset, x < highOffset else {
                throw CompilerError.witnessMismatch("\(name): the result is outside ±2^\(highBits - 1)")
            }
            return (try high.checkedCells(x + highOffset, "value (offset)"), product ? [inputs[0], inputs[1]] : [])
        case .shiftRight:
            let x = inputs[0], q = x >> Int64(width), r = x - (q << Int64(width))
            guard q >= -highOffset, q < highOffset else { throw CompilerError.witnessMismatch("\(name): quotient \(q) outside ±2^\(highBits - 1)") }
            return (try remainder.checkedCells(r, "remainder") + high.checkedCells(q + highOffset, "quotient (offset)"), [])
        case .max, .min:
            let (sigma, v) = SignSplit.split(inputs[0])
            guard v < UInt64(1) << UInt64(highBits) else { throw CompilerError.witnessMismatch("\(name): difference \(inputs[0]) outside ±2^\(highBits)") }
            return (high.cells(of: v), [sigma, inputs[1]])
        case .and, .or, .xor:
            guard let a = bits(inputs[0]), let b = bits(inputs[1]) else {
                throw CompilerError.witnessMismatch("\(name): operand \(inputs[0]) or \(inputs[1]) outside the \(width)-bit \(signed ? "signed" : "unsigned") range")
            }
            return ([], a + b)
        }
    }
}
