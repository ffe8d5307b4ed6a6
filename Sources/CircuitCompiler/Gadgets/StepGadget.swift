import ConstraintSystem
import FieldArithmetic

/// The piecewise-constant operators of docs/fixed-point.md §5b, one lane per output element. Every output is exact
/// (the kernel's integers), so each mode pins its output to one value:
///
/// - `atLeast(offset)` (Greater, GreaterOrEqual, Less, LessOrEqual): the port receives d (a − b, or b − a for
///   Less/LessOrEqual) and d − offset = split(s, v) (`SignSplit`, v's bits cover d's whole range): out = s =
///   [d ≥ offset]; offset 1 makes the comparison strict.
/// - `isZero` (Equal on a − b, Not on a): free cells d, i, z with d·z = 0 and d·i + z − 1 = 0, so z = 1 exactly
///   when d = 0 (d ≠ 0 forces z = 0 and then i = 1/d; d = 0 forces z = 1): out = z.
/// - `logic` (And, Or, Xor): two ports a, b, each with its isZero cells (p = 1 − z_a = [a ≠ 0], q likewise): out =
///   p·q, p + q − p·q or p + q − 2·p·q.
/// - `floor`, `ceil`, `round` of x/2^s to whole units (at scale 2^s, s ≥ 1): x = 2^s·q + r (floor),
///   x = 2^s·q − r (ceil), with r ∈ [0, 2^s) by limbs and q + 2^(B−s) ∈ [0, 2^(B−s+1)); out = 2^s·q. Round (half
///   to even): x + 2^(s−1) = 2^s·(2h + t) + r, t a bit, z = [r = 0] (isZero cells on r): out = 2^s·(2h + t − z·t),
///   which steps back from an odd quotient exactly at a tie.
/// - `sign` (unit 2^s, or 1 for an integer tensor): x = split(s, v) and z = [v = 0] (isZero cells on v): out =
///   unit·(2s − 1 − s·z).
public struct StepGadget: LaneGadget {
    public enum Mode: Hashable, Sendable {
        case atLeast(offset: Int64)
        case isZero
        case and, or, xor
        case floor, ceil, round
        case sign
    }

    /// Width of the range-checked limbs (the range table has 2^limbBits rows); set by the plan.
    public var limbBits = 8
    public let mode: Mode
    /// The bits of the magnitude or quotient decompositions: |d − offset| < 2^bits for `atLeast`, the activation
    /// bits B for the rounding modes and `sign`.
    public let bits: Int
    /// s of the rounding modes; the unit of `sign` is 2^scale.
    public let scale: Int

    public init(mode: Mode, bits: Int, scale: Int = 0) {
        self.mode = mode
        self.bits = bits
        self.scale = scale
    }

    var magnitude: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: bits) }
    var remainder: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: scale) }
    /// The quotient q + 2^(B−s) of floor and ceil; Round's h + 2^(B−s−1).
    var quotient: LimbDecomposition { LimbDecomposition(limbBits: limbBits, bits: mode == .round ? bits - scale : bits - scale + 1) }
    var quotientOffset: Int64 { Int64(1) << (mode == .round ? bits - scale - 1 : bits - scale) }

    public var name: String {
        switch mode {
        case .atLeast(let offset): return "atleast\(offset)_\(bits)"
        case .isZero: return "iszero"
        case .and: return "and"
        case .or: return "or"
        case .xor: return "xor"
        case .floor: return "floor\(scale)_\(bits)"
        case .ceil: return "ceil\(scale)_\(bits)"
        case .round: return "round\(scale)_\(bits)"
        case .sign: return "sign\(scale)_\(bits)"
        }
    }

    public var limbCells: Int {
        switch mode {
        case .atLeast: return magnitude.cellCount
        case .isZero, .and, .or, .xor: return 0
        case .floor, .ceil, .round: return remainder.cellCount + quotient.cellCount
        case .sign: return LimbDecomposition(limbBits: limbBits, bits: bits - 1).cellCount
        }
    }

    public var freeCells: Int {
        switch mode {
        case .atLeast: return 1                   // s
        case .isZero: return 3                    // d, i, z
        case .and, .or, .xor: return 6            // a, i_a, z_a, b, i_b, z_b
        case .floor, .ceil: return 0
        case .round: return 3                     // t, i, z
        case .sign: return 3                      // s, i, z
        }
    }

    public var receivedCount: Int { [.and, .or, .xor].contains(mode) ? 2 : 1 }

    private func parts(_ cells: LaneCells) -> LaneParts {
        var cursor = LimbCursor(cells.limbs)
        let f = cells.free
        let one = Expression(Fr.one)
        switch mode {
        case .atLeast(let offset):
            let v = cursor.take(magnitude), s = f[0]
            return LaneParts(received: [SignSplit.value(sign: s, magnitude: v.value) + Fr(signed: offset)], out: s,
                         constraints: [s * (s - Fr.one)] + [v.helper].compactMap { $0 })
        case .isZero:
            return LaneParts(received: [f[0]], out: f[2], constraints: ZeroTest.constraints(f[0], f[1], f[2]))
        case .and, .or, .xor:
            let p = one - f[2], q = one - f[5]
            let out: Expression
            switch mode {
            case .and: out = p * q
            case .or: out = p + q - p * q
            default: out = p + q - p * q * Fr(2)
            }
            return LaneParts(received: [f[0], f[3]], out: out,
                         constraints: ZeroTest.constraints(f[0], f[1], f[2]) + ZeroTest.constraints(f[3], f[4], f[5]))
        case .floor, .ceil:
            let r = cursor.take(remainder), q = cursor.take(quotient)
            let quotientValue = q.value - Fr(signed: quotientOffset), unit = Fr(UInt64(1) << scale)
            let x = mode == .floor ? quotientValue * unit + r.value : quotientValue * unit - r.value
            return LaneParts(received: [x], out: quotientValue * unit, constraints: [r.helper, q.helper].compactMap { $0 })
        case .round:
            let r = cursor.take(remainder), h = cursor.take(quotient)
            let (t, inverse, z) = (f[0], f[1], f[2])
            let unit = Fr(UInt64(1) << scale)
            let whole = (h.value - Fr(signed: quotientOffset)) * Fr(2) + t
            let x = whole * unit + r.value - Fr(UInt64(1) << (scale - 1))
            return LaneParts(received: [x], out: (whole - z * t) * unit,
                         constraints: [t * (t - Fr.one)] + ZeroTest.constraints(r.value, inverse, z) + [r.helper, h.helper].compactMap { $0 })
        case .sign:
            let v = cursor.take(LimbDecomposition(limbBits: limbBits, bits: bits - 1))
            let (s, inverse, z) = (f[0], f[1], f[2])
            let unit = Fr(UInt64(1) << scale)
            return LaneParts(received: [SignSplit.value(sign: s, magnitude: v.value)], out: (s * Fr(2) - Fr.one - s * z) * unit,
                         constraints: [s * (s - Fr.one)] + ZeroTest.constraints(v.value, inverse, z) + [v.helper].compactMap { $0 })
        }
    }

    public func received(_ cells: LaneCells) -> [Expression] { parts(cells).received }
    public func produced(_ cells: LaneCells) -> Expression { parts(cells).out }
    public func constraints(_ cells: LaneCells) -> [Expression] { parts(cells).constraints }

    /// Trace integers: the received values (d; or a, b for the logic modes). A padding lane needs no inverse
    /// (Round's at −2^(s−1) has remainder 0), so its cells are integers (`witness`).
    public var paddingInputs: [Int64] {
        mode == .round ? [-(Int64(1) << (scale - 1))] : [Int64](repeating: 0, count: receivedCount)
    }

    public func producedValue(_ inputs: [Int64]) -> Int64 {
        let x = inputs[0]
        let one = Int64(1) << scale
        switch mode {
        case .atLeast(let offset): return x >= offset ? 1 : 0
        case .isZero: return x == 0 ? 1 : 0
        case .and: return x != 0 && inputs[1] != 0 ? 1 : 0
        case .or: return x != 0 || inputs[1] != 0 ? 1 : 0
        case .xor: return (x != 0) != (inputs[1] != 0) ? 1 : 0
        case .floor: return (x >> scale) << scale
        case .ceil: return -(((-x) >> scale) << scale)
        case .round:
            let q = x >> scale, r = x - (q << scale), half = one >> 1
            return (r > half || (r == half && q & 1 == 1) ? q + 1 : q) << scale
        case .sign: return x.signum() * one
        }
    }

    /// Integer cells only where no inverse is needed (padding lanes, zero inputs); the witness builder uses
    /// `fieldWitness`, since an inverse is an arbitrary field element.
    public func witness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Int64]) {
        let (limbs, free) = try fieldWitness(inputs)
        return (limbs, try ZeroTest.integerCells(free, gadget: name))
    }

    /// The lane's cells, free cells as field elements (inverses are arbitrary field elements).
    public func fieldWitness(_ inputs: [Int64]) throws -> (limbs: [Int64], free: [Fr]) {
        let x = inputs[0]
        let bound = Int64(1) << (bits - 1)
        func activation(_ v: Int64) throws {
            guard v >= -bound, v < bound else { throw CompilerError.witnessMismatch("\(name): input \(v) outside the activation range") }
        }
        switch mode {
        case .atLeast(let offset):
            let (s, v) = SignSplit.split(x - offset)
            guard v < UInt64(1) << bits else { throw CompilerError.witnessMismatch("\(name): difference \(x) outside ±2^\(bits)") }
            return (magnitude.cells(of: v), [Fr(signed: s)])
        case .isZero:
            return ([], [Fr(signed: x)] + ZeroTest.cells(x))
        case .and, .or, .xor:
            return ([], [Fr(signed: x)] + ZeroTest.cells(x) + [Fr(signed: inputs[1])] + ZeroTest.cells(inputs[1]))
        case .floor, .ceil:
            try activation(x)
            let q = mode == .floor ? x >> scale : -((-x) >> scale)
            let r = mode == .floor ? x - (q << scale) : (q << scale) - x
            return (try remainder.checkedCells(r, "remainder") + quotient.checkedCells(q + quotientOffset, "quotient (offset)"), [])
        case .round:
            try activation(x)
            let shifted = x + (Int64(1) << (scale - 1))
            let whole = shifted >> scale, r = shifted - (whole << scale)
            let t = whole & 1, h = (whole - t) / 2
            let limbs = try remainder.checkedCells(r, "remainder") + quotient.checkedCells(h + quotientOffset, "half quotient (offset)")
            return (limbs, [Fr(signed: t)] + ZeroTest.cells(r))
        case .sign:
            try activation(x)
            let (s, v) = SignSplit.split(x)
            return (LimbDecomposition(limbBits: limbBits, bits: bits - 1).cells(of: v), [Fr(signed: s)] + ZeroTest.cells(Int64(v)))
        }
    }
}
