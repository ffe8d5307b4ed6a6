/// Elementwise arithmetic of integer-typed tensors (ONNX Add, Sub, Mul, Div, Max, Min and Clip on int8…uint64,
/// int4, int2; Mod, BitShift, BitwiseAnd/Or/Xor/Not): exact on integers, with numpy broadcasting, and the result
/// wrapped onto the element type as the type does (two's complement, higher bits discarded). Div truncates toward
/// zero. Integer tensors are held unscaled on both paths, so the float path and the fixed-point path compute the
/// same integers.
public enum IntegerArithmetic: String, Sendable, Equatable {
    case add = "Add", sub = "Sub", mul = "Mul", div = "Div", max = "Max", min = "Min"
    /// Mod with fmod = 0 (the remainder takes the divisor's sign, as Python's %) and fmod = 1 (the dividend's, as C's).
    case mod = "Mod", fmod = "Mod (fmod)"
    /// BitShift (opset 28): a shift by a negative amount or by the type's width or more gives 0 (right shift of a
    /// negative signed value: −1); a left shift drops the bits above the width (wrap), a right shift is arithmetic.
    case shiftLeft = "BitShift LEFT", shiftRight = "BitShift RIGHT"
    case bitAnd = "BitwiseAnd", bitOr = "BitwiseOr", bitXor = "BitwiseXor"

    /// a ∘ b wrapped onto `format` (64-bit arithmetic wraps modulo 2^64 first). Division by zero is an error.
    @inlinable public func apply(_ a: Int64, _ b: Int64, wrap format: NumberFormat) throws -> Int64 {
        let r: Int64
        switch self {
        case .add: r = a &+ b
        case .sub: r = a &- b
        case .mul: r = a &* b
        case .div:
            guard b != 0 else { throw ModelGraphError.invalidTensor("integer division by zero") }
            r = b == -1 ? 0 &- a : a / b  // Int64.min / −1 wraps as two's complement does
        case .max: r = Swift.max(a, b)
        case .min: r = Swift.min(a, b)
        case .mod, .fmod:
            guard b != 0 else { throw ModelGraphError.invalidTensor("integer Mod by zero") }
            let t = b == -1 ? 0 : a % b  // truncated remainder (Int64.min % −1 would trap)
            r = self == .mod && t != 0 && (t < 0) != (b < 0) ? t + b : t
        case .shiftLeft, .shiftRight:
            let width: Int64
            if case .integer(let bits, _) = format { width = Int64(bits) } else { width = 64 }
            if b < 0 || b >= width {
                r = self == .shiftRight && a < 0 ? -1 : 0
            } else {
                r = self == .shiftLeft ? a &<< b : a >> b
            }
        case .bitAnd: r = a & b
        case .bitOr: r = a | b
        case .bitXor: r = a ^ b
        }
        if case .integer(64, false) = format, r < 0 {
            throw ModelGraphError.invalidTensor("\(rawValue) gives a uint64 value of 2^63 or more, which ZKInfer does not represent")
        }
        return format.wrap(r)
    }
}
