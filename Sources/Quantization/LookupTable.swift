#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A nonlinear function tabulated on 2^D grid points u ∈ [minIndex, maxIndex] at step 2^−t, evaluated by
/// linear interpolation between neighbours (docs/fixed-point.md §6):
///
///     values[u − minIndex] = T[u] = Q_s(f(u / 2^t))      deltas[u − minIndex] = Δ[u] = Q_s(f((u+1) / 2^t)) − T[u]
///
/// Interpolation keeps the table small (256 rows at the defaults: a circuit's height follows its trace, not a
/// table) at a precision a 2^15-row nearest-neighbour table would need. In a circuit the table is a fixed
/// column triple (u, T, Δ), so its entries are what the verifier checks against, whatever libm produced them.
public struct LookupTable: Sendable, Hashable {
    /// expm1 (Elu's negative branch) and softplusTail (log(1 + e^t), Softplus's correction term) are evaluated on
    /// t ≤ 0 like exp.
    /// erf, normalCDF (Φ, the gate of exact Gelu) and geluTanhGate (½(1 + tanh(√(2/π)(x + 0.044715x³))), the gate of
    /// Gelu's tanh approximation) are two-sided like tanh. exp2Unit (2^x) and log1pUnit (ln(1 + x)) are mantissa
    /// tables on [0, 1) (`init(unit:settings:)`), the cores of Exp's and Log's range reductions.
    public enum Function: String, Sendable, Hashable {
        case sigmoid, tanh, exp, expm1, softplusTail, embedding, erf, normalCDF, geluTanhGate, exp2Unit, log1pUnit
        /// sin(2πv) on [0, 1): the core of Sin's and Cos's range reduction to a turn fraction.
        case sinTurn
    }

    public let function: Function
    public let minIndex: Int64
    public let values: [Int64]
    public let deltas: [Int64]
    /// t: the scale of the grid (min(tableScale, s)).
    public let inputScale: Int
    /// k = s − t: an input x at scale s splits into a grid index ⌊x / 2^k⌋ and a fraction of k bits.
    public let shift: Int

    public var maxIndex: Int64 { minIndex + Int64(values.count) - 1 }

    /// sigmoid and tanh cover u ∈ [−2^(D−1), 2^(D−1)); exp (for softmax, whose inputs are ≤ 0) covers
    /// u ∈ [−(2^D − 1), 0]. The grid step is 2^−t with t = min(tableScale, s).
    public init(_ function: Function, settings: QuantizationSettings) {
        self.function = function
        // The grid is never finer than the input: an input splits into a grid index and a k = s − t bit fraction.
        let t = min(settings.tableScale, settings.activationScale)
        self.inputScale = t
        self.shift = settings.activationScale - t
        let rows = Int64(1) << settings.tableBits
        minIndex = function.onNegatives ? -(rows - 1) : -(rows / 2)
        let step = Double(sign: .plus, exponent: -t, significand: 1)
        let s = settings.activationScale
        // One grid point beyond the last row: the last row's Δ interpolates towards it.
        let points = (minIndex...(minIndex + rows)).map { u in
            FixedPoint.quantize(Self.evaluate(function, Double(u) * step), scale: s)!  // |f| ≤ e^(1/2^t) < 3 fits
        }
        values = Array(points.dropLast())
        deltas = (0..<Int(rows)).map { points[$0 + 1] - points[$0] }
    }

    @inlinable public func lookup(_ index: Int64) -> Int64 { values[Int(index - minIndex)] }
    @inlinable public func delta(_ index: Int64) -> Int64 { deltas[Int(index - minIndex)] }

    /// Every integer of one evaluation (spec §6), in the order the circuit's witness uses them.
    public struct Step: Sendable, Equatable {
        /// z = ⌊x / 2^k⌋ and f = x − z·2^k ∈ [0, 2^k).
        public var index: Int64
        public var fraction: Int64
        /// u = min(max(z, minIndex), maxIndex); g = f when z = u (not clamped), else 0.
        public var clampedIndex: Int64
        public var clampedFraction: Int64
        /// q = R_k(Δ[u]·g) with remainder r.
        public var quotient: Int64
        public var remainder: Int64
        /// T[u] + q.
        public var output: Int64

        @inlinable
        public init(index: Int64, fraction: Int64, clampedIndex: Int64, clampedFraction: Int64, quotient: Int64,
                    remainder: Int64, output: Int64) {
            (self.index, self.fraction, self.clampedIndex, self.clampedFraction) = (index, fraction, clampedIndex, clampedFraction)
            (self.quotient, self.remainder, self.output) = (quotient, remainder, output)
        }
    }

    /// A table of `function` on [0, 1): 2^t grid points at step 2^−t, t = min(tableBits, s), so an input
    /// x ∈ [0, 2^s) at scale s splits into a grid index and a k = s − t bit fraction (docs/fixed-point.md §6b).
    public init(unit function: Function, settings: QuantizationSettings) {
        self.function = function
        let s = settings.activationScale
        let t = min(settings.tableBits, s)
        self.inputScale = t
        self.shift = s - t
        minIndex = 0
        let rows = Int64(1) << t
        let step = Double(sign: .plus, exponent: -t, significand: 1)
        let points = (0...rows).map { u in FixedPoint.quantize(Self.evaluate(function, Double(u) * step), scale: s)! }
        values = Array(points.dropLast())
        deltas = (0..<Int(rows)).map { points[$0 + 1] - points[$0] }
    }

    /// An embedding table as a lookup table (no interpolation: Δ = 0, k = 0): key D·i + d for token i ∈ [−V, V)
    /// and column d ∈ [0, D) holds Q_s(table[i mod V][d]) (negative ids count from the end, as Gather does).
    /// Keys are contiguous from −V·D, so one lookup of (key, value) proves a lane's row and column.
    public init(embedding table: [Int64], rows: Int, width: Int) {
        function = .embedding
        inputScale = 0
        shift = 0
        minIndex = -Int64(rows * width)
        var values: [Int64] = []
        values.reserveCapacity(2 * rows * width)
        for _ in 0..<2 { values += table }  // keys −V·D ..< 0 are rows 0 ..< V again
        self.values = values
        deltas = [Int64](repeating: 0, count: values.count)
    }

    /// f(x / 2^s) at scale s for an activation x (|x| < 2^31, so Δ·g < 2^62 never overflows).
    @inlinable
    public func step(_ x: Int64) -> Step {
        let z = x >> Int64(shift)  // arithmetic shift: floor
        let f = x - (z << Int64(shift))
        let u = min(max(z, minIndex), maxIndex)
        let g = u == z ? f : 0
        let (q, r) = FixedPoint.rescale(delta(u) * g, shift: shift)
        return Step(index: z, fraction: f, clampedIndex: u, clampedFraction: g, quotient: q, remainder: r,
                    output: lookup(u) + q)
    }

    /// The real function, for error bounds and the float path.
    public func evaluate(_ x: Double) -> Double { Self.evaluate(function, x) }

    static func evaluate(_ function: Function, _ x: Double) -> Double {
        switch function {
        case .sigmoid: return 1 / (1 + libm.exp(-x))
        case .tanh: return libm.tanh(x)
        case .exp: return libm.exp(x)
        case .expm1: return libm.expm1(x)
        case .softplusTail: return libm.log1p(libm.exp(x))
        case .embedding: return 0  // not a function of a real: its entries are the table's
        case .erf: return libm.erf(x)
        case .normalCDF: return 0.5 * libm.erfc(-x / 2.0.squareRoot())
        case .geluTanhGate: return 0.5 * (1 + libm.tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
        case .exp2Unit: return libm.exp(x * 0.6931471805599453)
        case .log1pUnit: return libm.log1p(x)
        case .sinTurn: return libm.sinTurn(x)
        }
    }

    /// Largest |f'| on the table's domain (for error propagation).
    public var lipschitz: Double {
        switch function {
        case .sigmoid: return 0.25
        case .softplusTail: return 0.5  // σ(t) ≤ ½ on t ≤ 0
        case .tanh, .exp, .expm1: return 1
        case .embedding: return 0
        case .erf: return 1.1284  // 2/√π
        case .normalCDF, .geluTanhGate: return 0.3990  // 1/√(2π), at 0 (sampled for the tanh gate)
        case .exp2Unit: return 1.3863  // 2·ln 2 at x = 1
        case .log1pUnit: return 1
        case .sinTurn: return 2 * Double.pi
        }
    }

    /// Largest |f''| on the table's domain: linear interpolation on a grid of step h is within h²/8·|f''|.
    public var curvature: Double {
        switch function {
        case .sigmoid: return 1 / (6 * 3.0.squareRoot())  // at x = ±ln(2 + √3)
        case .tanh: return 4 / (3 * 3.0.squareRoot())  // at x = ±artanh(1/√3)
        case .exp, .expm1: return 1  // at x = 0 (the domain ends there)
        case .softplusTail: return 0.25  // σ(t)(1 − σ(t))
        case .embedding: return 0
        case .erf: return 0.9679  // 2√2/√π·e^(−½) at x = 1/√2
        case .normalCDF, .geluTanhGate: return 0.2420  // φ(1) at x = ±1 (sampled for the tanh gate: 0.2414)
        case .exp2Unit: return 0.9610  // 2·ln²2 at x = 1
        case .log1pUnit: return 1  // at x = 0
        case .sinTurn: return 4 * Double.pi * Double.pi  // (2π)² at v = ¼
        }
    }

    /// Worst |f(y) − f(edge)| for inputs clamped to an edge grid point: below minIndex, above maxIndex.
    public var clampTails: (low: Double, high: Double) {
        let step = Double(sign: .plus, exponent: -inputScale, significand: 1)
        let low = evaluate(Double(minIndex) * step), high = evaluate(Double(maxIndex) * step)
        switch function {
        case .sigmoid: return (low, 1 - high)
        case .tanh: return (low + 1, 1 - high)
        case .exp: return (low, 0)  // softmax inputs are ≤ 0: never above u = 0
        // Elu's and Softplus's compositions feed these t ≤ 0 only; above the grid the table would clamp at u = 0,
        // so a bound whose input may pass it is vacuous.
        case .expm1: return (low + 1, .infinity)  // expm1(−∞) = −1
        case .softplusTail: return (low, .infinity)
        case .embedding: return (0, 0)
        case .erf: return (low + 1, 1 - high)
        case .normalCDF, .geluTanhGate: return (low, 1 - high)
        case .exp2Unit, .log1pUnit, .sinTurn: return (0, 0)  // inputs are always on [0, 1)
        }
    }
}

extension LookupTable.Function {
    /// Tables of functions used on t ≤ 0 only cover u ∈ [−(2^D − 1), 0].
    public var onNegatives: Bool { self == .exp || self == .expm1 || self == .softplusTail }
}

/// The C library's functions under one name, so that enum cases such as `.exp` and `.tanh` cannot shadow them.
private enum libm {
    static func erf(_ x: Double) -> Double { _libmErf(x) }
    static func erfc(_ x: Double) -> Double { _libmErfc(x) }
    static func exp(_ x: Double) -> Double { _libmExp(x) }
    static func tanh(_ x: Double) -> Double { _libmTanh(x) }
    static func expm1(_ x: Double) -> Double { _libmExpm1(x) }
    static func log1p(_ x: Double) -> Double { _libmLog1p(x) }
    static func sinTurn(_ x: Double) -> Double { _libmSin(2 * Double.pi * x) }
}

private func _libmErf(_ x: Double) -> Double { erf(x) }
private func _libmErfc(_ x: Double) -> Double { erfc(x) }
private func _libmExp(_ x: Double) -> Double { exp(x) }
private func _libmTanh(_ x: Double) -> Double { tanh(x) }
private func _libmExpm1(_ x: Double) -> Double { expm1(x) }
private func _libmLog1p(_ x: Double) -> Double { log1p(x) }
private func _libmSin(_ x: Double) -> Double { sin(x) }
