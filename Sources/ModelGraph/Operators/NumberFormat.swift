/// The set of values a Cast rounds onto: ONNX's element types as ZKInfer computes them. float32 and double are
/// `real` (the float path computes in Double, the fixed-point path at scale 2^s), so a Cast between them is the
/// identity; every narrower type rounds (docs/fixed-point.md §5 has the integer semantics and the bound).
public enum NumberFormat: Sendable, Equatable, CustomStringConvertible {
    case real
    case bool
    /// A two's-complement (`signed`) or unsigned integer of `bits` bits (2, 4, 8, 16, 32, 64).
    case integer(bits: Int, signed: Bool)
    /// A binary floating-point format narrower than double: float16, bfloat16, the float8 and float4 formats.
    case float(FloatFormat)
    /// float8e8m0: a power of two 2^k, k in −127...127 (no sign, no zero).
    case powerOfTwo(rounding: PowerOfTwoRounding, saturate: Bool)

    public enum PowerOfTwoRounding: Sendable, Equatable { case up, down, nearest }

    public var isInteger: Bool {
        switch self {
        case .integer, .bool: return true
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .real: return "float"
        case .bool: return "bool"
        case .integer(let bits, let signed): return "\(signed ? "" : "u")int\(bits)"
        case .float(let format): return format.name
        case .powerOfTwo: return "float8e8m0"
        }
    }

    /// Smallest and largest value of an integer format (64-bit unsigned is capped to what an Int64 holds).
    public var integerRange: ClosedRange<Int64>? {
        guard case .integer(let bits, let signed) = self else { return nil }
        if bits >= 64 { return signed ? Int64.min...Int64.max : 0...Int64.max }
        return signed ? -(Int64(1) << (bits - 1))...(Int64(1) << (bits - 1)) - 1 : 0...(Int64(1) << bits) - 1
    }

    /// An integer value of a wider integer type, converted as ONNX specifies for integer → integer: the bits
    /// above `bits` are discarded and the rest reinterpreted (200 as int8 is −56).
    @inlinable public func wrap(_ v: Int64) -> Int64 {
        guard case .integer(let bits, let signed) = self, bits < 64 else { return v }
        let mask = (Int64(1) << bits) - 1
        let low = v & mask
        return signed && low >= Int64(1) << (bits - 1) ? low - (Int64(1) << bits) : low
    }

    /// The value `x` cast to this format, as a real number. `fromInteger`: `x` is an integer-typed value (an
    /// integer → integer cast wraps; a float → integer cast truncates toward zero and gives 0 out of range,
    /// which ONNX leaves undefined: 0 is what the onnx reference implementation gives for its 2- and 4-bit
    /// types). Throws when the result is NaN or infinite (an overflow without saturation), which ZKInfer does
    /// not represent.
    public func convert(_ x: Double, fromInteger: Bool) throws -> Double {
        switch self {
        case .real: return x
        case .bool: return x != 0 ? 1 : 0
        case .integer:
            let range = integerRange!
            if fromInteger, let v = Int64(exactly: x) { return Double(wrap(v)) }
            let t = x.rounded(.towardZero)
            guard t >= Double(range.lowerBound), t <= Double(range.upperBound), let v = Int64(exactly: t) else { return 0 }
            return Double(v)
        case .float(let format):
            return try format.round(x)
        case .powerOfTwo(let rounding, let saturate):
            return try Self.powerOfTwo(x, rounding: rounding, saturate: saturate)
        }
    }

    static func powerOfTwo(_ x: Double, rounding: PowerOfTwoRounding, saturate: Bool) throws -> Double {
        let smallest = Double(sign: .plus, exponent: -127, significand: 1)
        let largest = Double(sign: .plus, exponent: 127, significand: 1)
        guard x >= 0 else { throw ModelGraphError.invalidTensor("Cast of \(x) to float8e8m0 (negative values are undefined)") }
        if x == 0 {
            guard saturate else { throw ModelGraphError.invalidTensor("Cast of 0 to float8e8m0 without saturation gives NaN") }
            return smallest
        }
        let below = Double(sign: .plus, exponent: x.exponent, significand: 1)  // 2^⌊log2 x⌋
        var r: Double
        switch rounding {
        case .down: r = below
        case .up: r = x == below ? below : 2 * below
        case .nearest: r = x >= 1.5 * below ? 2 * below : below  // ties away from zero
        }
        if r < smallest || r > largest {
            guard saturate else { throw ModelGraphError.invalidTensor("Cast of \(x) to float8e8m0 is out of range (NaN without saturation)") }
            r = Swift.min(Swift.max(r, smallest), largest)
        }
        return r
    }
}

/// A binary floating-point format: sign, `exponentBits`, `mantissaBits` (without the implicit 1), `bias`.
/// `hasInfinity`: IEEE-like, the all-ones exponent holds only infinity and NaN (float16, bfloat16, float8e5m2).
/// Otherwise the all-ones exponent holds finite values (`fn`: except the all-ones mantissa, which is NaN;
/// `fnuz` formats and float4e2m1: all of it). Rounding is to nearest, ties to even, with subnormals.
public struct FloatFormat: Sendable, Equatable {
    public var name: String
    public var exponentBits: Int
    public var mantissaBits: Int
    public var bias: Int
    public var hasInfinity: Bool
    /// The all-ones exponent with the all-ones mantissa is NaN (float8e4m3fn).
    public var allOnesIsNaN: Bool
    /// Out-of-range values become ±max (ONNX's `saturate`, float8 only); otherwise ±infinity or NaN.
    public var saturate: Bool

    public static let float16 = FloatFormat(name: "float16", exponentBits: 5, mantissaBits: 10, bias: 15, hasInfinity: true, allOnesIsNaN: false, saturate: false)
    public static let bfloat16 = FloatFormat(name: "bfloat16", exponentBits: 8, mantissaBits: 7, bias: 127, hasInfinity: true, allOnesIsNaN: false, saturate: false)
    public static func float8e4m3fn(saturate: Bool) -> FloatFormat {
        FloatFormat(name: "float8e4m3fn", exponentBits: 4, mantissaBits: 3, bias: 7, hasInfinity: false, allOnesIsNaN: true, saturate: saturate)
    }
    public static func float8e4m3fnuz(saturate: Bool) -> FloatFormat {
        FloatFormat(name: "float8e4m3fnuz", exponentBits: 4, mantissaBits: 3, bias: 8, hasInfinity: false, allOnesIsNaN: false, saturate: saturate)
    }
    public static func float8e5m2(saturate: Bool) -> FloatFormat {
        FloatFormat(name: "float8e5m2", exponentBits: 5, mantissaBits: 2, bias: 15, hasInfinity: true, allOnesIsNaN: false, saturate: saturate)
    }
    public static func float8e5m2fnuz(saturate: Bool) -> FloatFormat {
        FloatFormat(name: "float8e5m2fnuz", exponentBits: 5, mantissaBits: 2, bias: 16, hasInfinity: false, allOnesIsNaN: false, saturate: saturate)
    }
    /// float4e2m1 has no infinity or NaN: ONNX always saturates it.
    public static let float4e2m1 = FloatFormat(name: "float4e2m1", exponentBits: 2, mantissaBits: 1, bias: 1, hasInfinity: false, allOnesIsNaN: false, saturate: true)

    /// The largest finite value.
    public var maxFinite: Double {
        let topField = (1 << exponentBits) - 1
        let exponent = (hasInfinity ? topField - 1 : topField) - bias
        // 1.11…1 (all ones), less one unit in the last place where that pattern is NaN.
        let significand = 2 - Double(sign: .plus, exponent: -mantissaBits, significand: allOnesIsNaN ? 2 : 1)
        return Double(sign: .plus, exponent: exponent, significand: significand)
    }

    /// `x` rounded to the nearest value of the format (ties to even). Throws when that is ±infinity or NaN.
    public func round(_ x: Double) throws -> Double {
        guard x.isFinite else { throw ModelGraphError.invalidTensor("Cast of \(x) to \(name)") }
        if x == 0 { return x }
        let minExponent = 1 - bias
        let exponent = Swift.max(x.exponent, minExponent)
        let quantum = Double(sign: .plus, exponent: exponent - mantissaBits, significand: 1)
        let r = (x / quantum).rounded(.toNearestOrEven) * quantum
        let max = maxFinite
        guard abs(r) > max else { return r }
        guard saturate else {
            throw ModelGraphError.invalidTensor("Cast of \(x) to \(name) overflows (it would be \(hasInfinity ? "infinite" : "NaN"); ZKInfer does not represent that)")
        }
        return r < 0 ? -max : max
    }
}

extension FloatFormat {
    /// The fnuz formats have one zero; their −0 pattern is NaN.
    public var negativeZeroIsNaN: Bool { name.hasSuffix("fnuz") }

    /// The value of a bit pattern of the format (sign, exponent, mantissa from the high bit down); NaN and
    /// infinities as Double's.
    public func value(bits: UInt64) -> Double {
        let mantissaMask = (UInt64(1) << mantissaBits) - 1, exponentMask = (UInt64(1) << exponentBits) - 1
        let negative = (bits >> (exponentBits + mantissaBits)) & 1 == 1
        let field = (bits >> mantissaBits) & exponentMask, mantissa = bits & mantissaMask
        if hasInfinity && field == exponentMask { return mantissa == 0 ? (negative ? -.infinity : .infinity) : .nan }
        if allOnesIsNaN && field == exponentMask && mantissa == mantissaMask { return .nan }
        if negativeZeroIsNaN && negative && field == 0 && mantissa == 0 { return .nan }
        let magnitude = field == 0
            ? Double(mantissa) * Double(sign: .plus, exponent: 1 - bias - mantissaBits, significand: 1)
            : Double((UInt64(1) << mantissaBits) + mantissa) * Double(sign: .plus, exponent: Int(field) - bias - mantissaBits, significand: 1)
        return negative ? -magnitude : magnitude
    }

    /// Bits per element.
    public var width: Int { 1 + exponentBits + mantissaBits }
}
